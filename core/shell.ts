// The one place where argv arrays become shell text. Everything the user writes reaches
// a shell only through `quote`, so a name like `x;rm -rf /` stays one inert argument.

/** A command as data: argv plus optional standard input. Never a shell string. */
export interface Command {
  argv: string[];
  /** Fed to the command's standard input (a flow bundle, an iptables-restore file). */
  stdin?: string;
}

/** A compiled step: a command and why it runs, so logs and `ovslab plan` can say it. */
export interface Op extends Command {
  why: string;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX single-quote quoting; safe words stay bare so printed commands read naturally. */
export function quote(word: string): string {
  if (word.length > 0 && SAFE.test(word)) return word;
  return "'" + word.replace(/'/g, `'\\''`) + "'";
}

/** The exact shell line for a command, e.g. `ovs-vsctl --may-exist add-br br-int`. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map(quote).join(" ");
}

/** Heredoc delimiter that cannot occur as a line of `text`. */
export function heredocDelimiter(text: string): string {
  const lines = new Set(text.split("\n"));
  let delimiter = "OVSLAB_EOF";
  for (let i = 1; lines.has(delimiter); i++) delimiter = `OVSLAB_EOF_${i}`;
  return delimiter;
}

/** A command as shell text; standard input becomes a quoted heredoc (no expansion inside). */
export function formatCommand(command: Command): string {
  const line = formatArgv(command.argv);
  if (command.stdin === undefined) return line;
  const body = command.stdin.endsWith("\n") ? command.stdin : command.stdin + "\n";
  const delimiter = heredocDelimiter(body);
  return `${line} <<'${delimiter}'\n${body}${delimiter}`;
}

/** Ops as a readable script: each preceded by its reason as a comment. */
export function formatScript(ops: readonly Op[]): string {
  return ops.map((op) => `# ${op.why}\n${formatCommand(op)}\n`).join("");
}
