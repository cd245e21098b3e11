#!/usr/bin/env node
/*
 * Runs the cdktf app (main.ts) as fast as compiled JavaScript: esbuild bundles our own sources into one
 * CommonJS file in about 20 ms (dependencies stay external), then Node runs it. No type-checking here;
 * `npm test` runs `tsc --noEmit` once instead. Used by `npm run synth` and by cdktf.json's "app".
 */
"use strict";
const path = require("node:path");
const { buildSync } = require("esbuild");

const root = path.resolve(__dirname, "..");
const outfile = path.join(root, ".build", "main.js");
buildSync({
  entryPoints: [path.join(root, "main.ts")],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
});
require(outfile);
