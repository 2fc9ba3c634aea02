// A FlowTable's rules given as a file (`flowsFile`): Pulumi holds only the path and its
// SHA-256 in inputs and state, so 20,000 rules do not pass through the engine (its cost of
// holding them as resource inputs was most of the provider's memory); the SDK and the
// provider read the file where they need the rules, into the spec's `flows`.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { sameValue } from "./props";

type Props = Record<string, unknown>;

/** Where a spec's rules came from: the file as given (relative to the program's directory) and its content's digest. */
export interface FlowsFile {
  file: string;
  sha256: string;
}

/** How strictly a state's digest must match the file: the same operation's (`verify`) or an older one (`current`). */
export type DigestRule = "verify" | "current";

/** A rules file that cannot serve: `rule` is what is wrong, as a field problem of `flowsFile` words it. */
export class FlowsFileError extends Error {
  constructor(readonly rule: string) {
    super(`flowsFile: ${rule}`);
    this.name = "FlowsFileError";
  }
}

/** The file's content and digest; its error names the path as given and where it was looked for. */
export function readFlowsFile(file: string): { text: string; sha256: string } {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FlowsFileError(`cannot read ${JSON.stringify(file)} (in ${process.cwd()}): ${reason}`);
  }
  return { text, sha256: createHash("sha256").update(text).digest("hex") };
}

/** The rules a file's text holds, parsed anew: what a process keeps is the rules once validated (crud.ts). */
function rulesOf(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FlowsFileError(`${JSON.stringify(file)} is not JSON: ${(error as Error).message}`);
  }
}

/** A spec's `flowsFile` read (its digest checked as `rule` says), before its rules are parsed; undefined without one. */
export interface FlowsSource {
  /** The spec without `flowsFile`/`flowsSha256` (and without rules). */
  rest: Props;
  from: FlowsFile;
  /** The file's rules, parsed on each call. */
  rules(): unknown;
}

export function flowsSource(spec: Props, rule: DigestRule = "verify"): FlowsSource | undefined {
  const { flowsFile: file, flowsSha256: given, ...rest } = spec;
  if (typeof file !== "string" || file === "") return undefined;
  if (rest.flows !== undefined && !(Array.isArray(rest.flows) && rest.flows.length === 0))
    throw new FlowsFileError("give the rules as flows or as flowsFile, not both");
  const { text, sha256 } = readFlowsFile(file);
  if (rule === "verify" && typeof given === "string" && given !== sha256)
    throw new FlowsFileError(
      `${JSON.stringify(file)} does not match flowsSha256 (${given.slice(0, 12)}..., the file's is ` +
        `${sha256.slice(0, 12)}...): it changed after the program read it; run the operation again`,
    );
  return { rest, from: { file, sha256 }, rules: () => rulesOf(file, text) };
}

/**
 * The spec with the file's rules as `flows` (and without `flowsFile`/`flowsSha256`, so the
 * schema validates them as if written inline), and the file it came from; a spec without
 * `flowsFile` comes back as it is. `verify`: the content must be what the digest says.
 */
export function withFlowsFile(spec: Props, rule: DigestRule = "verify"): { spec: Props; from?: FlowsFile } {
  const source = flowsSource(spec, rule);
  if (!source) return { spec };
  return { spec: { ...source.rest, flows: source.rules() }, from: source.from };
}

/**
 * A spec with rules, as inputs and state hold it when they came from a file: the path and a
 * digest instead of the rules. The file's digest while the rules are the file's; otherwise
 * (the host drifted, seen by refresh) a digest of what was found, which no file matches, so
 * the next preview shows `flowsSha256` changed.
 */
export function asFlowsFile(spec: Props, from: FlowsFile, fileFlows?: unknown): Props {
  const { flows, ...rest } = spec;
  const same = fileFlows !== undefined && sameValue(flows, fileFlows);
  const sha256 = same ? from.sha256 : createHash("sha256").update(JSON.stringify(flows)).digest("hex");
  return { ...rest, flowsFile: from.file, flowsSha256: sha256 };
}
