"use strict";
/*
 * jest's TypeScript transform: esbuild strips the types (the cdktf template uses ts-jest, which is slower on a
 * cold cache, as on every CI run). Type-checking happens once, in `npm test` (`tsc --noEmit`).
 */
const crypto = require("node:crypto");
const esbuild = require("esbuild");

module.exports = {
  process(source, filename) {
    const { code } = esbuild.transformSync(source, { loader: "ts", format: "cjs", target: "node20", sourcemap: "inline", sourcefile: filename });
    return { code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(esbuild.version).update(filename).update(source).digest("hex");
  },
};
