#!/usr/bin/env node
/*
 * `npm run capture:provider-calls`: runs the integration tier (scripts/integration.cjs) with the AWS provider's
 * debug log on (MYSLP_PROVIDER_CALL_LOG_DIR), turns every AWS call of its cdktf plan, deploy, plan and destroy into
 * the IAM request a policy evaluator needs (scripts/lib/provider-calls.cjs), and writes them to
 * __tests__/fixtures/provider-calls.json, which tests evaluate against the CI roles' policies.
 * The integration tier must pass: a fixture from a half-run cycle would miss calls. The file is deterministic
 * (AWS-assigned ids become placeholders), so a new run changes it only when the calls change.
 * `--from <dir>` re-reads the logs of an earlier run (1-plan.log ... 4-destroy.log) instead of running the tier.
 * `--check` (what .ci/run uses) writes nothing and fails when the calls differ from the committed fixture: the
 * must-allow tests then judge the calls this commit's code really makes.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { PHASES, providerCalls, assertKnownActions } = require("./lib/provider-calls.cjs");

const root = path.resolve(__dirname, "..");
const FIXTURE = path.join(root, "__tests__", "fixtures", "provider-calls.json");
/** The main cycle's steps as scripts/integration.cjs names their logs. */
const LOGS = ["1-plan", "2-deploy", "3-plan", "4-destroy"];

function main() {
  const started = Date.now();
  const fromIndex = process.argv.indexOf("--from");
  let dir = fromIndex > 0 ? path.resolve(process.argv[fromIndex + 1] ?? "") : undefined;
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "myslp-provider-calls-"));
    console.log(`capture: integration tier with the provider's debug log in ${dir}`);
    const run = spawnSync(process.execPath, [path.join(root, "scripts", "integration.cjs")], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, MYSLP_PROVIDER_CALL_LOG_DIR: dir },
    });
    if (run.status !== 0) throw new Error(`the integration tier failed (exit ${run.status ?? run.signal}); its logs stay in ${dir}`);
  }
  const logs = LOGS.map((name) => {
    const file = path.join(dir, `${name}.log`);
    if (!fs.existsSync(file)) throw new Error(`no ${file}: did scripts/integration.cjs run with MYSLP_PROVIDER_CALL_LOG_DIR?`);
    return { phase: name.split("-")[1], text: fs.readFileSync(file, "utf8") };
  });
  const result = providerCalls(logs);
  assertKnownActions(result.calls);
  const notArns = result.calls.filter((c) => c.resource !== "*" && !c.resource.startsWith("arn:"));
  if (notArns.length > 0) throw new Error(`resources that are neither "*" nor an ARN: ${notArns.map((c) => `${c.action} ${c.resource}`).join(", ")}`);
  if (!result.terraform || !result.provider) throw new Error("no Terraform or provider version in the logs' user agent");

  const fixture = {
    about:
      "Every AWS API call the Terraform AWS provider makes in `npm run test:integration` (cdktf plan, deploy, plan, destroy of the local environment against moto), as the IAM request a policy evaluator checks, with the iam:PassRole and tag-on-create checks AWS adds; regenerate with `npm run capture:provider-calls` (scripts/capture-provider-calls.cjs).",
    environment: "local",
    terraform: result.terraform,
    provider: `hashicorp/aws ${result.provider}`,
    unparsable: result.unparsable,
    calls: result.calls,
  };
  const text = `${JSON.stringify(fixture, null, 2)}\n`;
  if (process.argv.includes("--check")) {
    const committed = fs.existsSync(FIXTURE) ? fs.readFileSync(FIXTURE, "utf8") : "";
    if (committed !== text) {
      const a = committed.split("\n");
      const b = text.split("\n");
      const first = a.findIndex((line, i) => line !== b[i]);
      throw new Error(
        `the provider's calls differ from ${path.relative(root, FIXTURE)} from line ${first + 1} (committed: ${JSON.stringify(a[first])}, now: ${JSON.stringify(b[first])}); run npm run capture:provider-calls and review the change`,
      );
    }
  } else {
    fs.writeFileSync(FIXTURE, text);
  }
  if (fromIndex < 0) fs.rmSync(dir, { recursive: true, force: true });

  const perPhase = PHASES.map((p) => `${p} ${result.calls.filter((c) => c.phase === p).length}`).join(", ");
  const actions = new Set(result.calls.map((c) => c.action)).size;
  for (const u of result.unparsable) console.log(`  unparsable: ${u.phase} ${u.service} ${u.operation}: ${u.reason}`);
  console.log(
    `capture${process.argv.includes("--check") ? " --check (unchanged)" : ""}: ${path.relative(root, FIXTURE)}: ${result.calls.length} calls (${perPhase}), ${actions} distinct actions, ` +
      `${result.unparsable.length} unparsable, ${result.masked} request bodies partly masked by the logger, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

try {
  main();
} catch (error) {
  console.error(`capture: ${error.message}`);
  process.exitCode = 1;
}
