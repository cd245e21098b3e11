#!/usr/bin/env node
/*
 * Part of `npm run test:engine`: the Elastic Load Balancing log delivery accounts the access-log bucket grants
 * (src/constructs/shared/elb-log-delivery-accounts.json) are the AWS provider's own. A configuration of one
 * data.aws_elb_service_account per Region is planned offline (the data source reads the provider's table, no
 * API call): every listed Region must give the listed account, and every Region opened since (none listed)
 * must have none ("unsupported AWS Region"), so the bucket grants the log delivery service principal there.
 * Fails, never skips, when the engine or the provider is missing.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib/engine.cjs");
const { root } = require("./lib/tools.cjs");

const WHAT = "engine ELB accounts";
const workRoot = path.join(root, "cdktf.out", "engine-elb-accounts");
const listed = JSON.parse(fs.readFileSync(path.join(root, "src", "constructs", "shared", "elb-log-delivery-accounts.json"), "utf8"));
// Regions opened since AWS stopped assigning ELB accounts (the AWS Regions page); none may have one.
const NEWER = ["ap-south-2", "ap-southeast-4", "ap-southeast-5", "ca-west-1", "eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1"];
const OFFLINE = { region: "us-east-1", skip_requesting_account_id: true, skip_region_validation: true };

/** Plans a configuration of one data source per Region in `dir` (initialized once); returns the run. */
function plan(dir, regions, provider, cliConfig) {
  const data = Object.fromEntries(regions.map((r) => [r.replace(/-/g, "_"), { region: r }]));
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ data: { aws_elb_service_account: data } }, null, 2));
  if (!fs.existsSync(path.join(dir, ".terraform"))) {
    fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(lib.offlineOverride(provider, OFFLINE), null, 2));
    const init = lib.run(["init", "-input=false", "-no-color"], dir, cliConfig);
    if (init.status !== 0) lib.fail(WHAT, `init failed:\n${init.stdout}${init.stderr}`);
  }
  return lib.run(["plan", "-input=false", "-no-color", "-out=plan.out"], dir, cliConfig);
}

function main() {
  const version = lib.engineVersion(WHAT);
  const provider = lib.mirroredProviderVersion(WHAT);
  fs.rmSync(workRoot, { recursive: true, force: true });
  fs.mkdirSync(workRoot, { recursive: true });
  const cliConfig = lib.writeCliConfig(path.join(workRoot, "cli.tfrc"));
  console.log(`engine: ${lib.engine} ${version}; provider hashicorp/aws ${provider} from ${lib.mirror}`);
  const failures = [];

  const listedPlan = plan(workRoot, Object.keys(listed), provider, cliConfig);
  if (listedPlan.status !== 0) lib.fail(WHAT, `plan of the listed Regions failed:\n${listedPlan.stdout}${listedPlan.stderr}`);
  const show = lib.run(["show", "-json", "plan.out"], workRoot, cliConfig);
  const resources = JSON.parse(show.stdout).prior_state?.values?.root_module?.resources ?? [];
  for (const [region, account] of Object.entries(listed)) {
    const read = resources.find((r) => r.type === "aws_elb_service_account" && r.values.region === region);
    if (read?.values.id !== account) failures.push(`${region}: listed ${account}, the provider says ${read?.values.id ?? "nothing"}`);
  }

  // One plan: Terraform reads every data source and reports each one's error.
  const newerPlan = plan(workRoot, NEWER, provider, cliConfig);
  const said = `${newerPlan.stdout}${newerPlan.stderr}`;
  for (const region of NEWER) {
    if (!said.includes(`unsupported AWS Region: ${region}`)) {
      failures.push(`${region}: the provider has an ELB account for it (or another error); add it to elb-log-delivery-accounts.json`);
    }
  }

  if (failures.length > 0) lib.fail(WHAT, failures.join("\n"));
  console.log(`engine ELB accounts: ${Object.keys(listed).length} Regions match the provider's accounts; ${NEWER.length} newer Regions have none`);
}

main();
