#!/usr/bin/env node
/*
 * `npm run plan:judge -- <stack> <plan.json>`: fails (exit 1) when a saved plan would change anything, naming
 * the stack and each resource with what would change; exit 0 when live infrastructure matches the code.
 * <plan.json> is `terraform show -json <planfile>` of the plan `cdktf plan <stack>` saved (cdktf.out/stacks/
 * <stack>/plan). Used by the drift workflow (.github/workflows/drift.yml). In GitHub Actions it also writes
 * an error annotation and, when GITHUB_STEP_SUMMARY is set, a summary table.
 */
"use strict";
const fs = require("node:fs");
const { describeChange, judgePlan } = require("./lib/plan-judge.cjs");

function main(argv) {
  const [stack, file] = argv;
  if (!stack || !file) {
    console.error("usage: npm run plan:judge -- <stack> <plan.json>   (plan.json: terraform show -json <planfile>)");
    return 2;
  }
  let plan;
  try {
    plan = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`plan:judge: cannot read ${file} as JSON: ${error.message}`);
    return 2;
  }
  let verdict;
  try {
    verdict = judgePlan(plan);
  } catch (error) {
    console.error(`plan:judge: ${file}: ${error.message}`);
    return 2;
  }
  const { unexpected } = verdict;
  if (unexpected.length === 0) {
    console.log(`${stack}: no drift (live infrastructure matches the code)`);
    return 0;
  }
  const lines = unexpected.map(describeChange);
  console.log(`${stack}: drift: ${unexpected.length} resource(s) would change:`);
  for (const line of lines) console.log(`  ${line}`);
  if (process.env.GITHUB_ACTIONS === "true") {
    console.log(`::error title=Drift in ${stack}::${unexpected.length} resource(s) differ from main: ${unexpected.map((c) => c.address).join(", ")}`);
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    const rows = unexpected.map((c) => `| \`${c.address}\` | ${c.action} | ${c.attributes.join(", ")} |`);
    fs.appendFileSync(
      process.env.GITHUB_STEP_SUMMARY,
      [`### Drift in ${stack}`, "", "| resource | change | attributes |", "|---|---|---|", ...rows, ""].join("\n"),
    );
  }
  return 1;
}

process.exitCode = main(process.argv.slice(2));
