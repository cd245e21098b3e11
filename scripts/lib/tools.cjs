/*
 * What the test scripts share: a Python tool pinned in a requirements file, installed into its own virtual
 * environment (again only when the file changes), and a fresh synth of every stack.
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

/** Installs `requirements` into .venv/<name> unless `binary` is there from the same requirements. */
function ensureVenv(name, requirements, binary) {
  const venv = path.join(root, ".venv", name);
  const wanted = fs.readFileSync(requirements, "utf8");
  const stamp = path.join(venv, ".installed-requirements");
  const tool = path.join(venv, "bin", binary);
  if (!(fs.existsSync(tool) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === wanted)) {
    console.log(`installing ${path.relative(root, requirements)} into .venv/${name}`);
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
    execFileSync(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", requirements], { stdio: "inherit" });
    fs.writeFileSync(stamp, wanted);
  }
  return { venv, bin: (b) => path.join(venv, "bin", b) };
}

/** Synthesizes every stack into cdktf.out as `npm run synth` does; returns the stacks directory. */
function synthesizeAll() {
  // cdktf never removes a stack's directory, so one left by an earlier `MYSLP_ENVIRONMENTS=local cdktf deploy`
  // would be scanned (or drawn) as if this commit produced it.
  fs.rmSync(path.join(root, "cdktf.out", "stacks"), { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, "scripts", "run-app.cjs")], { cwd: root, stdio: "inherit" });
  return path.join(root, "cdktf.out", "stacks");
}

/**
 * Synthesizes the `local` environment (src/config/local.ts), after `change` edits a copy of its raw config,
 * into `outdir`; returns the stack's cdk.tf.json. The sources are bundled once per call (esbuild, packages
 * external), so a script needs neither ts-node nor a compiled copy.
 */
function synthesizeLocal(outdir, change = () => {}) {
  const bundle = path.join(root, ".build", `local-${process.pid}.js`);
  require("esbuild").buildSync({
    stdin: {
      contents: `export { synthesize } from "./src/app"; export { stackName } from "./src/config"; export { local } from "./src/config/local";`,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: bundle,
    logLevel: "warning",
  });
  const { synthesize, stackName, local } = require(bundle);
  fs.rmSync(bundle); // loaded; a bundle per process id would otherwise pile up in .build/
  const env = JSON.parse(JSON.stringify(local));
  change(env);
  fs.rmSync(outdir, { recursive: true, force: true });
  synthesize({ environments: [env], only: [env.name], outdir });
  return path.join(outdir, "stacks", stackName(env.project, env.name), "cdk.tf.json");
}

module.exports = { root, ensureVenv, synthesizeAll, synthesizeLocal };
