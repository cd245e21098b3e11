#!/usr/bin/env node
/*
 * Part of `npm run test:engine`: user strings reach the container byte for byte (docs/configuration.md,
 * "Strings reach the container unchanged"). Terraform's JSON syntax reads every string as a template, so `${...}` and `%{...}`
 * in a config value would be evaluated or break validation unless the app escapes them
 * (src/stacks/terraform-literal.ts). This script proves it through a real engine:
 *
 *   1. the `local` environment (src/config/local.ts), with hostile values in WORDPRESS_CONFIG_EXTRA, WP_HOME
 *      and the Auto Scaling group's name, is synthesized by the app;
 *   2. `terraform init` (provider from the filesystem mirror) and `terraform plan` run offline: fake
 *      credentials, every skip_* setting, local state; the one data source read at plan time (EC2's
 *      instance-type description, which the integration tier proves against moto) is left out with the
 *      preconditions that read it, so nothing needs an endpoint;
 *   3. `terraform show -json` of the saved plan: the planned container definition's environment and the
 *      planned group name must equal the config values exactly;
 *   4. the control: the same stack with the escapes undone must fail `terraform validate` (so step 3 can fail).
 *
 * Needs no moto and no network. Fails, never skips, when the engine or the provider is missing.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib/engine.cjs");
const { root, synthesizeLocal } = require("./lib/tools.cjs");

const WHAT = "engine literal proof";
const workRoot = path.join(root, "cdktf.out", "engine-literals");

/** Values with every template form Terraform knows, already-escaped forms, and PHP that looks like them. */
const HOSTILE = {
  configExtra: [
    "define('GREETING', \"Hello ${name}\");",
    '$path = "${file("/etc/passwd")}";',
    "%{ if true }directive%{ endif }",
    "already escaped: $${x} and %%{y}",
    "lone $ and % and { and } and ${ unclosed and %{ unclosed",
    'backslash \\ quote " newline\nend',
  ].join("\n"),
  home: "https://local.storelocatorplus.com/${path}/%{x}",
  autoScalingGroupName: "myslp-local-${asg}-%{x}",
};

function synthesizeHostile() {
  return synthesizeLocal(path.join(workRoot, "out"), (env) => {
    env.wordpress.configExtra = HOSTILE.configExtra;
    env.wordpress.home = HOSTILE.home;
    env.capacity.autoScalingGroupName = HOSTILE.autoScalingGroupName;
    // An existing secret by ARN: a secret created in the same plan would leave the container definition unknown
    // until apply, and the plan would show no value to compare.
    env.wordpress.database.passwordSecret = {
      arn: `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${env.project}/${env.name}/wordpress-db-password-AbCdEf`,
    };
  });
}

/** Offline provider settings: no account lookup (so allowed_account_ids, which needs it, is unset with null). */
const OFFLINE_SETTINGS = { skip_requesting_account_id: true, skip_region_validation: true, allowed_account_ids: null };

function workspace(name, stack, provider) {
  const dir = path.join(workRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  delete stack.terraform.backend;
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(lib.offlineOverride(provider, OFFLINE_SETTINGS), null, 2));
  return dir;
}

/** Drops the plan-time instance-type read (it needs EC2) and the launch template preconditions that use it. */
function withoutInstanceTypeChecks(stack) {
  delete stack.data.aws_ec2_instance_type;
  for (const template of Object.values(stack.resource.aws_launch_template ?? {})) {
    if (template.lifecycle)
      template.lifecycle.precondition = (template.lifecycle.precondition ?? []).filter((p) => !p.condition.includes("aws_ec2_instance_type"));
  }
}

function check(failures, what, actual, expected) {
  if (actual === expected) console.log(`ok      ${what}`);
  else failures.push(`${what}:\n      planned  ${JSON.stringify(actual)}\n      expected ${JSON.stringify(expected)}`);
}

function main() {
  const version = lib.engineVersion(WHAT);
  const provider = lib.mirroredProviderVersion(WHAT);
  const cliConfig = lib.writeCliConfig(path.join(workRoot, "cli.tfrc"));
  console.log(`engine: ${lib.engine} ${version}; provider hashicorp/aws ${provider} from ${lib.mirror}`);
  const stackFile = synthesizeHostile();
  const failures = [];

  const { stack } = lib.adjustedStack(stackFile, provider);
  withoutInstanceTypeChecks(stack);
  const dir = workspace("plan", stack, provider);
  const init = lib.run(["init", "-input=false", "-no-color"], dir, cliConfig);
  if (init.status !== 0) lib.fail(WHAT, `init failed:\n${init.stdout}${init.stderr}`);
  const plan = lib.run(["plan", "-input=false", "-no-color", "-refresh=false", "-out=plan.out"], dir, cliConfig);
  if (plan.status !== 0) lib.fail(WHAT, `plan failed:\n${plan.stdout}${plan.stderr}`);
  const show = lib.run(["show", "-json", "plan.out"], dir, cliConfig);
  if (show.status !== 0) lib.fail(WHAT, `show failed:\n${show.stderr}`);
  const planned = JSON.parse(show.stdout).resource_changes ?? [];
  const after = (type) => planned.find((c) => c.type === type && c.mode === "managed")?.change.after ?? {};

  const definitions = JSON.parse(after("aws_ecs_task_definition").container_definitions ?? "[]");
  const environment = Object.fromEntries((definitions[0]?.environment ?? []).map((e) => [e.name, e.value]));
  check(failures, "WORDPRESS_CONFIG_EXTRA in the planned container definition", environment.WORDPRESS_CONFIG_EXTRA, HOSTILE.configExtra);
  check(failures, "WP_HOME in the planned container definition", environment.WP_HOME, HOSTILE.home);
  check(failures, "aws_autoscaling_group.name in the plan", after("aws_autoscaling_group").name, HOSTILE.autoScalingGroupName);

  // The control: undo the escapes in the synthesized JSON; Terraform must now refuse it (or change the value).
  const unescaped = JSON.parse(
    JSON.stringify(stack)
      .replace(/\$\$\{/g, "${")
      .replace(/%%\{/g, "%{"),
  );
  const controlDir = workspace("control", unescaped, provider);
  fs.cpSync(path.join(dir, ".terraform"), path.join(controlDir, ".terraform"), { recursive: true });
  fs.copyFileSync(path.join(dir, ".terraform.lock.hcl"), path.join(controlDir, ".terraform.lock.hcl"));
  const control = lib.run(["validate", "-json", "-no-color"], controlDir, cliConfig);
  const controlResult = JSON.parse(control.stdout);
  if (controlResult.valid === false)
    console.log(`ok      control: without the escapes terraform validate fails (${controlResult.diagnostics?.[0]?.summary ?? "error"})`);
  else failures.push("control: the unescaped stack passed terraform validate, so the check above could not fail");

  if (failures.length > 0) {
    console.log(`FAILED  ${failures.join("\n        ")}`);
    process.exit(1);
  }
  console.log("engine literals: user strings reach the plan byte for byte");
}

main();
