/*
 * What the documentation states and a test keeps true: every repository path it names exists, and the stack
 * outputs docs/design.md lists are the ones the stacks write. A doc that drifts from the code fails here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadEnvironments } from "../../src/config";
import { synthPlatform } from "../helpers";

const root = resolve(__dirname, "..", "..");
const documents = [
  "README.md",
  "CONTRIBUTING.md",
  "SECURITY.md",
  "bench/README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, "tools"))
    .filter((f) => /\.(txt|md)$/.test(f))
    .map((f) => `tools/${f}`),
];

/** Repository paths a document names: `src/...`, `scripts/...` and the like, with a file extension. */
function namedPaths(text: string): string[] {
  const found = text.matchAll(/(?<![A-Za-z0-9_./-])((?:src|__tests__|scripts|docs|tools|bench|\.github|\.ci)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-])/g);
  return [...new Set([...found].map((m) => m[1]))].filter((p) => !p.includes("<"));
}

describe("documentation names only what exists", () => {
  test.each(documents)("%s", (document) => {
    const text = readFileSync(join(root, document), "utf8");
    const missing = namedPaths(text).filter((p) => !existsSync(join(root, p)));
    expect({ document, missing }).toEqual({ document, missing: [] });
  });

  test("the path finder finds paths (a document naming none would pass vacuously)", () => {
    expect(namedPaths("see src/app.ts and `scripts/lib/engine.cjs`, not src/<environment>.ts")).toEqual(["src/app.ts", "scripts/lib/engine.cjs"]);
    expect(documents.length).toBeGreaterThan(10);
  });
});

describe("docs/design.md lists the stack outputs the stacks write", () => {
  test("every output of every environment, and no other", () => {
    const written = new Set(loadEnvironments().flatMap((env) => Object.keys(synthPlatform(env).json.output ?? {})));
    const design = readFileSync(join(root, "docs", "design.md"), "utf8");
    const section = design.slice(design.indexOf("### Outputs"), design.indexOf("## Choices"));
    const listed = new Set([...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
    expect([...listed].sort()).toEqual([...written].sort());
  });
});
