import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

// The README is kept in step with the code by hand in two places: its links and its table of constructs.
const root = resolve(__dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe("README", () => {
  test("every relative link points at a file or folder of this repository", () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    const broken = links.filter((link) => link.startsWith("../") || link.startsWith("/") || !existsSync(join(root, link)));
    expect(broken).toEqual([]);
  });

  test("every npm script it names exists, and its two set-up commands are there as written", () => {
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
    const named = [...readme.matchAll(/npm run (?:--silent )?([a-z][a-z:-]*)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((script) => !(script in scripts))).toEqual([]);
    expect(readme).toContain("\n    npm ci && npm run synth\n");
    expect(readme).toContain("\n    npm ci && npm test\n");
  });

  test("names no path outside the repository", () => {
    expect(readme).not.toMatch(/\.\.\/shared|\/work\//);
  });

  test("its table names every construct file, and every file it names exists", () => {
    const constructsDir = join(root, "src", "constructs");
    const onDisk = filesUnder(constructsDir)
      .map((file) => relative(constructsDir, file))
      .filter((file) => file.endsWith(".ts") && !file.endsWith("index.ts"));
    const table = readme.slice(readme.indexOf("## What gets built"), readme.indexOf("### The constructs"));
    const named = [...table.matchAll(/`([a-z-]+\/[a-z-]+\.ts)`/g)].map((m) => m[1]);
    expect(onDisk.filter((file) => !named.includes(file))).toEqual([]);
    expect(named.filter((file) => !existsSync(join(constructsDir, file)))).toEqual([]);
  });
});
