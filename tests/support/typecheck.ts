// Type-checks files of this repository with the TypeScript compiler API, as `tsc -p .`
// would, with some files replaced or added in memory: how tests prove that a mistake is a
// compile error (a kind left out of the registry, an undocumented schema field).
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export const REPO = path.resolve(__dirname, "..", "..");

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(REPO, "tsconfig.json"), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO).options;
}

// Files nobody replaces (lib, node_modules, most of ours) parse once for every check.
const parsed = new Map<string, ts.SourceFile>();

/**
 * The errors of compiling `roots` (repository-relative) with `files` (repository-relative
 * path -> text) in place of, or beside, what is on disk; each as `file: message`. With
 * `outDir`, an error-free program is also emitted there as JavaScript.
 */
export function typecheck(roots: readonly string[], files: Record<string, string>, outDir?: string): string[] {
  const options: ts.CompilerOptions = {
    ...compilerOptions(),
    noEmit: !outDir,
    outDir,
    declaration: false,
    sourceMap: false,
  };
  const virtual = new Map(Object.entries(files).map(([file, text]) => [path.join(REPO, file), text]));
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (f, language) => {
    const text = virtual.get(path.resolve(f));
    if (text !== undefined) return ts.createSourceFile(f, text, language);
    if (!parsed.has(f) && fs.existsSync(f)) parsed.set(f, ts.createSourceFile(f, fs.readFileSync(f, "utf8"), language));
    return parsed.get(f);
  };
  const program = ts.createProgram(roots.map((r) => path.join(REPO, r)), options, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? path.relative(REPO, d.file.fileName) : "";
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  if (outDir && errors.length === 0) program.emit();
  return errors;
}
