#!/usr/bin/env node
/*
 * npm run check:cdktn — this very project built on CDK Terrain (cdktn), the community continuation of the
 * archived CDK for Terraform, and its synth compared with today's. See docs/cdk-terrain.md.
 *
 * 1. Copies the project's files (git ls-files: tracked and untracked-but-not-ignored, as they are on disk;
 *    no node_modules) twice into a scratch folder outside the work tree; the work tree is only read.
 * 2. Synthesizes today's copy (cdktf, with the work tree's node_modules).
 * 3. Applies tools/cdktn/codemod.cjs to the other copy, checks that its package.json is what
 *    tools/cdktn/package.json says, and installs tools/cdktn/package-lock.json with `npm ci` — once per
 *    lockfile: the install is kept under ~/.cache/myslp/cdktn/<sha256> (MYSLP_CDKTN_CACHE overrides the
 *    folder) and linked into the copy, so an unchanged lockfile costs no install.
 * 4. There: type-check (tsc --noEmit), unit tests (jest), synth.
 * 5. Compares the two synths with the semantic diff (scripts/lib/synth-diff.cjs). Passes when every stack has
 *    the same resources, data sources, imports, outputs (and every other address), and every attribute
 *    difference is listed with its reason in tools/cdktn/expected-differences.json (and every listed
 *    difference still occurs, so the list cannot go stale).
 * Prints the comparison, each phase's time and the total. Exit 0 pass, 1 fail. MYSLP_KEEP_SCRATCH=1 keeps
 * the scratch folder (it is also kept, and named, when the check fails).
 */
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { applyToFolder } = require("../tools/cdktn/codemod.cjs");
const { diffSynth, renderMarkdown } = require("./lib/synth-diff.cjs");

const root = path.resolve(__dirname, "..");
const toolsDir = path.join(root, "tools", "cdktn");
const cacheRoot = process.env.MYSLP_CDKTN_CACHE || path.join(os.homedir(), ".cache", "myslp", "cdktn");
/** Installs kept in the cache (most recently used first); older ones are removed. */
const CACHE_KEEP = 2;

class CheckFailure extends Error {}

const phases = [];
function phase(name, fn) {
  const start = process.hrtime.bigint();
  process.stdout.write(`== ${name}\n`);
  try {
    return fn();
  } finally {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    phases.push({ name, seconds });
    process.stdout.write(`   ${name}: ${seconds.toFixed(1)} s\n`);
  }
}

/** Runs a command; output goes to `log` (and is printed when it fails, or always with `show`). */
function run(cmd, args, { cwd, log, show = false, env = process.env }) {
  const result = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  fs.writeFileSync(log, output);
  if (result.status !== 0 || result.error) {
    process.stdout.write(output.split("\n").slice(-80).join("\n") + "\n");
    throw new CheckFailure(`${[cmd, ...args].join(" ")} failed in ${cwd} (exit ${result.status ?? result.error}); full output: ${log}`);
  }
  if (show) process.stdout.write(output);
  return output;
}

/** The project's files as git sees them (tracked or untracked but not ignored), relative to root. */
function projectFiles() {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return [...new Set(out.split("\0").filter(Boolean))].filter((f) => fs.existsSync(path.join(root, f)) && fs.lstatSync(path.join(root, f)).isFile());
}

function copyProject(files, dest) {
  for (const file of files) {
    fs.mkdirSync(path.join(dest, path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dest, file));
  }
}

/** Environment for running the copies: every stack (no environment selection), no telemetry. */
function cleanEnv() {
  const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
  delete env.MYSLP_ENVIRONMENTS;
  return env;
}

function sameDeps(a, b) {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

/** The codemod's package.json must be the one tools/cdktn's lockfile was resolved for. */
function checkManifest(copy) {
  const have = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8"));
  const locked = JSON.parse(fs.readFileSync(path.join(toolsDir, "package.json"), "utf8"));
  const lock = JSON.parse(fs.readFileSync(path.join(toolsDir, "package-lock.json"), "utf8"));
  const lockRoot = lock.packages[""];
  for (const field of ["dependencies", "devDependencies"]) {
    if (!sameDeps(have[field], locked[field]) || !sameDeps(have[field], lockRoot[field])) {
      throw new CheckFailure(
        `tools/cdktn is out of date: the codemod's package.json ${field} ${JSON.stringify(have[field])} differ from tools/cdktn's ` +
          `${JSON.stringify(locked[field])} (lockfile: ${JSON.stringify(lockRoot[field])}). Run \`node tools/cdktn/update-lock.cjs\` and commit tools/cdktn.`,
      );
    }
  }
}

/** node_modules for tools/cdktn's lockfile: from the cache, or installed into it with `npm ci`. */
function ensureInstall(copy, logDir) {
  const lockText = fs.readFileSync(path.join(toolsDir, "package-lock.json"));
  // Native packages (esbuild) are per platform; the rest is the lockfile.
  const key = crypto.createHash("sha256").update(lockText).update(`\n${process.platform}-${process.arch}`).digest("hex");
  const dir = path.join(cacheRoot, key);
  const marker = path.join(dir, ".complete");
  let cached = fs.existsSync(marker);
  if (!cached) {
    fs.mkdirSync(cacheRoot, { recursive: true });
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.copyFileSync(path.join(copy, "package.json"), path.join(tmp, "package.json"));
    fs.writeFileSync(path.join(tmp, "package-lock.json"), lockText);
    process.stdout.write(`   npm ci into ${tmp} (no cached install for lockfile ${key.slice(0, 12)})\n`);
    run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: tmp, log: path.join(logDir, "npm-ci.log") });
    fs.writeFileSync(path.join(tmp, ".complete"), `${new Date().toISOString()}\n`);
    try {
      fs.renameSync(tmp, dir);
    } catch {
      // Another run finished the same install first: use that one.
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } else {
    process.stdout.write(`   cached install ${dir} (lockfile unchanged)\n`);
  }
  fs.utimesSync(marker, new Date(), new Date());
  fs.symlinkSync(path.join(dir, "node_modules"), path.join(copy, "node_modules"), "dir");
  fs.copyFileSync(path.join(toolsDir, "package-lock.json"), path.join(copy, "package-lock.json"));
  pruneCache(key);
  return { cached, dir };
}

/** Keeps the CACHE_KEEP most recently used installs; removes older ones and abandoned partial installs. */
function pruneCache(current) {
  const entries = fs.readdirSync(cacheRoot).map((name) => {
    const full = path.join(cacheRoot, name);
    const marker = path.join(full, ".complete");
    const used = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : fs.statSync(full).mtimeMs;
    return { name, full, used, partial: name.includes(".tmp-") };
  });
  const hour = 60 * 60 * 1000;
  for (const e of entries.filter((x) => x.partial && Date.now() - x.used > hour)) fs.rmSync(e.full, { recursive: true, force: true });
  const complete = entries.filter((x) => !x.partial && x.name !== current).sort((a, b) => b.used - a.used);
  for (const e of complete.slice(CACHE_KEEP - 1)) fs.rmSync(e.full, { recursive: true, force: true });
}

/** Does a reviewed entry explain this attribute difference of this item? */
function matches(entry, stack, item, attribute) {
  const glob = (pattern, value) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    ).test(value);
  return (
    (!entry.stacks || entry.stacks.includes(stack)) &&
    entry.kind === item.kind &&
    glob(entry.address, item.address) &&
    entry.path === attribute.path &&
    JSON.stringify(entry.before) === JSON.stringify(attribute.before) &&
    JSON.stringify(entry.after) === JSON.stringify(attribute.after)
  );
}

/**
 * Judges the report: { ok, problems, explained: [{ stack, item, attribute, reason }], unused: entries }.
 * Exported for the tests.
 */
function judge(report, expected) {
  const problems = [];
  const explained = [];
  const used = new Set();
  for (const s of report.stacks) {
    if (s.status === "added" || s.status === "removed") {
      problems.push(`stack ${s.stack} is ${s.status === "added" ? "only in CDK Terrain's synth" : "missing from CDK Terrain's synth"}`);
      continue;
    }
    for (const item of s.items) {
      if (item.change !== "changed") {
        problems.push(`${s.stack}: ${item.kind} ${item.address} ${item.change === "added" ? "appears only with CDK Terrain" : "is missing with CDK Terrain"}`);
        continue;
      }
      for (const attribute of item.attributes) {
        const i = expected.findIndex((entry) => matches(entry, s.stack, item, attribute));
        if (i < 0) {
          problems.push(
            `${s.stack}: ${item.address} ${attribute.path}: ${JSON.stringify(attribute.before)} -> ${JSON.stringify(attribute.after)} is not in tools/cdktn/expected-differences.json`,
          );
        } else {
          used.add(i);
          explained.push({
            stack: s.stack,
            address: item.address,
            path: attribute.path,
            before: attribute.before,
            after: attribute.after,
            reason: expected[i].reason,
          });
        }
      }
    }
  }
  const unused = expected.filter((_, i) => !used.has(i));
  for (const entry of unused)
    problems.push(`listed difference no longer occurs (remove it from tools/cdktn/expected-differences.json): ${entry.kind} ${entry.address} ${entry.path}`);
  return { ok: problems.length === 0, problems, explained, unused };
}

function loadExpected() {
  const file = path.join(toolsDir, "expected-differences.json");
  const data = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const [i, entry] of data.differences.entries()) {
    for (const field of ["kind", "address", "path", "reason"]) {
      if (typeof entry[field] !== "string" || entry[field].length === 0)
        throw new CheckFailure(`${file}: differences[${i}].${field} must be a non-empty string`);
    }
  }
  return data.differences;
}

function main() {
  const started = process.hrtime.bigint();
  const own = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  if (own.dependencies?.cdktn) {
    // docs/cdk-terrain.md's switch done for real: there is no cdktf build left to compare with, and
    // `npm test` already type-checks, tests and scans this checkout on CDK Terrain.
    process.stdout.write(
      "check:cdktn: this checkout already builds on CDK Terrain (package.json depends on cdktn); `npm test` checks it. Nothing to compare.\n",
    );
    return 0;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "myslp-cdktn-"));
  if (!path.relative(root, scratch).startsWith("..")) throw new Error(`scratch folder ${scratch} is inside the work tree`);
  const base = path.join(scratch, "cdktf");
  const head = path.join(scratch, "cdktn");
  const logs = path.join(scratch, "logs");
  fs.mkdirSync(logs);
  const env = cleanEnv();
  let ok = false;
  try {
    phase("copy the project (git ls-files) to the scratch folder", () => {
      const files = projectFiles();
      copyProject(files, base);
      copyProject(files, head);
      // A git repository as a clone is (no commits needed): tests ask git what .gitignore ignores.
      for (const copy of [base, head]) execFileSync("git", ["init", "--quiet", copy]);
      process.stdout.write(`   ${files.length} files to ${scratch}\n`);
    });
    phase("synth today (cdktf)", () => {
      fs.symlinkSync(path.join(root, "node_modules"), path.join(base, "node_modules"), "dir");
      run(process.execPath, ["scripts/run-app.cjs"], { cwd: base, env, log: path.join(logs, "synth-cdktf.log") });
    });
    phase("codemod (tools/cdktn/codemod.cjs)", () => {
      const changed = applyToFolder(head);
      const total = changed.reduce((n, c) => n + c.changes.length, 0);
      process.stdout.write(`   ${changed.length} files, ${total} rewrites\n`);
    });
    phase("install CDK Terrain (tools/cdktn/package-lock.json)", () => {
      checkManifest(head);
      ensureInstall(head, logs);
    });
    phase("type-check (tsc --noEmit)", () => {
      run(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "."], { cwd: head, env, log: path.join(logs, "tsc.log") });
    });
    phase("unit tests (jest)", () => {
      const output = run(process.execPath, ["node_modules/jest/bin/jest.js", "--ci"], { cwd: head, env, log: path.join(logs, "jest.log") });
      const summary = output.split("\n").filter((l) => /^(jest:|Tests:|Test Suites:)/.test(l));
      process.stdout.write(`   ${summary.join("\n   ")}\n`);
    });
    phase("synth (cdktn)", () => {
      run(process.execPath, ["scripts/run-app.cjs"], { cwd: head, env, log: path.join(logs, "synth-cdktn.log") });
    });
    const verdict = phase("compare the synths (scripts/lib/synth-diff.cjs)", () => {
      const report = diffSynth(path.join(base, "cdktf.out"), path.join(head, "cdktf.out"));
      process.stdout.write(renderMarkdown(report, { title: "cdktf (today) -> CDK Terrain: synthesized Terraform" }) + "\n");
      const result = judge(report, loadExpected());
      process.stdout.write(`\n${report.stacks.length} stacks: ${report.stacks.map((s) => `${s.stack} ${s.status}`).join(", ")}\n`);
      const addresses =
        report.stacks.every((s) => s.status === "unchanged" || s.status === "changed") &&
        report.stacks.every((s) => s.items.every((i) => i.change === "changed"));
      process.stdout.write(`addresses (resources, data sources, imports, outputs, ...): ${addresses ? "identical on every stack" : "DIFFER"}\n`);
      if (result.explained.length > 0) {
        process.stdout.write("attribute differences, each on the reviewed list:\n");
        for (const e of result.explained)
          process.stdout.write(`  ${e.stack} ${e.address} ${e.path}: ${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)} (${e.reason})\n`);
      }
      return result;
    });
    if (!verdict.ok) throw new CheckFailure(`CDK Terrain's synth differs in ways not on the reviewed list:\n  ${verdict.problems.join("\n  ")}`);
    ok = true;
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    process.stdout.write(`\ncheck:cdktn FAILED: ${error.message}\n`);
  } finally {
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`\ntimes: ${phases.map((p) => `${p.name.replace(/ \(.*\)$/, "")} ${p.seconds.toFixed(1)} s`).join(", ")}\n`);
    process.stdout.write(`check:cdktn ${ok ? "passed" : "FAILED"} in ${total.toFixed(1)} s\n`);
    if (ok && process.env.MYSLP_KEEP_SCRATCH !== "1") fs.rmSync(scratch, { recursive: true, force: true });
    else process.stdout.write(`scratch folder kept: ${scratch}\n`);
  }
  return ok ? 0 : 1;
}

module.exports = { judge, matches };

if (require.main === module) process.exitCode = main();
