// The lexical layer of the ovs-ofctl flow language (ovs-fields(7), ovs-actions(7)): which
// characters a user may write, and splitting lists at top-level commas. Parsing of fields
// and actions builds on this (flowMatch.ts, flowActions.ts).
import { editDistance } from "../validation";

/**
 * Characters a match or action list may contain. Everything else is refused: `;`, `'`,
 * `$`, backticks, tabs and newlines could end a line of a bundle file (the flows go to
 * `ovs-ofctl --bundle add-flows BR -` on stdin, one per line) or confuse a shell. Spaces
 * (OVS reads them like commas) and double quotes (around port names, as `--names` prints
 * them) are taken, since people paste flows from dumps and tutorials.
 */
export const FLOW_CHARS = /^[A-Za-z0-9_.,:=/+\-[\]()> "]*$/;
const NAMED: Record<string, string> = {
  "\n": "a newline",
  "\r": "a carriage return",
  "\t": "a tab",
  "'": "a single quote (')",
  "`": "a backtick (`)",
};
const DESCRIBED = 'letters, digits, spaces and _ . , : = / + - [ ] ( ) > "';

/**
 * The longest match or action text read. OVS's own limit is the 64 KiB of one OpenFlow
 * message; refusing longer text up front keeps every later step (and its messages) cheap.
 */
export const MAX_FLOW_TEXT = 65_535;
/** The deepest nesting of brackets read (OVS's own nested actions rarely pass 4). */
export const MAX_DEPTH = 32;
/** How much of the user's text a message may echo. */
export const ECHO_LIMIT = 80;

/** `text` cut to ECHO_LIMIT characters, marked when cut: messages never echo more. */
export function clip(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}

/** Text too long or nested too deep to read (checked before anything else reads it). */
export function sizeProblem(text: string): string | undefined {
  if (text.length > MAX_FLOW_TEXT)
    return `is ${text.length} characters long; OVS takes at most ${MAX_FLOW_TEXT} (one OpenFlow message)`;
  const depth = scanBrackets(text).max;
  if (depth > MAX_DEPTH) return `nests brackets ${depth} deep; at most ${MAX_DEPTH} are read`;
  return undefined;
}

/** The first character outside FLOW_CHARS, as a message; undefined when the text is clean. */
export function badCharacter(text: string): string | undefined {
  const size = sizeProblem(text);
  if (size) return size;
  for (const ch of text) {
    if (!FLOW_CHARS.test(ch)) {
      const shown = NAMED[ch] ?? (/\s/.test(ch) ? "whitespace" : `"${ch}"`);
      return `contains ${shown}; only ${DESCRIBED} are allowed`;
    }
  }
  return undefined;
}

/**
 * Splits at commas and spaces outside (), [] and "..." (OVS reads a space like a comma).
 * OVS prints port names in quotes with `--names` (`in_port="phy-br-ex"`), so the
 * splitter must step over them too.
 */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scanBrackets(text, (ch, i, depth) => {
    if ((ch === "," || ch === " ") && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * Walks `text` the way OVS reads it: quoted strings (with backslash escapes) are skipped,
 * `(`/`[` open and `)`/`]` close a level. `visit` sees every character outside quotes with
 * the depth it stands at. Says whether quotes were left open and the depth went negative.
 */
function scanBrackets(text: string, visit: (ch: string, i: number, depth: number) => void = () => undefined) {
  let depth = 0;
  let max = 0;
  let quoted = false;
  let negative = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === "(" || ch === "[") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]") negative ||= --depth < 0;
    else visit(ch, i, depth);
  }
  return { depth, quoted, negative, max };
}

/** `"phy-br-ex"` -> `phy-br-ex` (OVS quotes names like a C string); bare words stay. */
export function unquote(word: string): string {
  if (word.length >= 2 && word.startsWith('"') && word.endsWith('"')) {
    return word.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return word;
}

/** Removes the quotes OVS puts around port names anywhere in a flow text. */
export function unquoteAll(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => inner.replace(/\\(.)/g, "$1"));
}

/** Own properties only: a name like `__proto__` or `toString` is no entry of a table. */
export function lookup<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** `key=value` -> [key, value]; `key` -> [key, undefined]. Splits at the first `=`. */
export function keyValue(item: string): [string, string | undefined] {
  const eq = item.indexOf("=");
  return eq < 0 ? [item, undefined] : [item.slice(0, eq), item.slice(eq + 1)];
}

/** Parentheses balanced (outside quotes)? Unbalanced text would swallow the rest of a list. */
export function balanced(text: string): boolean {
  const end = scanBrackets(text);
  return end.depth === 0 && !end.quoted && !end.negative;
}

/** The known word closest to a misspelt one (edit distance <= 2), for "did you mean" hints. */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** `unknown match field "dl_vlann" (did you mean "dl_vlan"?)`. */
export function unknownWord(what: string, word: string, known: Iterable<string>): string {
  // A long word is no typo of a short one: skip the quadratic distance on it.
  const hint = word.length <= 40 ? closest(word, known) : undefined;
  return `unknown ${what} "${clip(word, 40)}"${hint ? ` (did you mean "${hint}"?)` : ""}`;
}
