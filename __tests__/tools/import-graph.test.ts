/*
 * The source's import graph: no import circle anywhere in src/ (type-only imports count: they tie the files'
 * meaning together all the same), and no construct reads the configuration's rules (a construct takes props).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";

const root = resolve(__dirname, "..", "..");
const src = join(root, "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The relative imports of a file, resolved to files (`./x` -> x.ts or x/index.ts; `./x.json` as it is). */
function importsOf(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => {
      const base = resolve(dirname(file), name);
      for (const candidate of [`${base}.ts`, join(base, "index.ts"), ...(base.endsWith(".json") ? [base] : [])]) {
        try {
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // not this one
        }
      }
      throw new Error(`${relative(root, file)} imports ${name}, which resolves to no file`);
    });
}

const graph = new Map(sources(src).map((f) => [f, importsOf(f)]));

/** One cycle per strongly connected group, as a readable chain (empty when there is none). */
function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(src, f)).join(" > "));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe("the import graph of src/", () => {
  test("reads every source file", () => {
    expect(graph.size).toBeGreaterThan(50);
  });

  test("has no import circle", () => {
    expect(cycles()).toEqual([]);
  });

  test("constructs do not import the configuration's rules", () => {
    const offending = [...graph].filter(
      ([f, imports]) => f.includes(`${join("src", "constructs")}`) && imports.some((i) => i.includes(join("config", "rules"))),
    );
    expect(offending.map(([f]) => relative(root, f))).toEqual([]);
  });
});
