#!/usr/bin/env node
/*
 * node scripts/plan-summary.cjs <stack>=<plan.json> [<stack>=<plan.json> ...]
 * node scripts/plan-summary.cjs --skipped "<reason>"
 *
 * Why: the pull-request comment shows the semantic synth diff (npm run diff), which says what the code changes;
 * only Terraform's plan says what that does to the live environments (a rename that replaces a load balancer, a
 * resource the state no longer matches). The pull-request workflow (.github/workflows/pull-request.yml) plans each
 * environment stack with the read-only plan role, without the state lock, and puts this short summary under the
 * diff in the same comment: per stack the counts of create / update / replace / destroy / import / move, then
 * one line per resource that would be replaced or destroyed. <plan.json> is `terraform show -json plan` of the
 * plan saved in cdktf.out/stacks/<stack>. Counts and addresses only: the plan JSON holds attribute values in
 * clear (sensitive ones too), so the workflow keeps it on the runner and shares only this summary.
 * --skipped prints the one line the comment shows instead when the plan did not run, and why.
 *
 * Plain Node (CommonJS), no dependencies: it runs right after `terraform show`, with nothing else to install.
 * Output is deterministic (stacks in argument order, addresses sorted). Exit 0 with the summary on stdout; exit 2
 * with a message on stderr on a usage error or a file that is not a plan. Logic: scripts/lib/plan-summary.cjs.
 */
"use strict";
const fs = require("node:fs");
const { PlanSummaryInputError, summarizePlan, renderStack, renderSkipped } = require("./lib/plan-summary.cjs");

const USAGE = 'usage: node scripts/plan-summary.cjs <stack>=<plan.json> [...]   |   node scripts/plan-summary.cjs --skipped "<reason>"';

/** { skipped: reason } or { plans: [{ stack, file }] }. */
function parseArgs(argv) {
  if (argv[0] === "--skipped") {
    if (argv.length !== 2) throw new PlanSummaryInputError('--skipped takes exactly one argument, the reason (quote it: --skipped "why")');
    return { skipped: argv[1] };
  }
  if (argv.length === 0) throw new PlanSummaryInputError("expected at least one <stack>=<plan.json>");
  const plans = [];
  for (const arg of argv) {
    if (arg.startsWith("-")) throw new PlanSummaryInputError(`unknown option ${arg}`);
    const at = arg.indexOf("=");
    const stack = at > 0 ? arg.slice(0, at) : "";
    const file = at > 0 ? arg.slice(at + 1) : "";
    if (!stack || !file) throw new PlanSummaryInputError(`expected <stack>=<plan.json>, got ${JSON.stringify(arg)}`);
    if (plans.some((p) => p.stack === stack)) throw new PlanSummaryInputError(`stack ${stack} given twice`);
    plans.push({ stack, file });
  }
  return { plans };
}

function main(argv) {
  try {
    const options = parseArgs(argv);
    if ("skipped" in options) {
      process.stdout.write(`${renderSkipped(options.skipped)}\n`);
      return 0;
    }
    const sections = options.plans.map(({ stack, file }) => {
      let plan;
      try {
        plan = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (error) {
        throw new PlanSummaryInputError(`cannot read ${file} as JSON: ${error.message}`);
      }
      try {
        return renderStack(stack, summarizePlan(plan)).join("\n");
      } catch (error) {
        if (error instanceof PlanSummaryInputError) throw new PlanSummaryInputError(`${file}: ${error.message}`);
        throw error;
      }
    });
    process.stdout.write(`${sections.join("\n\n")}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof PlanSummaryInputError)) throw error;
    console.error(`plan-summary: ${error.message}`);
    console.error(USAGE);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
