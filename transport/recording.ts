// A transport for unit tests: records every command and answers from a handler.
import { Command, formatCommand } from "../core/shell";
import { CommandResult, RunOptions, Transport } from "./types";

/** Answers one command; return only the fields that differ from exit 0 with no output. */
export type CommandHandler = (command: Command) => Partial<CommandResult> | Promise<Partial<CommandResult>>;

export class RecordingTransport implements Transport {
  readonly label: string;
  /** Every command run, in order. */
  readonly commands: Command[] = [];
  closed = false;

  constructor(
    private readonly handler: CommandHandler = () => ({}),
    label = "recording",
  ) {
    this.label = label;
  }

  /** The recorded commands as the shell lines they would be, for readable expectations. */
  lines(): string[] {
    return this.commands.map(formatCommand);
  }

  async run(command: Command, _options?: RunOptions): Promise<CommandResult> {
    if (this.closed) throw new Error(`${this.label}: transport is closed`);
    this.commands.push({ argv: [...command.argv], ...(command.stdin === undefined ? {} : { stdin: command.stdin }) });
    const answer = await this.handler(command);
    return { stdout: answer.stdout ?? "", stderr: answer.stderr ?? "", code: answer.code ?? 0 };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
