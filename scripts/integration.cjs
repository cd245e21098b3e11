#!/usr/bin/env node
/*
 * `npm run test:integration`: the platform's `local` environment (src/config/local.ts) through the cdktf CLI,
 * as users run it, against moto, a local AWS endpoint on 127.0.0.1:
 *   cdktf plan (creates every resource) -> cdktf deploy --auto-approve -> cdktf plan (the saved plan judged:
 *   no change beyond the known moto read-back gaps listed below) -> cdktf destroy --auto-approve -> nothing of
 *   ours left in moto.
 * The CLI synthesizes through cdktf.json (MYSLP_ENVIRONMENTS=local) into cdktf.out/integration/cli, runs
 * terraform with a CLI config whose filesystem mirror holds the provider (TF_CLI_CONFIG_FILE, and
 * --skip-provider-lock: `terraform providers lock` would ask the registry), and the provider reaches moto
 * through AWS_ENDPOINT_URL. Then the console takeover rehearsal (docs/adopting-staging.md), which drives
 * terraform directly (the CLI has no step that builds the "console" resources first).
 * moto (tools/moto-requirements.txt, pinned) is installed into .venv/moto, started here and stopped after,
 * whatever the outcome. Fails, never skips, when the engine, the provider or moto is missing. Prints the time
 * of every step. With MYSLP_PROVIDER_CALL_LOG_DIR set, the four cdktf steps also log the AWS provider's calls there
 * (scripts/capture-provider-calls.cjs).
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib/engine.cjs");
const { describeChange, judgePlan } = require("./lib/plan-judge.cjs");

const { motoProviderOverride, startMoto } = require("./lib/moto.cjs");
const { root, synthesizeLocal } = require("./lib/tools.cjs");

const WHAT = "integration";
const workRoot = path.join(root, "cdktf.out", "integration");
/** The moto virtualenv's Python (boto3 scripts), set once moto is installed. */
let python;
const ACCOUNT = "744590032041";
const STACK = "myslp-local";

/**
 * Attributes moto does not read back as AWS does, so the second plan shows them as in-place updates.
 * Each entry: resource type -> attributes allowed to differ, and why.
 */
const KNOWN_MOTO_READBACK_GAPS = {
  aws_launch_template: {
    attributes: ["tag_specifications", "default_version", "latest_version"],
    why: "DescribeLaunchTemplateVersions returns a 'launch-template' tag specification the request did not contain (the versions follow from that update)",
  },
  aws_autoscaling_group: {
    attributes: ["launch_template", "capacity_reservation_specification"],
    why: "the launch template version follows from the launch template's update; DescribeAutoScalingGroups omits CapacityReservationSpecification",
  },

  aws_ecs_service: {
    attributes: ["enable_ecs_managed_tags", "availability_zone_rebalancing"],
    why: "DescribeServices returns neither enableECSManagedTags nor availabilityZoneRebalancing",
  },
};

/**
 * Synthesizes the local environment (not part of `cdktf synth`), optionally changed first, into
 * cdktf.out/integration/<name>; returns the stack file.
 */
function synthLocal(name, change = () => {}) {
  return synthesizeLocal(path.join(workRoot, `${name}-out`), change);
}

/** A working directory with the stack as the engine gets it (moto provider, local state); returns a runner. */
function workspace(name, stackFile, provider, endpoint, cliConfig) {
  const { stack, adjusted } = lib.adjustedStack(stackFile, provider);
  for (const what of adjusted) console.log(`  ${name}: adjusted for ${provider}: ${what}`);
  delete stack.terraform.backend;
  const workDir = path.join(workRoot, name);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  fs.writeFileSync(path.join(workDir, "local_override.tf.json"), JSON.stringify(motoProviderOverride(provider, endpoint), null, 2));
  const tf = (args) => {
    const result = lib.run([...args, "-no-color"], workDir, cliConfig);
    fs.appendFileSync(path.join(workRoot, "terraform.log"), `$ [${name}] ${lib.engine} ${args.join(" ")}\n${result.stdout}${result.stderr}\n`);
    return result;
  };
  const resources = Object.values(stack.resource).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
  return { tf, workDir, resources };
}

/** The saved plan in a directory, as `terraform show -json` prints it. */
function savedPlan(workDir, cliConfig, planFile) {
  const show = lib.run(["show", "-json", planFile], workDir, cliConfig);
  if (show.status !== 0) throw new Error(`terraform show -json ${planFile} failed in ${workDir}: ${show.stderr.trim()}`);
  return JSON.parse(show.stdout);
}

/**
 * Runs `cdktf <verb> <stack> ...` as a user would, with the environment that points it at moto and at the
 * provider mirror; output goes to cdktf.out/integration/cdktf.log. Returns the spawn result.
 */
function cdktf(verb, args, { endpoint, cliConfig, outdir }, extraEnv = {}) {
  const bin = path.join(root, "node_modules", ".bin", "cdktf");
  const argv = [verb, STACK, ...args, "--output", outdir, "--skip-provider-lock", "--no-color"];
  const result = spawnSync(bin, argv, {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      MYSLP_ENVIRONMENTS: "local",
      TF_CLI_CONFIG_FILE: cliConfig,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
      CI: "1",
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ...extraEnv,
    },
  });
  fs.appendFileSync(path.join(workRoot, "cdktf.log"), `$ cdktf ${argv.join(" ")}\n${result.stdout}${result.stderr}\n`);
  return result;
}

/**
 * The environment that makes step `n` of the main cycle log every AWS call of the provider to
 * <MYSLP_PROVIDER_CALL_LOG_DIR>/<n>-<verb>.log (scripts/capture-provider-calls.cjs reads them); nothing when the
 * variable is unset, since debug logging is slow and large. Terraform appends to TF_LOG_PATH, so a stale file goes first.
 */
function providerCallLog(n, verb) {
  const dir = process.env.MYSLP_PROVIDER_CALL_LOG_DIR;
  if (!dir) return {};
  const file = path.join(dir, `${n}-${verb}.log`);
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(file, { force: true });
  return { TF_LOG_PROVIDER: "DEBUG", TF_LOG_PATH: file };
}

/** Terraform's output on one line: its diagnostics' box-drawing margins and line breaks become spaces. */
function flatOutput(run) {
  return `${run.stdout}${run.stderr}`.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");
}

/** The first error in flattened Terraform output, for a step's detail. */
function firstError(said) {
  return (said.match(/Error: (.{0,160})/) ?? ["", "no error line"])[1];
}

/** The last error lines of a failed CLI run, for the step's detail. */
function errorsOf(result) {
  const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => /error/i.test(l));
  return (
    lines
      .slice(0, 5)
      .map((l) => l.trim())
      .join(" | ") || `exit ${result.status}`
  );
}

/**
 * The takeover of a console-built environment (docs/adopting-staging.md) against moto: build the "console"
 * resources, then plan the adopting stack: one import per adopted resource, and no destroy or replace.
 * Then the guard: a setting that would replace an adopted resource (the repository's encryption) must stop
 * the plan (prevent_destroy).
 */
function adoptionScenario(step, provider, endpoint, cliConfig) {
  const console_ = spawnSync(python, [path.join(root, "scripts", "integration_console.py"), endpoint], { encoding: "utf8" });
  if (!step("adopt: console-built resources created in moto", console_.status === 0, console_.status === 0 ? "" : console_.stderr.trim().split("\n").pop()))
    return;
  const { consoleCapacityProvider, ...live } = JSON.parse(console_.stdout);
  const adopting =
    (encryption, capacityProvider = consoleCapacityProvider) =>
    (env) => {
      env.adopt = capacityProvider ? { ...live, capacityProvider } : live;
      env.capacity.autoScalingGroupName = live.autoScalingGroup;
      if (capacityProvider) env.capacity.capacityProviderName = capacityProvider;
      env.imageRepository.encryption = encryption;
    };

  // Without the runbook's step 2 (adopt.capacityProvider), the stack would create a second capacity provider
  // on the console's group, which ECS refuses after Terraform changed the group: the plan must stop first.
  const skipped = workspace("adopt-no-capacity-provider", synthLocal("adopt-no-capacity-provider", adopting("AES256", null)), provider, endpoint, cliConfig);
  skipped.tf(["init", "-input=false"]);
  const refused = skipped.tf(["plan", "-input=false", "-out=refused.bin"]);
  const said = flatOutput(refused);
  // Nothing changed: no state was written, and the plan Terraform saved is an errored one, which apply refuses.
  const planFile = path.join(skipped.workDir, "refused.bin");
  const errored = !fs.existsSync(planFile) || savedPlan(skipped.workDir, cliConfig, "refused.bin").errored === true;
  step(
    "adopt: without adopt.capacityProvider the plan stops, naming it and the runbook step, and changes nothing",
    refused.status !== 0 &&
      /Resource precondition failed/.test(said) &&
      /adopt\.capacityProvider/.test(said) &&
      /docs\/adopting-staging\.md, step 2/.test(said) &&
      errored &&
      !fs.existsSync(path.join(skipped.workDir, "terraform.tfstate")),
    refused.status === 0 ? "the plan passed" : `${errored ? "errored plan, no state" : "a plan that could be applied"}: ${firstError(said)}`,
  );

  const { tf, workDir } = workspace("adopt", synthLocal("adopt", adopting("AES256")), provider, endpoint, cliConfig);
  if (!step("adopt: init", tf(["init", "-input=false"]).status === 0)) return;
  if (!step("adopt: plan", tf(["plan", "-input=false", "-out=adopt.bin"]).status === 0)) return;
  const show = JSON.parse(lib.run(["show", "-json", "adopt.bin"], workDir, cliConfig).stdout);
  const imports = show.resource_changes
    .filter((c) => c.change.importing)
    .map((c) => `${c.type}=${c.change.importing.id}`)
    .sort();
  const expected = [
    "aws_autoscaling_group=" + live.autoScalingGroup,
    "aws_ecr_repository=" + live.imageRepository,
    // By name: the mirrored provider (5.x) imports capacity providers by name (lib/engine.cjs adjusts the ARN).
    "aws_ecs_capacity_provider=" + consoleCapacityProvider,
    "aws_ecs_cluster=myslp-local-cluster",
    "aws_ecs_cluster_capacity_providers=myslp-local-cluster",
    "aws_ecs_service=" + live.service,
    "aws_iam_role=" + live.executionRole,
    "aws_launch_template=" + live.launchTemplate,
  ].sort();
  step("adopt: one import per adopted resource, with its documented id", JSON.stringify(imports) === JSON.stringify(expected), imports.join(", "));
  const destructive = show.resource_changes.filter((c) => c.change.actions.includes("delete")).map((c) => `${c.address} ${c.change.actions.join("/")}`);
  step("adopt: no destroy and no replace", destructive.length === 0, destructive.join("; ") || `${imports.length} imports, in-place updates and creates only`);

  const guard = workspace("adopt-guard", synthLocal("adopt-guard", adopting("KMS")), provider, endpoint, cliConfig);
  guard.tf(["init", "-input=false"]);
  const stopped = guard.tf(["plan", "-input=false"]);
  step(
    "adopt: a setting that would replace an adopted resource stops the plan",
    stopped.status !== 0 && /Instance cannot be destroyed/.test(stopped.stdout + stopped.stderr) && /aws_ecr_repository/.test(stopped.stdout + stopped.stderr),
    "repository encryption KMS against the live AES256 repository",
  );
}

/**
 * Instance types are EC2's to describe (ClusterCapacity reads aws_ec2_instance_type at plan time, no table
 * here): a task too large for the instance, and an instance type that does not exist, must stop the plan,
 * each with a message naming the config field.
 */
function instanceFitScenario(step, provider, endpoint, cliConfig) {
  const planOf = (name, change) => {
    const { tf, workDir } = workspace(name, synthLocal(name, change), provider, endpoint, cliConfig);
    tf(["init", "-input=false"]);
    const run = tf(["plan", "-input=false"]);
    const said = flatOutput(run);
    return { failed: run.status !== 0, said, noState: !fs.existsSync(path.join(workDir, "terraform.tfstate")) };
  };
  const big = planOf("fit-task-too-big", (env) => Object.assign(env.task, { cpu: 8192, memory: 16384 }));
  step(
    "fit: a task larger than the instance stops the plan, naming task.cpu and task.memory",
    big.failed &&
      big.noState &&
      /Resource precondition failed/.test(big.said) &&
      /task\.cpu: 8192 CPU units do not fit on c6g\.xlarge \(capacity\.instanceType\): it has 4096/.test(big.said) &&
      /task\.memory: 16384 MiB do not fit on c6g\.xlarge/.test(big.said),
    big.failed ? firstError(big.said) : "the plan passed",
  );
  const unknown = planOf("fit-unknown-type", (env) => (env.capacity.instanceType = "c6g.huge"));
  step(
    "fit: an instance type EC2 does not know stops the plan",
    unknown.failed && unknown.noState && /c6g\.huge/.test(unknown.said),
    unknown.failed ? firstError(unknown.said) : "the plan passed",
  );
}

/**
 * What the apply created for operating the environment, read back from moto: the KMS-encrypted alarm topic
 * with its policy, the four alarms (no load balancer in local) notifying it, the dashboard, and no CPU
 * target-tracking policy (nothing would route to a second instance's task). (moto has no instance refresh: the launch template is applied once and never
 * changed here, so none starts; docs/operations.md.)
 */
function observabilityCreated(step, endpoint) {
  const read = spawnSync(python, [path.join(root, "scripts", "integration_observability.py"), endpoint, STACK], { encoding: "utf8" });
  if (!step("observability: read back from moto", read.status === 0, read.status === 0 ? "" : read.stderr.trim().split("\n").pop())) return;
  const found = JSON.parse(read.stdout);
  const topic = found.topics[`${STACK}-alarms`];
  step("observability: alarm topic, KMS-encrypted, with its policy", topic?.kms === true && topic?.policy === true, JSON.stringify(found.topics));
  const names = Object.keys(found.alarms).sort();
  const expected = ["container-instances-below-minimum", "daemon-tasks-missing", "instance-status-check-failed", "service-cpu-high"].map(
    (a) => `${STACK}-${a}`,
  );
  const notifying = names.filter((n) => found.alarms[n].actions.some((arn) => arn.endsWith(`:${STACK}-alarms`)));
  step(
    "observability: the four alarms, each notifying the topic",
    JSON.stringify(names) === JSON.stringify(expected) && notifying.length === 4,
    names.join(", "),
  );
  step("observability: the dashboard", JSON.stringify(found.dashboards) === JSON.stringify([STACK]), found.dashboards.join(", "));
  // No load balancer in local: a second instance's task would serve nothing, so no CPU policy (max 2 is the refresh's room).
  step("observability: no CPU scaling policy without a load balancer", found.policies.length === 0, found.policies.map((p) => p.name).join(", ") || "none");
}

async function main() {
  const version = lib.engineVersion(WHAT);
  const provider = lib.mirroredProviderVersion(WHAT);
  fs.mkdirSync(workRoot, { recursive: true });
  const moto = await startMoto(workRoot, ACCOUNT);
  python = moto.tool.bin("python");
  const { endpoint } = moto;
  const stopMoto = moto.stop;

  const steps = [];
  const runStarted = Date.now();
  let lap = Date.now();
  /** Reports a step with the time it took (since the previous step ended). */
  const step = (name, ok, detail = "") => {
    const seconds = ((Date.now() - lap) / 1000).toFixed(1);
    lap = Date.now();
    steps.push({ name, ok, seconds });
    console.log(`${ok ? "ok  " : "FAIL"} [${seconds.padStart(5)} s] ${name}${detail ? `: ${detail}` : ""}`);
    return ok;
  };
  /** Runs fn ({ ok, detail }) and reports it as one step. */
  const timed = (name, fn) => {
    const { ok, detail = "" } = fn();
    return step(name, ok, detail);
  };
  try {
    await moto.ready;
    console.log(`integration: ${lib.engine} ${version}, hashicorp/aws ${provider}, moto on ${endpoint}`);
    lap = Date.now();
    const cliConfig = lib.writeCliConfig(path.join(workRoot, "cli.tfrc"));
    for (const log of ["terraform.log", "cdktf.log"]) fs.rmSync(path.join(workRoot, log), { force: true });
    const outdir = path.join(workRoot, "cli");
    fs.rmSync(outdir, { recursive: true, force: true });
    const cli = { endpoint, cliConfig, outdir };
    const stackDir = path.join(outdir, "stacks", STACK);

    // 1. cdktf plan: synthesizes through cdktf.json, initializes from the mirror, saves the plan.
    let resources = 0;
    const planned = timed(`cdktf plan ${STACK}`, () => {
      const run = cdktf("plan", [], cli, providerCallLog(1, "plan"));
      if (run.status !== 0) return { ok: false, detail: errorsOf(run) };
      const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      resources = Object.values(stack.resource).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
      return {
        ok: true,
        detail: `hashicorp/aws ${stack.terraform.required_providers.aws.version}, ${stack.terraform.backend.local ? "local" : "non-local"} state`,
      };
    });
    if (!planned) return;
    const creates = judgePlan(savedPlan(stackDir, cliConfig, "plan")).changes.filter((c) => c.action === "create").length;
    step("the plan creates every resource", creates === resources, `${creates} of ${resources}`);

    // 2. cdktf deploy --auto-approve, then 3. cdktf plan again: the saved plan must show no change beyond
    // moto's known read-back gaps.
    const deployed = timed(`cdktf deploy ${STACK} --auto-approve`, () => {
      const run = cdktf("deploy", ["--auto-approve"], cli, providerCallLog(2, "deploy"));
      const summary = /Apply complete! Resources: (\d+) added/.exec(run.stdout);
      return { ok: run.status === 0 && summary !== null, detail: run.status === 0 ? (summary ? `${summary[1]} added` : "no apply summary") : errorsOf(run) };
    });
    if (deployed) {
      observabilityCreated(step, endpoint);
      timed(`cdktf plan ${STACK} after the deploy: no change beyond the known moto read-back gaps`, () => {
        const run = cdktf("plan", [], cli, providerCallLog(3, "plan"));
        if (run.status !== 0) return { ok: false, detail: errorsOf(run) };
        const verdict = judgePlan(savedPlan(stackDir, cliConfig, "plan"), KNOWN_MOTO_READBACK_GAPS);
        for (const c of verdict.allowed) console.log(`  known gap: ${describeChange(c)}`);
        for (const c of verdict.unexpected) console.log(`  UNEXPECTED: ${describeChange(c)}`);
        return { ok: verdict.unexpected.length === 0, detail: `${verdict.allowed.length} known, ${verdict.unexpected.length} unexpected` };
      });
    }

    // 4. cdktf destroy --auto-approve, and nothing of ours left at the endpoint.
    timed(`cdktf destroy ${STACK} --auto-approve`, () => {
      const run = cdktf("destroy", ["--auto-approve"], cli, providerCallLog(4, "destroy"));
      const summary = /Destroy complete! Resources: (\d+) destroyed/.exec(run.stdout);
      return {
        ok: run.status === 0 && summary !== null,
        detail: run.status === 0 ? (summary ? `${summary[1]} destroyed` : "no destroy summary") : errorsOf(run),
      };
    });
    timed("nothing of ours left in moto", () => {
      const leftovers = spawnSync(python, [path.join(root, "scripts", "integration_leftovers.py"), endpoint, STACK], { encoding: "utf8" });
      const left = leftovers.stdout.trim();
      return { ok: leftovers.status === 0 && left === "", detail: leftovers.status === 0 ? left.split("\n").join("; ") : leftovers.stderr.trim() };
    });

    adoptionScenario(step, provider, endpoint, cliConfig);
    instanceFitScenario(step, provider, endpoint, cliConfig);
  } catch (error) {
    step("run", false, error.message);
  } finally {
    stopMoto();
    const passed = steps.filter((s) => s.ok).length;
    console.log(`integration: ${passed} passed, ${steps.length - passed} failed, ${((Date.now() - runStarted) / 1000).toFixed(0)} s`);
    process.exitCode = steps.length > 0 && passed === steps.length ? 0 : 1;
  }
}

main();
