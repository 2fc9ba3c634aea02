// What every transport offers: run one argv command on a host, get its output back.
// A transport knows nothing of OVS; it only moves commands and bytes.
import { Command, formatArgv } from "../core/shell";

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit status; a command killed by a signal reports 128 + signal number. */
  code: number;
}

export interface RunOptions {
  /** Give up after this long (default: the transport's own, 60 s). */
  timeoutMs?: number;
}

export interface Transport {
  /** Who we talk to, for messages: `ssh root@10.0.0.5:22`, `local`. Never a secret. */
  readonly label: string;
  /** Runs a command; resolves with its result whatever its exit status. */
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /** Releases connections; the transport must not be used afterwards. */
  close(): Promise<void>;
}

/** A command that failed: says where, what and why, in pulumi-command's words. */
export class CommandError extends Error {
  constructor(
    readonly label: string,
    readonly argv: readonly string[],
    readonly result: CommandResult,
  ) {
    super(
      `${label}: ${formatArgv(argv)} failed (exit ${result.code}): ` +
        (result.stderr.trim() || result.stdout.trim() || "no output"),
    );
    this.name = "CommandError";
  }
}

/** Runs a command and throws a CommandError unless it exits 0 (or one of `okCodes`). */
export async function runChecked(
  transport: Transport,
  command: Command,
  options: RunOptions & { okCodes?: number[] } = {},
): Promise<CommandResult> {
  const result = await transport.run(command, options);
  const ok = options.okCodes ?? [0];
  if (!ok.includes(result.code)) throw new CommandError(transport.label, command.argv, result);
  return result;
}
