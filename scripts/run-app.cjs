#!/usr/bin/env node
/*
 * Runs the cdktf app (main.ts) as fast as compiled JavaScript: esbuild bundles our own sources into one
 * CommonJS file in about 20 ms (dependencies stay external), then Node runs it. No type-checking here;
 * `npm test` runs `tsc --noEmit` once instead. Used by `npm run synth` and by cdktf.json's "app".
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { buildSync } = require("esbuild");

const root = path.resolve(__dirname, "..");
const outfile = path.join(root, ".build", "main.js");
const [bundle] = buildSync({
  entryPoints: [path.join(root, "main.ts")],
  outfile,
  write: false,
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
}).outputFiles;
// Write then rename: concurrent runs (parallel tests, a bench next to a synth) never read a half-written file.
fs.mkdirSync(path.dirname(outfile), { recursive: true });
const scratch = `${outfile}.${process.pid}.tmp`;
fs.writeFileSync(scratch, bundle.contents);
fs.renameSync(scratch, outfile);
require(outfile);
