// The repository's own TypeScript files and the imports between them (type-only and
// dynamic ones too), read with the compiler's import scanner: what the layout tests check.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO } from "./typecheck";

/** Tracked and new files under `dirs` (repository-relative), ignored ones left out. */
export function repoFiles(...dirs: string[]): string[] {
  const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", ...dirs], {
    cwd: REPO,
    encoding: "utf8",
  });
  return out.split("\n").filter((f) => f && fs.existsSync(path.join(REPO, f))).sort();
}

/** Our .ts files: every layer and the tests, not the fixtures (data, some of it deliberately wrong). */
export function sourceFiles(): string[] {
  return repoFiles("*.ts").filter((f) => !f.startsWith("tests/fixtures/") && !f.startsWith("node_modules/"));
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.join(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(path.join(REPO, f)));
}

/** File -> the files of ours it imports (relative specifiers), every kind of import counted. */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(REPO, file), "utf8"), true, true);
    const targets = info.importedFiles.map((i) => i.fileName).filter((s) => s.startsWith("."));
    graph.set(file, [...new Set(targets.map((s) => resolve(file, s)).filter((f): f is string => !!f))]);
  }
  return graph;
}

/** Every set of files that import each other round a loop (Tarjan's strongly connected components). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
