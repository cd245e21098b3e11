import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));

// The same source builds on CDK for Terraform (cdktf) and, through tools/cdktn/codemod.cjs, on CDK Terrain
// (cdktn): these tests read which one package.json names instead of pinning one of them.
const FRAMEWORKS = ["cdktf", "cdktn"] as const;
const framework = FRAMEWORKS.find((name) => name in (pkg.dependencies ?? {}));

/** Packages (by name) that the lockfile marks as having an install script. */
const withInstallScripts = Object.entries<any>(lock.packages)
  .filter(([location, entry]) => location !== "" && entry.hasInstallScript)
  .map(([location]) => location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length))
  .sort();

/** A check that each package with an install script (a native binary) really works after `npm ci`. */
const SMOKE: Record<string, () => Promise<string>> = {
  esbuild: async () => (await require("esbuild").transform("let x: number = 1", { loader: "ts" })).code,
  // cdktf-cli 0.21 drives terraform through this native pseudo-terminal module (cdktn-cli 0.24 has none).
  "@cdktf/node-pty-prebuilt-multiarch": () =>
    new Promise<string>((resolveOutput, reject) => {
      const moduleName = "@cdktf/node-pty-prebuilt-multiarch";
      const pty = require(moduleName);
      let text = "";
      const term = pty.spawn("/bin/sh", ["-c", "echo pty-ok"], { cols: 80, rows: 24, cwd: root, env: process.env });
      const timer = setTimeout(() => {
        term.kill();
        reject(new Error(`pty did not exit; got ${JSON.stringify(text)}`));
      }, 10000);
      term.onData((chunk: string) => (text += chunk));
      term.onExit(() => {
        clearTimeout(timer);
        resolveOutput(text);
      });
    }),
};
const SMOKE_OUTPUT: Record<string, string> = { esbuild: "let x = 1;", "@cdktf/node-pty-prebuilt-multiarch": "pty-ok" };

describe("the project's own install provides what the CLI's plan/deploy need", () => {
  test("npm is allowed to run exactly the install scripts the locked packages have (npm 11 blocks them otherwise)", () => {
    expect(withInstallScripts.length).toBeGreaterThan(0);
    expect(Object.keys(pkg.allowScripts).sort()).toEqual(withInstallScripts);
    expect(Object.values(pkg.allowScripts).every((allowed) => allowed === true)).toBe(true);
  });

  test.each(withInstallScripts)("%s (built by its install script) loads and works", async (name) => {
    expect({ name, smokeCheck: name in SMOKE }).toEqual({ name, smokeCheck: true });
    expect(await SMOKE[name]()).toContain(SMOKE_OUTPUT[name]);
  });

  test("one framework, its CLI and its AWS provider binding, pinned exactly, none of the other's packages", () => {
    expect(framework).toBeDefined();
    const deps: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(deps[`${framework}-cli`]).toBe(deps[framework!]);
    expect(deps[`@${framework}/provider-aws`]).toMatch(/^\d+\.\d+\.\d+$/);
    // Mixing @cdktf and @cdktn packages is not supported (two copies of the core, tokens one cannot resolve).
    const other = FRAMEWORKS.find((name) => name !== framework)!;
    expect(Object.keys(deps).filter((name) => name === other || name.startsWith(`${other}-`) || name.startsWith(`@${other}/`))).toEqual([]);
    for (const version of Object.values(deps)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(root, ".terraform-version"), "utf8").trim()).toMatch(/^1\.(1[1-9]|[2-9]\d)\.\d+$/);
  });

  test("what is installed is what package.json pins (the lockfile and node_modules agree with it)", () => {
    const deps: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const [name, version] of Object.entries(deps)) {
      expect({ name, locked: lock.packages[`node_modules/${name}`]?.version }).toEqual({ name, locked: version });
      const installed = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")).version;
      expect({ name, installed }).toEqual({ name, installed: version });
    }
  });
});
