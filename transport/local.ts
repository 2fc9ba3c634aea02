// Runs commands on this machine: argv straight to spawn, no shell in between.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { Command, formatArgv } from "../core/shell";
import { CommandResult, RunOptions, Transport } from "./types";

export interface LocalTransportOptions {
  /** Per-command timeout when `run` is given none. Default 60 s. */
  commandTimeoutMs?: number;
}

export class LocalTransport implements Transport {
  readonly label = "local";
  private closed = false;

  constructor(private readonly options: LocalTransportOptions = {}) {}

  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    if (this.closed) return Promise.reject(new Error("local: transport is closed"));
    const [file, ...args] = command.argv;
    if (file === undefined) return Promise.reject(new Error("local: empty argv"));
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { stdio: [command.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout!.on("data", (b: Buffer) => stdout.push(b));
      child.stderr!.on("data", (b: Buffer) => stderr.push(b));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`local: ${formatArgv(command.argv)} timed out after ${timeoutMs / 1000} s and was killed`));
      }, timeoutMs);
      child.on("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // Same answer a shell gives over SSH, so callers see one behaviour on every transport.
        if (err.code === "ENOENT") resolve({ stdout: "", stderr: `${file}: command not found\n`, code: 127 });
        else reject(new Error(`local: cannot run ${formatArgv(command.argv)}: ${err.message}`));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
        resolve({
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: Buffer.concat(stderr).toString("utf8"),
          code: status,
        });
      });
      if (command.stdin !== undefined) {
        child.stdin!.on("error", () => undefined); // a command that exits without reading its input
        child.stdin!.end(command.stdin);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
