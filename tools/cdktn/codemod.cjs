#!/usr/bin/env node
/*
 * The mechanical part of moving this project from CDK for Terraform (cdktf, archived 2025-12-10) to its
 * community continuation CDK Terrain (cdktn), used by `npm run check:cdktn` on a scratch copy and by
 * docs/cdk-terrain.md to switch a checkout for real.
 *
 *   node tools/cdktn/codemod.cjs [--check] <folder>
 *
 * What it rewrites, and nothing else (CDK Terrain's 0.22 upgrade guide: a rename; cdktf.json, cdktf.out/,
 * the CDKTF_* variables and the logical ids stay):
 *   - module specifiers in .ts/.js/.cjs/.mjs files (import/export ... from, import "x", import("x"),
 *     require("x"), require.resolve("x"), jest.mock("x") and friends, import("x").Type): `cdktf` and
 *     `cdktf/<path>` -> `cdktn...`, `@cdktf/provider-aws[/<path>]` -> `@cdktn/provider-aws...`.
 *     Found with TypeScript's parser, so the same words in comments, string values (the `ManagedBy: "cdktf"`
 *     tag, `cdktf.out` paths) and test tables stay exactly as they are.
 *   - package.json: dependencies and devDependencies renamed and pinned to the CDK Terrain versions below,
 *     `constructs` pinned into CDK Terrain's peer range, the `cdktf` command in npm scripts, allowScripts.
 * A module specifier or dependency under `@cdktf/` that has no entry in PACKAGES stops the codemod with the
 * file and line: a package without a known counterpart cannot be renamed mechanically.
 *
 * Idempotent: run on its own output it changes nothing. `--check` writes nothing and exits 1 when a file
 * would change (lists them).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/**
 * cdktf package -> its CDK Terrain counterpart, pinned. These versions are the single place the CDK Terrain
 * pins live; tools/cdktn/package.json is this codemod's output for our package.json (tools/cdktn/update-lock.cjs).
 */
const PACKAGES = {
  cdktf: { name: "cdktn", version: "0.24.0" },
  "cdktf-cli": { name: "cdktn-cli", version: "0.24.0" },
  // Generated from registry.terraform.io/hashicorp/aws 6.66.0 (our cdktf binding: 21.22.1 from 6.25.0).
  "@cdktf/provider-aws": { name: "@cdktn/provider-aws", version: "25.7.0" },
  // cdktn 0.24.0 and @cdktn/provider-aws 25.7.0 declare the peer range constructs ">=10.6.0 <10.8.0";
  // our cdktf build pins 10.8.1, which npm ci would refuse there. Our code uses nothing added after 10.7.
  constructs: { name: "constructs", version: "10.7.0" },
};

/** Packages that have no counterpart and are dropped, with the reason. */
const DROPPED = {
  // cdktf-cli 0.21 drove terraform through this native pseudo-terminal module; cdktn-cli 0.24 does not
  // depend on it (its package.json), so npm has no install script of it to allow.
  "@cdktf/node-pty-prebuilt-multiarch": "cdktn-cli 0.24 has no pseudo-terminal dependency",
};

const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".cjs", ".mjs"]);

class CodemodError extends Error {}

/** The new specifier for a module specifier, or null when it is not a cdktf package. */
function renameSpecifier(specifier) {
  for (const [from, to] of Object.entries(PACKAGES)) {
    if (from === to.name) continue;
    if (specifier === from) return to.name;
    if (specifier.startsWith(`${from}/`)) return to.name + specifier.slice(from.length);
  }
  return null;
}

function loadTypeScript() {
  for (const from of [process.cwd(), path.resolve(__dirname, "..", "..")]) {
    try {
      return require(require.resolve("typescript", { paths: [from] }));
    } catch {
      // try the next place
    }
  }
  throw new CodemodError("TypeScript is not installed (it parses the sources): run `npm ci` in the project first");
}

const MODULE_CALLS = new Set([
  "require",
  "require.resolve",
  "jest.mock",
  "jest.doMock",
  "jest.unmock",
  "jest.requireActual",
  "jest.requireMock",
  "jest.createMockFromModule",
]);

/**
 * Rewrites the module specifiers of one source file; returns { text, changes, unknown } where unknown lists
 * `@cdktf/...` specifiers without a counterpart (line numbers).
 */
function rewriteSource(text, fileName = "source.ts") {
  const ts = loadTypeScript();
  const kind = /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const literals = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      literals.push(node.moduleSpecifier);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      literals.push(node.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      literals.push(node.argument.literal);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression.kind === ts.SyntaxKind.ImportKeyword ? "import" : node.expression.getText(source);
      if (callee === "import" || MODULE_CALLS.has(callee)) literals.push(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const edits = [];
  const unknown = [];
  for (const literal of literals) {
    const renamed = renameSpecifier(literal.text);
    const line = source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1;
    if (renamed) edits.push({ start: literal.getStart(source) + 1, end: literal.getEnd() - 1, text: renamed, line, from: literal.text });
    else if (literal.text.startsWith("@cdktf/")) unknown.push({ line, specifier: literal.text });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return { text: out, changes: edits.map(({ line, from, text: to }) => ({ line, from, to })).reverse(), unknown };
}

/** `cdktf` as the command of an npm script (start, after && || ; | or npx) -> `cdktn`. */
function rewriteScript(command) {
  return command.replace(/(^|&&|\|\||;|\||\bnpx)(\s*)cdktf(?=\s|$)/g, "$1$2cdktn");
}

/** Rewrites package.json text; throws CodemodError for an `@cdktf/` dependency without a counterpart. */
function rewritePackageJson(text) {
  const pkg = JSON.parse(text);
  const unknown = [];
  for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
    if (!pkg[field]) continue;
    const renamed = {};
    for (const [name, version] of Object.entries(pkg[field])) {
      const target = PACKAGES[name] ?? Object.values(PACKAGES).find((p) => p.name === name);
      if (target) renamed[target.name] = target.version;
      else if (name in DROPPED) continue;
      else {
        if (name.startsWith("@cdktf/")) unknown.push(`${field}.${name}`);
        renamed[name] = version;
      }
    }
    // npm keeps dependency maps sorted; so do we, so the output is stable whatever the input order.
    pkg[field] = Object.fromEntries(Object.entries(renamed).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  if (unknown.length > 0)
    throw new CodemodError(
      `package.json: no CDK Terrain counterpart known for ${unknown.join(", ")} (add it to PACKAGES or DROPPED in tools/cdktn/codemod.cjs)`,
    );
  if (pkg.scripts) for (const [name, command] of Object.entries(pkg.scripts)) pkg.scripts[name] = rewriteScript(command);
  if (pkg.allowScripts) {
    pkg.allowScripts = Object.fromEntries(
      Object.entries(pkg.allowScripts)
        .filter(([name]) => !(name in DROPPED))
        .map(([name, allowed]) => [PACKAGES[name]?.name ?? name, allowed]),
    );
  }
  const indent = /^\{\n( +|\t)"/.exec(text)?.[1] ?? "  ";
  return JSON.stringify(pkg, null, indent) + (text.endsWith("\n") ? "\n" : "");
}

/** Every file of `folder` the codemod reads (no node_modules, build output or VCS folders). */
function candidateFiles(folder) {
  const skip = new Set(["node_modules", ".git", "cdktf.out", ".build", ".venv"]);
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && (entry.name === "package.json" || (SOURCE_EXTENSIONS.has(path.extname(entry.name)) && !entry.name.endsWith(".d.ts"))))
        out.push(file);
    }
  };
  walk(folder);
  return out.sort();
}

/**
 * Applies the codemod to every source file and package.json under `folder` (the project's own package.json
 * and any nested one, such as tools/cdktn/package.json which is already in CDK Terrain form).
 * Returns [{ file, changes }] for the files that changed; writes them unless `dryRun`. Throws CodemodError
 * (and writes nothing) when something cannot be rewritten.
 */
function applyToFolder(folder, { dryRun = false } = {}) {
  const changed = [];
  const problems = [];
  for (const file of candidateFiles(folder)) {
    const rel = path.relative(folder, file);
    const text = fs.readFileSync(file, "utf8");
    let next;
    let changes;
    if (path.basename(file) === "package.json") {
      try {
        next = rewritePackageJson(text);
      } catch (error) {
        if (!(error instanceof CodemodError)) throw error;
        problems.push(`${rel}: ${error.message}`);
        continue;
      }
      changes = next === text ? [] : [{ line: 0, from: "dependencies/scripts", to: "CDK Terrain" }];
    } else {
      const result = rewriteSource(text, file);
      for (const u of result.unknown) problems.push(`${rel}:${u.line}: no CDK Terrain counterpart known for "${u.specifier}"`);
      next = result.text;
      changes = result.changes;
    }
    if (next !== text) changed.push({ file: rel, changes, text: next });
  }
  // Nothing is written when anything cannot be rewritten: no half-converted folder.
  if (problems.length > 0) throw new CodemodError(`cannot rewrite mechanically:\n  ${problems.join("\n  ")}`);
  if (!dryRun) for (const { file, text } of changed) fs.writeFileSync(path.join(folder, file), text);
  return changed.map(({ file, changes }) => ({ file, changes }));
}

function main(argv) {
  const check = argv.includes("--check");
  const folders = argv.filter((a) => a !== "--check");
  if (folders.length !== 1) {
    process.stderr.write("usage: node tools/cdktn/codemod.cjs [--check] <folder>\n");
    return 2;
  }
  try {
    const changed = applyToFolder(path.resolve(folders[0]), { dryRun: check });
    for (const { file, changes } of changed)
      process.stdout.write(`${check ? "would rewrite" : "rewrote"} ${file} (${changes.length} change${changes.length === 1 ? "" : "s"})\n`);
    process.stdout.write(`${changed.length} file${changed.length === 1 ? "" : "s"} ${check ? "would change" : "changed"}\n`);
    return check && changed.length > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof CodemodError)) throw error;
    process.stderr.write(`codemod: ${error.message}\n`);
    return 1;
  }
}

module.exports = { PACKAGES, DROPPED, CodemodError, renameSpecifier, rewriteSource, rewriteScript, rewritePackageJson, applyToFolder, candidateFiles };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
