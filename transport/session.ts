// One persistent remote shell on one SSH channel. A fresh exec channel costs ~100 ms on
// loopback; a command written into a shell that is already running costs ~1 ms. Each
// command is followed by a random marker on stdout (with the exit status) and on stderr,
// so we know where its output ends without closing anything.
import { randomBytes } from "node:crypto";
import type { ClientChannel } from "ssh2";
import { Command, formatArgv, formatCommand } from "../core/shell";
import { CommandResult } from "./types";

/** Bytes received so far on one stream; finds a marker without rescanning old bytes. */
export class ByteQueue {
  private storage = Buffer.allocUnsafe(64 * 1024);
  private start = 0;
  private end = 0;
  private scanned = 0; // bytes (from start) known not to begin the marker being sought

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Buffer): void {
    if (this.end + chunk.length > this.storage.length) {
      const live = this.length;
      const size = Math.max(this.storage.length, 2 * (live + chunk.length));
      const next = size === this.storage.length ? this.storage : Buffer.allocUnsafe(size);
      this.storage.copy(next, 0, this.start, this.end);
      this.storage = next;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.storage, this.end);
    this.end += chunk.length;
  }

  /** Offset of `needle` in the unread bytes, or -1. Callers `take` through a found needle. */
  find(needle: Buffer): number {
    const live = this.storage.subarray(this.start, this.end);
    const at = live.indexOf(needle, Math.max(0, this.scanned - needle.length + 1));
    if (at < 0) this.scanned = live.length;
    return at;
  }

  /** Offset of byte `value` at or after `from`, or -1. */
  indexOf(value: number, from: number): number {
    return this.storage.subarray(this.start, this.end).indexOf(value, from);
  }

  /** Removes and returns the first `n` unread bytes. */
  take(n: number): Buffer {
    const out = Buffer.from(this.storage.subarray(this.start, this.start + n));
    this.start += n;
    this.scanned = 0;
    if (this.start === this.end) {
      this.start = this.end = 0;
      if (this.storage.length > 1024 * 1024) this.storage = Buffer.allocUnsafe(64 * 1024); // let a big output go
    }
    return out;
  }
}

/** A marker no command output will contain by chance: 96 random bits. */
export function newMarker(): string {
  return `__ovslab_${randomBytes(12).toString("hex")}__`;
}

/**
 * Shell text for one command. The subshell keeps builtins like `exit`, `cd` or `exec`
 * from touching our long-lived shell; `</dev/null` keeps a command from reading the
 * commands that follow it (its stdin, if any, is the heredoc inside). Then the marker and
 * `$?` on stdout, the marker alone on stderr.
 */
export function framedCommand(command: Command, marker: string): string {
  return `(${formatCommand(command)}\n) </dev/null\nprintf '%s%s\\n' ${marker} "$?"; printf '%s' ${marker} >&2\n`;
}

/** The argv as it appears in messages, cut short: a transaction of 500 ports is long. */
export function describeCommand(command: Command): string {
  const line = formatArgv(command.argv);
  return line.length > 200 ? line.slice(0, 200) + "…" : line;
}

interface Job {
  marker: Buffer;
  command?: Command; // undefined for the start-up sync marker
  timer?: NodeJS.Timeout;
  resolve(result: CommandResult): void;
  reject(err: Error): void;
}

export interface SessionHooks {
  /** Who we talk to, e.g. `ssh root@127.0.0.1:2222`. */
  label: string;
  /** The command line that started the shell (`sh`, `sudo -n sh`), for messages. */
  shell: string;
  /** The channel is gone; the session must not be used again. */
  onClosed(session: ShellSession): void;
}

export class ShellSession {
  private readonly out = new ByteQueue();
  private readonly err = new ByteQueue();
  private readonly jobs: Job[] = [];
  private exit?: { code?: number; signal?: string };
  private closed = false;

  constructor(
    private readonly channel: ClientChannel,
    private readonly hooks: SessionHooks,
  ) {
    channel.on("data", (chunk: Buffer) => this.received(this.out, chunk));
    channel.stderr.on("data", (chunk: Buffer) => this.received(this.err, chunk));
    channel.on("exit", (code: number | null, signal?: string) => {
      this.exit = { code: code ?? undefined, signal };
    });
    channel.on("error", () => undefined); // the close that follows tells the story
    channel.on("close", () => this.abort((command) => this.closedError(command)));
    // Anything a login script prints before our first marker is not a command's output.
    this.write({ marker: Buffer.from(newMarker()), resolve: () => undefined, reject: () => undefined });
  }

  /** True when the shell is up and no command is running in it. */
  get idle(): boolean {
    return !this.closed && this.jobs.every((j) => j.command === undefined);
  }

  /** Runs one command; the caller waits for `idle` before sending the next. */
  run(command: Command, timeoutMs: number): Promise<CommandResult> {
    if (this.closed) return Promise.reject(new Error(`${this.hooks.label}: shell channel is closed`));
    return new Promise((resolve, reject) => {
      const job: Job = { marker: Buffer.from(newMarker()), command, resolve, reject };
      job.timer = setTimeout(() => {
        job.reject(
          new Error(
            `${this.hooks.label}: ${describeCommand(command)} timed out after ${timeoutMs / 1000} s; ` +
              `its channel was closed and the command may still be running on the host`,
          ),
        );
        this.close();
      }, timeoutMs);
      this.write(job);
    });
  }

  /** Fails every pending command with `error(command)` and forgets the channel. */
  abort(error: (command: string) => Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.jobs.splice(0)) {
      clearTimeout(job.timer);
      if (job.command) job.reject(error(describeCommand(job.command)));
    }
    this.hooks.onClosed(this);
  }

  /** Closes the channel; pending commands fail. */
  close(): void {
    this.abort((command) => new Error(`${this.hooks.label}: shell channel closed while running ${command}`));
    this.channel.close();
  }

  private write(job: Job): void {
    this.jobs.push(job);
    const text = job.command
      ? framedCommand(job.command, job.marker.toString())
      : `printf '%s0\\n' ${job.marker}; printf '%s' ${job.marker} >&2\n`;
    this.channel.write(text);
  }

  private closedError(command: string): Error {
    const { label, shell } = this.hooks;
    if (!this.exit) return new Error(`${label}: connection lost while running ${command}`);
    const status = this.exit.signal ? `signal ${this.exit.signal}` : `exit ${this.exit.code}`;
    const said = this.err.take(this.err.length).toString("utf8").trim();
    return new Error(
      `${label}: remote shell \`${shell}\` ended (${status}) while running ${command}${said ? `: ${said}` : ""}`,
    );
  }

  private received(queue: ByteQueue, chunk: Buffer): void {
    queue.push(chunk);
    while (this.jobs.length > 0 && this.completeFirst()) {
      /* each pass finishes one command */
    }
  }

  /** Finishes the oldest command when both its markers have arrived. */
  private completeFirst(): boolean {
    const job = this.jobs[0]!;
    const marker = job.marker;
    const atOut = this.out.find(marker);
    if (atOut < 0) return false;
    const newline = this.out.indexOf(0x0a, atOut + marker.length);
    if (newline < 0) return false;
    const atErr = this.err.find(marker);
    if (atErr < 0) return false;
    const stdout = this.out.take(atOut).toString("utf8");
    const code = Number(this.out.take(newline + 1 - atOut).subarray(marker.length).toString("latin1").trim());
    const stderr = this.err.take(atErr).toString("utf8");
    this.err.take(marker.length);
    this.jobs.shift();
    clearTimeout(job.timer);
    job.resolve({ stdout, stderr, code });
    return true;
  }
}
