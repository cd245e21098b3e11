import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const { PACKAGES, rewriteSource, rewriteScript, rewritePackageJson, applyToFolder } = require("../../tools/cdktn/codemod.cjs");

// The package names are built here so that no module specifier of this file names a cdktf package.
const CORE = PACKAGES.cdktf.name; // cdktn
const AWS = PACKAGES["@cdktf/provider-aws"].name; // @cdktn/provider-aws

describe("codemod: module specifiers that are rewritten", () => {
  test.each([
    ["named import", `import { App, Testing } from "cdktf";`, `import { App, Testing } from "${CORE}";`],
    ["single quotes", `import { App } from 'cdktf';`, `import { App } from '${CORE}';`],
    ["type-only import", `import type { IResolvable } from "cdktf";`, `import type { IResolvable } from "${CORE}";`],
    ["deep provider import", `import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";`, `import { EcsCluster } from "${AWS}/lib/ecs-cluster";`],
    ["provider barrel", `import * as aws from "@cdktf/provider-aws";`, `import * as aws from "${AWS}";`],
    ["side-effect import of the jest adapter", `import "cdktf/lib/testing/adapters/jest";`, `import "${CORE}/lib/testing/adapters/jest";`],
    ["re-export", `export { Fn } from "cdktf";`, `export { Fn } from "${CORE}";`],
    ["export star", `export * from "@cdktf/provider-aws/lib/s3-bucket";`, `export * from "${AWS}/lib/s3-bucket";`],
    ["require (setup.js)", `const { Testing } = require("cdktf");\nTesting.setupJest();`, `const { Testing } = require("${CORE}");\nTesting.setupJest();`],
    ["require.resolve", `require.resolve("cdktf/package.json")`, `require.resolve("${CORE}/package.json")`],
    ["dynamic import", `const m = await import("cdktf");`, `const m = await import("${CORE}");`],
    ["import type node", `let x: import("@cdktf/provider-aws/lib/vpc").Vpc;`, `let x: import("${AWS}/lib/vpc").Vpc;`],
    ["jest.mock", `jest.mock("cdktf");`, `jest.mock("${CORE}");`],
    ["import = require", `import cdk = require("cdktf");`, `import cdk = require("${CORE}");`],
    [
      "two imports in one file",
      `import { App } from "cdktf";\nimport { Vpc } from "@cdktf/provider-aws/lib/vpc";`,
      `import { App } from "${CORE}";\nimport { Vpc } from "${AWS}/lib/vpc";`,
    ],
  ])("%s", (_name, input, expected) => {
    const result = rewriteSource(input, "x.ts");
    expect(result.text).toBe(expected);
    expect(result.changes.length).toBeGreaterThan(0);
    expect(result.unknown).toEqual([]);
  });

  test("a .cjs file is parsed as JavaScript", () => {
    expect(rewriteSource(`"use strict";\nconst { App } = require("cdktf");\n`, "x.cjs").text).toBe(`"use strict";\nconst { App } = require("${CORE}");\n`);
  });

  test("reports each change with its line", () => {
    const result = rewriteSource(`// header\nimport { App } from "cdktf";\n`, "x.ts");
    expect(result.changes).toEqual([{ line: 2, from: "cdktf", to: CORE }]);
  });
});

describe("codemod: what it must not touch", () => {
  test.each([
    ["the ManagedBy tag value (it is in the synth)", `const tags = { ManagedBy: "cdktf" };`],
    ["the output folder", `const out = join(root, "cdktf.out", "stacks");`],
    ["cdktf.json", `readFileSync("cdktf.json", "utf8")`],
    ["CDKTF_ variables", `process.env.CDKTF_LOG_LEVEL = "warn";`],
    ["comments", `// cdktf 0.21's S3Backend; see require("cdktf") and import "cdktf"\n/* @cdktf/provider-aws/lib/vpc */`],
    ["a string that only looks like an import (a test table)", `const code = 'import { App } from "cdktf";';`],
    ["a template literal naming the provider barrel", 'const line = `import { x } from "@cdktf/provider-aws";`;'],
    ["a regular expression", `const deep = /from "@cdktf\\/provider-aws\\/lib\\/([a-z-]+)"/;`],
    ["a package whose name only starts with cdktf", `import x from "cdktf-local-exec";`],
    ["a relative import", `import { App } from "./cdktf";`],
    ["another call taking a string", `spawn("cdktf", ["plan"]); execFileSync("npx", ["cdktf", "synth"]);`],
    ["a method named require on an object", `loader.require("cdktf");`],
    ["an already converted file", `import { App } from "${CORE}";\nimport { Vpc } from "${AWS}/lib/vpc";`],
  ])("%s", (_name, input) => {
    const result = rewriteSource(input, "x.ts");
    expect(result.text).toBe(input);
    expect(result.changes).toEqual([]);
  });

  test("an @cdktf package without a known counterpart is reported, not guessed", () => {
    const result = rewriteSource(`import x from "@cdktf/hcl2json";\nconst pty = require("@cdktf/node-pty-prebuilt-multiarch");`, "x.ts");
    expect(result.unknown).toEqual([
      { line: 1, specifier: "@cdktf/hcl2json" },
      { line: 2, specifier: "@cdktf/node-pty-prebuilt-multiarch" },
    ]);
  });
});

describe("codemod: npm scripts", () => {
  test.each([
    ["cdktf get", "cdktn get"],
    ["cdktf plan", "cdktn plan"],
    ["cdktf deploy --auto-approve", "cdktn deploy --auto-approve"],
    ["npm run build && cdktf synth", "npm run build && cdktn synth"],
    ["npx cdktf diff", "npx cdktn diff"],
    ["cdktf", "cdktn"],
  ])("%s -> %s", (input, expected) => {
    expect(rewriteScript(input)).toBe(expected);
  });

  test.each([["node scripts/run-app.cjs"], ["rm -rf cdktf.out"], ["cat cdktf.json"], ["tsc --noEmit -p ."], ["echo mycdktf plan"]])(
    "leaves %s alone",
    (input) => {
      expect(rewriteScript(input)).toBe(input);
    },
  );
});

describe("codemod: package.json", () => {
  const input = {
    name: "demo",
    scripts: { get: "cdktf get", synth: "node scripts/run-app.cjs", plan: "cdktf plan" },
    dependencies: { "@cdktf/provider-aws": "21.22.1", cdktf: "0.21.0", constructs: "10.8.1", zod: "4.6.7" },
    devDependencies: { "cdktf-cli": "0.21.0", jest: "29.7.0", "@cdktf/node-pty-prebuilt-multiarch": "0.1.0" },
    allowScripts: { esbuild: true, "@cdktf/node-pty-prebuilt-multiarch": true },
  };
  const text = JSON.stringify(input, null, 2) + "\n";
  const output = JSON.parse(rewritePackageJson(text));

  test("renames the packages and pins the CDK Terrain versions, constructs into their peer range", () => {
    expect(output.dependencies).toEqual({ [AWS]: "25.7.0", [CORE]: "0.24.0", constructs: "10.7.0", zod: "4.6.7" });
    expect(output.devDependencies).toEqual({ [PACKAGES["cdktf-cli"].name]: "0.24.0", jest: "29.7.0" });
  });

  test("rewrites the CLI in scripts and keeps the rest", () => {
    expect(output.scripts).toEqual({ get: "cdktn get", synth: "node scripts/run-app.cjs", plan: "cdktn plan" });
    expect(output.name).toBe("demo");
  });

  test("drops the pseudo-terminal module cdktn-cli does not use from allowScripts", () => {
    expect(output.allowScripts).toEqual({ esbuild: true });
  });

  test("keeps the file's formatting (two-space indent, final newline)", () => {
    expect(rewritePackageJson(text)).toMatch(/^\{\n {2}"name": "demo",\n[\s\S]*\}\n$/);
  });

  test("is idempotent", () => {
    const once = rewritePackageJson(text);
    expect(rewritePackageJson(once)).toBe(once);
  });

  test("an @cdktf dependency without a counterpart stops it with the package named", () => {
    const bad = JSON.stringify({ dependencies: { cdktf: "0.21.0", "@cdktf/provider-google": "16.0.0" } });
    expect(() => rewritePackageJson(bad)).toThrow(/dependencies\.@cdktf\/provider-google/);
  });

  test("the constructs pin is inside the peer range of the CDK Terrain packages in tools/cdktn's lockfile", () => {
    const lock = JSON.parse(readFileSync(join(root, "tools", "cdktn", "package-lock.json"), "utf8"));
    const pin = PACKAGES.constructs.version.split(".").map(Number);
    for (const name of [CORE, AWS]) {
      const range: string = lock.packages[`node_modules/${name}`].peerDependencies.constructs;
      const [, lo, hi] = /^>=(\S+) <(\S+)$/.exec(range)!;
      const cmp = (a: number[], b: number[]) => a.reduce((r, x, i) => r || x - b[i], 0);
      expect({ name, range, fits: cmp(pin, lo.split(".").map(Number)) >= 0 && cmp(pin, hi.split(".").map(Number)) < 0 }).toEqual({ name, range, fits: true });
    }
  });
});

describe("codemod on a folder", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cdktn-codemod-"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "node_modules", "x"), { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p", dependencies: { cdktf: "0.21.0" } }, null, 2) + "\n");
    writeFileSync(join(dir, "src", "a.ts"), `import { App } from "cdktf";\nexport const tag = "cdktf";\n`);
    writeFileSync(join(dir, "setup.js"), `const { Testing } = require("cdktf");\n`);
    writeFileSync(join(dir, "README.md"), `import { App } from "cdktf";\n`);
    writeFileSync(join(dir, "node_modules", "x", "index.js"), `require("cdktf");\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("rewrites sources and package.json, not node_modules or other files; a second run changes nothing", () => {
    const changed = applyToFolder(dir).map((c: { file: string }) => c.file);
    expect(changed).toEqual(["package.json", "setup.js", join("src", "a.ts")]);
    expect(readFileSync(join(dir, "src", "a.ts"), "utf8")).toBe(`import { App } from "${CORE}";\nexport const tag = "cdktf";\n`);
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(`import { App } from "cdktf";\n`);
    expect(readFileSync(join(dir, "node_modules", "x", "index.js"), "utf8")).toBe(`require("cdktf");\n`);
    expect(applyToFolder(dir)).toEqual([]);
  });

  test("writes nothing when one file cannot be rewritten", () => {
    writeFileSync(join(dir, "src", "b.ts"), `import x from "@cdktf/hcl2json";\n`);
    expect(() => applyToFolder(dir)).toThrow(/src\/b\.ts:1: no CDK Terrain counterpart known for "@cdktf\/hcl2json"/);
    expect(readFileSync(join(dir, "src", "a.ts"), "utf8")).toBe(`import { App } from "cdktf";\nexport const tag = "cdktf";\n`);
  });

  test("dryRun reports without writing", () => {
    expect(applyToFolder(dir, { dryRun: true }).length).toBe(3);
    expect(readFileSync(join(dir, "setup.js"), "utf8")).toBe(`const { Testing } = require("cdktf");\n`);
  });
});

describe("this project and tools/cdktn agree", () => {
  test("tools/cdktn/package.json and its lockfile hold the dependencies the codemod makes of package.json", () => {
    const rewritten = JSON.parse(rewritePackageJson(readFileSync(join(root, "package.json"), "utf8")));
    const tools = JSON.parse(readFileSync(join(root, "tools", "cdktn", "package.json"), "utf8"));
    const lockRoot = JSON.parse(readFileSync(join(root, "tools", "cdktn", "package-lock.json"), "utf8")).packages[""];
    for (const field of ["dependencies", "devDependencies"]) {
      expect({ field, tools: tools[field] }).toEqual({ field, tools: rewritten[field] });
      expect({ field, lock: lockRoot[field] }).toEqual({ field, lock: rewritten[field] });
    }
  });

  test("the lockfile pins the CDK Terrain packages at the versions the codemod writes", () => {
    const lock = JSON.parse(readFileSync(join(root, "tools", "cdktn", "package-lock.json"), "utf8"));
    for (const target of Object.values<{ name: string; version: string }>(PACKAGES)) {
      expect({ name: target.name, locked: lock.packages[`node_modules/${target.name}`].version }).toEqual({ name: target.name, locked: target.version });
    }
  });

  test("every module specifier of the project's sources can be rewritten mechanically (nothing unknown)", () => {
    expect(() => applyToFolder(root, { dryRun: true })).not.toThrow();
  });
});
