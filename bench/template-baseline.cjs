/*
 * Generates, from our own sources, the app as a typical `cdktf init` TypeScript project would write it:
 * barrel imports of @cdktf/provider-aws (`import { ecsCluster } from "@cdktf/provider-aws"`) run with
 * `npx ts-node main.ts`, and jest with the template's type-checking ts-jest. Not a hand-kept twin:
 * it is rewritten on every bench run, so it always measures today's code.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "bench", ".template");

/** `lib/ecs-cluster` -> `ecsCluster`, the namespace the barrel exports it under. */
function namespaceOf(moduleDir) {
  return moduleDir.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** Rewrites deep imports to the barrel; `import X = ns.X` keeps X usable as a value and as a type. */
function rewrite(source) {
  // @cdktf, or @cdktn after tools/cdktn/codemod.cjs: the bench measures whichever the project is built on.
  const deep = /^import (?:type )?\{([^}]+)\} from "(@cdkt[fn]\/provider-aws)\/lib\/([a-z0-9-]+)";$/gm;
  return source.replace(deep, (_, names, pkg, dir) => {
    // Aliased, so a local variable of the same name (e.g. launchTemplate) cannot clash with it.
    const ns = `aws_${namespaceOf(dir)}`;
    const aliases = names
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => {
        const [exported, local = exported] = n.split(/\s+as\s+/);
        return `import ${local} = ${ns}.${exported};`;
      });
    return [`import { ${namespaceOf(dir)} as ${ns} } from "${pkg}";`, ...aliases].join("\n");
  });
}

function generate() {
  fs.rmSync(out, { recursive: true, force: true });
  // Every file of the repository (what the tests read besides the sources: README, docs, workflows, tools, ...),
  // the TypeScript rewritten to barrel imports; the bench's own output (but its committed reference, which the
  // docs name) and this copy are left out.
  const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter(
      (f) =>
        f &&
        !f.startsWith("bench/.template/") &&
        (!f.startsWith("bench/results/") || f === "bench/results/reference.json") &&
        fs.existsSync(path.join(root, f)),
    );
  for (const file of tracked) {
    const source = path.join(root, file);
    const target = path.join(out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith(".ts")) fs.writeFileSync(target, rewrite(fs.readFileSync(source, "utf8")));
    else fs.copyFileSync(source, target);
  }
  // The same installed packages (the toolchain tests read node_modules by path).
  fs.symlinkSync(path.join(root, "node_modules"), path.join(out, "node_modules"), "dir");
  // The template's tsconfig and jest config (ts-jest preset: type-checks every test file).
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
  tsconfig.compilerOptions.isolatedModules = false;
  fs.writeFileSync(path.join(out, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  fs.writeFileSync(
    path.join(out, "jest.config.js"),
    `module.exports = { preset: "ts-jest", testEnvironment: "node", testMatch: ["**/__tests__/**/*.test.ts"], setupFilesAfterEnv: ["<rootDir>/setup.js"] };\n`,
  );
  const leftover = [];
  (function scan(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) scan(p);
      // An import statement, not the text (the codemod's tests hold such lines inside strings).
      else if (p.endsWith(".ts") && /^import .* from "@cdkt[fn]\/provider-aws\/lib\//m.test(fs.readFileSync(p, "utf8"))) leftover.push(p);
    }
  })(out);
  if (leftover.length > 0) throw new Error(`deep imports left after rewriting: ${leftover.join(", ")}`);
  return out;
}

module.exports = { generate, rewrite };
if (require.main === module) console.log(generate());
