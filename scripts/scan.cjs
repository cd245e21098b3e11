#!/usr/bin/env node
/*
 * Policy scan: checkov over every synthesized stack's cdk.tf.json (framework terraform_json).
 *
 * - Installs checkov (tools/checkov-requirements.txt, pinned) into .venv/checkov when missing or changed.
 * - Synthesizes first, so it scans what this commit produces.
 * - Applies the skips recorded next to resources (acceptFinding, src/constructs/shared/policy-exceptions.ts):
 *   checkov's terraform_json runner ignores inline skip comments, so this script moves a failed check to
 *   "skipped" only when that resource carries a reason for exactly that check id.
 * - Fails when any check fails, when a recorded skip matches nothing (stale), or when checkov parsed no
 *   resources in a stack (a scan that found nothing proves nothing).
 * Writes cdktf.out/checkov-summary.json; prints a table per stack.
 */
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const { root, ensureVenv, synthesizeAll } = require("./lib/tools.cjs");

let checkov;

/** The skips recorded in a stack: { "aws_s3_bucket.x": { CKV_AWS_18: "reason" } }. */
function recordedSkips(stack) {
  const skips = {};
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const accepted = block["//"]?.checkov_skip;
      if (accepted) skips[`${type}.${name}`] = accepted;
    }
  }
  return skips;
}

/**
 * checkov 3.3's terraform_json parser fails on a top-level `import` list ("this method receives only dicts";
 * import blocks are a list in Terraform JSON) and on `terraform.required_version` (checkov #7454), and a parse
 * failure scans nothing. So checkov reads a copy without those two: neither declares a resource, and every
 * resource stays in the copy.
 */
function scannableCopy(stackDir, stack) {
  const { import: _imports, ...rest } = stack;
  if (rest.terraform) {
    const { required_version: _version, ...terraform } = rest.terraform;
    rest.terraform = terraform;
  }
  const dir = path.join(root, "cdktf.out", "checkov", path.basename(stackDir));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "cdk.tf.json");
  fs.writeFileSync(file, JSON.stringify(rest, null, 2));
  return file;
}

function scanStack(stackDir) {
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const file = scannableCopy(stackDir, stack);
  const resourceCount = Object.values(stack.resource ?? {}).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
  const run = spawnSync(checkov, ["--file", file, "--framework", "terraform_json", "--output", "json", "--compact", "--skip-download"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" },
  });
  if (run.error) throw run.error;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`checkov did not print a JSON report for ${file} (exit ${run.status}):\n${run.stderr}`);
  }
  // With --quiet and no failures checkov may print a summary-only object; a list means several frameworks.
  const reports = Array.isArray(report) ? report : [report];
  const results = { passed: [], failed: [], parsing_errors: [] };
  for (const r of reports) {
    results.passed.push(...(r.results?.passed_checks ?? []));
    results.failed.push(...(r.results?.failed_checks ?? []));
    results.parsing_errors.push(...(r.results?.parsing_errors ?? []));
  }
  const skips = recordedSkips(stack);
  // checkov names a resource "aws_s3_bucket.<id>" in graph checks but "resource.<id>" in attribute checks.
  const addressOf = {};
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) for (const name of Object.keys(blocks)) addressOf[`resource.${name}`] = `${type}.${name}`;
  const normalize = (r) => addressOf[r] ?? r;
  for (const list of [results.passed, results.failed]) for (const r of list) r.resource = normalize(r.resource);
  // checkov's summary.resource_count is 0 for terraform_json; count the resources its checks evaluated.
  const resourcesParsed = new Set([...results.passed, ...results.failed].map((r) => r.resource)).size;
  const used = new Set();
  const skipped = [];
  const failed = [];
  for (const f of results.failed) {
    const reason = skips[f.resource]?.[f.check_id];
    if (reason) {
      used.add(`${f.resource} ${f.check_id}`);
      skipped.push({ resource: f.resource, check_id: f.check_id, check_name: f.check_name, reason });
    } else {
      failed.push({ resource: f.resource, check_id: f.check_id, check_name: f.check_name, guideline: f.guideline });
    }
  }
  const stale = Object.entries(skips).flatMap(([resource, ids]) =>
    Object.keys(ids)
      .filter((id) => !used.has(`${resource} ${id}`))
      .map((id) => `${resource} ${id}`),
  );
  return {
    stack: path.basename(stackDir),
    resources_in_stack: resourceCount,
    resources_scanned: resourcesParsed,
    passed: results.passed.length,
    failed,
    skipped,
    stale_skips: stale,
    parsing_errors: results.parsing_errors,
  };
}

function main() {
  checkov = ensureVenv("checkov", path.join(root, "tools", "checkov-requirements.txt"), "checkov").bin("checkov");
  const version = execFileSync(checkov, ["--version"], { encoding: "utf8" }).trim();
  const stacksDir = synthesizeAll();
  const summaries = fs
    .readdirSync(stacksDir)
    .sort()
    .map((s) => scanStack(path.join(stacksDir, s)));

  console.log(`checkov ${version}, framework terraform_json`);
  console.log("| stack | resources in stack | resources checked | passed | failed | skipped |\n|---|---|---|---|---|---|");
  for (const s of summaries) {
    console.log(`| ${s.stack} | ${s.resources_in_stack} | ${s.resources_scanned} | ${s.passed} | ${s.failed.length} | ${s.skipped.length} |`);
  }
  let ok = true;
  for (const s of summaries) {
    for (const f of s.failed) console.log(`FAILED ${s.stack}: ${f.check_id} ${f.check_name} on ${f.resource} (${f.guideline ?? ""})`);
    for (const k of s.skipped) console.log(`skipped ${s.stack}: ${k.check_id} on ${k.resource}: ${k.reason}`);
    for (const k of s.stale_skips) console.log(`STALE SKIP ${s.stack}: ${k} (no such failure any more: remove it)`);
    for (const e of s.parsing_errors) console.log(`PARSING ERROR ${s.stack}: ${e}`);
    if (s.resources_scanned === 0 || s.passed === 0) console.log(`NOTHING SCANNED in ${s.stack}: checkov parsed no resources`);
    ok &&= s.failed.length === 0 && s.stale_skips.length === 0 && s.parsing_errors.length === 0 && s.resources_scanned > 0 && s.passed > 0;
  }
  fs.writeFileSync(path.join(root, "cdktf.out", "checkov-summary.json"), JSON.stringify({ checkov: version, stacks: summaries }, null, 2) + "\n");
  const total = (k) => summaries.reduce((n, s) => n + (typeof s[k] === "number" ? s[k] : s[k].length), 0);
  console.log(ok ? "scan: 0 failed checks" : "scan: FAILED");
  console.log(`checkov: ${total("passed")} passed, ${total("failed")} failed, ${total("skipped")} skipped`);
  process.exit(ok ? 0 : 1);
}

main();
