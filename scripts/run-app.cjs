#!/usr/bin/env node
/*
 * Runs the cdktf app (main.ts) with the start-up of one pre-bundled JavaScript file.
 *
 * Loading cdktf, zod and ~40 provider modules as separate files costs more in module resolution than the
 * app itself, so the packages our sources import are bundled once into .build/vendor.js (rebuilt only
 * when package-lock.json or the set of imported packages changes), and our own sources are bundled on
 * every run (about 20 ms) with each package import pointing into that vendor bundle. Output is
 * byte-identical to running the sources directly. No type-checking here: `npm test` runs `tsc --noEmit`.
 * Used by `npm run synth` and by cdktf.json's "app".
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const esbuild = require("esbuild");
const { skipTokenCreationTraces } = require("./lib/token-traces.cjs");

const root = path.resolve(__dirname, "..");
const buildDir = path.join(root, ".build");
const vendorFile = path.join(buildDir, "vendor.js");
const vendorManifest = path.join(buildDir, "vendor.json");
const vendorCodeCache = path.join(buildDir, "vendor.v8cache");
const builtins = new Set(Module.builtinModules);

/** Writes then renames, so concurrent runs (parallel tests, a bench beside a synth) never read half a file. */
function writeAtomically(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const scratch = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(scratch, contents);
  fs.renameSync(scratch, file);
}

function lockfileHash() {
  const hash = crypto.createHash("sha256");
  hash.update(fs.readFileSync(path.join(root, "package-lock.json")));
  hash.update(`${process.version} ${esbuild.version}`);
  return hash.digest("hex");
}

/** Bundles our sources; every bare package import becomes a lookup in the vendor bundle. */
async function bundleApp() {
  const packages = new Set();
  const vendorImports = {
    name: "vendor-imports",
    setup(build) {
      // The app bundle sits next to vendor.js in .build/, so it loads it by relative path at run time.
      build.onResolve({ filter: /^\.\/vendor\.js$/, namespace: "vendor" }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtins.has(args.path) || args.path.startsWith("node:")) return { path: args.path, external: true };
        packages.add(args.path);
        return { path: args.path, namespace: "vendor" };
      });
      build.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
        contents: `module.exports = require("./vendor.js")[${JSON.stringify(args.path)}];`,
        loader: "js",
      }));
    },
  };
  const result = await esbuild.build({
    entryPoints: [path.join(root, "main.ts")],
    bundle: true,
    write: false,
    outfile: path.join(buildDir, "main.js"),
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
    plugins: [vendorImports],
  });
  return { code: result.outputFiles[0].contents, packages: [...packages].sort() };
}

/** (Re)builds the vendor bundle when the lockfile or the imported packages changed. */
async function ensureVendor(packages) {
  const wanted = { lockfile: lockfileHash(), packages };
  try {
    const have = JSON.parse(fs.readFileSync(vendorManifest, "utf8"));
    if (have.lockfile === wanted.lockfile && packages.every((p) => have.packages.includes(p)) && fs.existsSync(vendorFile)) return;
  } catch {
    // no manifest yet
  }
  const entry = `module.exports = {\n${packages.map((p) => `  ${JSON.stringify(p)}: require(${JSON.stringify(p)}),`).join("\n")}\n};\n`;
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: "js", sourcefile: "vendor-entry.js" },
    bundle: true,
    write: false,
    outfile: vendorFile,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  writeAtomically(vendorFile, result.outputFiles[0].contents);
  writeAtomically(vendorManifest, JSON.stringify(wanted, null, 2));
  fs.rmSync(vendorCodeCache, { force: true });
}

/**
 * Loads vendor.js as CommonJS with a V8 code cache: compiling the 4.6 MB bundle is most of the start-up,
 * and the cache (written after the first run, including the functions that run compiled) skips it.
 * Returns a function that saves the cache when there was none or V8 rejected it.
 */
function loadVendorWithCodeCache() {
  let cachedData;
  try {
    cachedData = fs.readFileSync(vendorCodeCache);
  } catch {
    // first run after a vendor build
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(vendorFile, "utf8")), { filename: vendorFile, cachedData });
  const vendorModule = new Module(vendorFile, module);
  vendorModule.filename = vendorFile;
  vendorModule.paths = Module._nodeModulePaths(buildDir);
  script.runInThisContext().call(vendorModule.exports, vendorModule.exports, Module.createRequire(vendorFile), vendorModule, vendorFile, buildDir);
  vendorModule.loaded = true;
  require.cache[vendorFile] = vendorModule;
  return () => {
    if (cachedData && !script.cachedDataRejected) return;
    writeAtomically(vendorCodeCache, script.createCachedData());
  };
}

async function main() {
  const app = await bundleApp();
  await ensureVendor(app.packages);
  const appFile = path.join(buildDir, "main.js");
  writeAtomically(appFile, app.code);
  skipTokenCreationTraces();
  const saveCodeCache = loadVendorWithCodeCache();
  require(appFile);
  saveCodeCache();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
