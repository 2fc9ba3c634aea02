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
  /**
   * A check (argv) that succeeds when the op's effect is already there, e.g.
   * `test -e /var/run/netns/x` before `ip netns add x`. Only scripts use it (`check || op`),
   * so a plan made for an empty host can run twice; providers plan from the live host
   * instead and never run it.
   */
  unless?: string[];
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

/**
 * A command as shell text for a shell we do not choose (the transport's `sh` on a host):
 * standard input is one single-quoted word piped in by `printf`, a builtin, so it carries
 * any bytes. A heredoc does not: dash corrupts a line that starts with a prefix of the
 * delimiter followed by non-ASCII bytes (`Oé` comes out as `O\xa9`).
 */
export function formatPipedCommand(command: Command): string {
  const line = formatArgv(command.argv);
  if (command.stdin === undefined) return line;
  const body = command.stdin.endsWith("\n") ? command.stdin : command.stdin + "\n";
  return `printf '%s' '${body.replace(/'/g, `'\\''`)}' | ${line}`;
}

/** Lines longer than this are broken before each `--` (an ovs-vsctl transaction's separator). */
const SCRIPT_WIDTH = 100;

/** A command as script text: long `--`-joined argv continued over lines, same words. */
function scriptCommand(command: Command): string {
  const line = formatArgv(command.argv);
  if (line.length <= SCRIPT_WIDTH || !command.argv.includes("--")) return formatCommand(command);
  const parts: string[][] = [[]];
  for (const word of command.argv) (word === "--" ? parts.push([word]) : parts[parts.length - 1].push(word));
  const wrapped = parts.map((p) => formatArgv(p)).join(" \\\n  ");
  return wrapped + formatCommand({ argv: [], stdin: command.stdin }); // "" or ` <<'EOF'...`
}

/** One script step: `check >/dev/null 2>&1 || command` when the op carries a check. */
export function formatStep(op: Op): string {
  const command = scriptCommand(op);
  return op.unless ? `${formatArgv(op.unless)} >/dev/null 2>&1 || ${command}` : command;
}

/**
 * A script comment line. Its text may come from the user (a directory, a resource name):
 * control characters are escaped, so a newline cannot start a line of its own that runs.
 */
export function comment(text: string): string {
  return `# ${text.replace(/[\x00-\x1f\x7f]/g, (c) => (c === "\n" ? "\\n" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))}`;
}

/** Ops as a readable script: each preceded by its reason as a comment. */
export function formatScript(ops: readonly Op[]): string {
  return ops.map((op) => `${comment(op.why)}\n${formatStep(op)}\n`).join("");
}

/** Starts each step's output in a chained command, on stdout and stderr; never a line a tool prints. */
export const STEP = "@@ovslab-step ";

/**
 * Commands run one after another as ONE command, stopping at the first that fails with its
 * exit status: one round trip for several. Each step's output starts with a marker line, so
 * a failure can be told as the failing step's own (`stepOutput`).
 */
export function chainCommands(commands: readonly Command[]): Command {
  const steps = commands.map(
    (c, i) => `echo '${STEP}${i}'; echo '${STEP}${i}' >&2; ${formatPipedCommand(c)} || exit`,
  );
  return { argv: ["sh", "-c", steps.join("\n")] };
}

/** The last step a chained command reached (the failing one, when it failed) and that step's own output. */
export function stepOutput(stdout: string, stderr: string): { step: number; stdout: string; stderr: string } | undefined {
  const last = (text: string) => {
    const at = `\n${text}`.lastIndexOf(`\n${STEP}`); // where the last marker line starts in text
    if (at < 0) return undefined;
    const end = text.indexOf("\n", at);
    const step = Number(text.slice(at + STEP.length, end < 0 ? undefined : end));
    return Number.isInteger(step) ? { step, rest: end < 0 ? "" : text.slice(end + 1) } : undefined;
  };
  const err = last(stderr);
  const out = last(stdout);
  if (!err || !out || err.step !== out.step) return undefined;
  return { step: err.step, stdout: out.rest, stderr: err.rest };
}
