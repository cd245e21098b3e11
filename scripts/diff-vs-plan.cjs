#!/usr/bin/env node
/*
 * `npm run test:diff-vs-plan`: does `npm run diff` say what Terraform will do? The `local` environment
 * (src/config/local.ts) is applied once to moto with plain terraform; then, for each change shape below, the head is
 * synthesized (a config change) or made from the base synth (a construct-id rename, with and without a `moved`
 * block), planned against the applied state (`terraform plan -out`, `terraform show -json`), and Terraform's action
 * per address (create, update, replace, delete, no-op; moved through previous_address) is compared with the synth
 * diff's (diffStacks(base, head).stacks[].plan). One line per shape; any disagreement fails the run.
 * moto's known read-back gaps (scripts/integration.cjs KNOWN_MOTO_READBACK_GAPS) are not changes.
 * Reuses the integration tier's pieces: moto from tools/moto-requirements.txt in .venv/moto, the provider from the
 * filesystem mirror (terraform init once, its .terraform shared by every plan), offlineOverride for the provider.
 * Fails, never skips, when the engine, the provider or moto is missing. `--verbose` lists Terraform's action per
 * address for every shape.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib/engine.cjs");
const { motoProviderOverride, startMoto } = require("./lib/moto.cjs");
const { root, synthesizeLocal } = require("./lib/tools.cjs");
const { motoReadbackGaps, terraformVerdicts, diffVerdicts, disagreements, describeVerdict, summary, renameResource } = require("./lib/diff-vs-plan.cjs");

const WHAT = "diff-vs-plan";
/** --verbose: also every address of Terraform's plan, per shape. */
const verbose = process.argv.includes("--verbose");
const workRoot = path.join(root, "cdktf.out", "diff-vs-plan");
const ACCOUNT = "744590032041";
const LOG_GROUP = "aws_cloudwatch_log_group.task_log_group_02FEF71B";
const RENAMED_LOG_GROUP = "aws_cloudwatch_log_group.task_logs_5D2E8A41";

/** The change shapes: a config change (env) or a change of the base synth (json). */
const SHAPES = [
  { name: "cluster renamed: the cluster, its capacity-provider link and the service replaced", env: (e) => (e.cluster.name = "myslp-local-cluster-2") },
  { name: "construct id of the task log group changed, no moved block: destroy and create", json: (s) => renameResource(s, LOG_GROUP, RENAMED_LOG_GROUP) },
  { name: "the same with a moved block: moved, no change", json: (s) => renameResource(s, LOG_GROUP, RENAMED_LOG_GROUP, { moved: true }) },
  { name: "desired capacity changed (lifecycle.ignore_changes): nothing", env: (e) => (e.capacity.desiredCapacity = 2) },
  { name: "image count kept by the ECR lifecycle policy changed: the policy replaced", env: (e) => (e.imageRepository.keepImageCount = 40) },
  { name: "VPC CIDR changed: the network and everything in it replaced", env: (e) => (e.network.cidr = "10.31.0.0/16") },
];

/** The stack as the engine gets it (the mirrored provider's adjustments, no backend): the JSON the diff also reads. */
function engineStack(stackFile, provider) {
  const { stack } = lib.adjustedStack(stackFile, provider);
  delete stack.terraform.backend;
  return stack;
}

/** A working directory holding `stack`, the provider pointed at moto and (optionally) the shared .terraform. */
function workspace(name, stack, provider, endpoint, shared) {
  const dir = path.join(workRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  fs.writeFileSync(path.join(dir, "local_override.tf.json"), JSON.stringify(motoProviderOverride(provider, endpoint), null, 2));
  if (shared) {
    fs.symlinkSync(path.join(shared, ".terraform"), path.join(dir, ".terraform"));
    fs.copyFileSync(path.join(shared, ".terraform.lock.hcl"), path.join(dir, ".terraform.lock.hcl"));
    fs.copyFileSync(path.join(shared, "terraform.tfstate"), path.join(dir, "terraform.tfstate"));
  }
  return dir;
}

function terraform(args, dir, cliConfig) {
  const result = lib.run([...args, "-no-color"], dir, cliConfig, { AWS_REGION: "us-east-1" });
  fs.appendFileSync(path.join(workRoot, "terraform.log"), `$ [${path.basename(dir)}] ${lib.engine} ${args.join(" ")}\n${result.stdout}${result.stderr}\n`);
  return result;
}

function lastError(result) {
  const text = `${result.stdout}\n${result.stderr}`.replace(/[│╷╵]/g, " ");
  return (text.match(/Error: (.{0,200})/) ?? ["", `exit ${result.status}`])[1].trim();
}

async function main() {
  const started = Date.now();
  const version = lib.engineVersion(WHAT);
  const provider = lib.mirroredProviderVersion(WHAT);
  const gaps = motoReadbackGaps();
  fs.rmSync(workRoot, { recursive: true, force: true });
  const moto = await startMoto(workRoot, ACCOUNT);
  const { endpoint } = moto;
  const stopMoto = moto.stop;

  const results = [];
  let lap = Date.now();
  const report = (name, ok, detail) => {
    const seconds = ((Date.now() - lap) / 1000).toFixed(1);
    lap = Date.now();
    results.push(ok);
    console.log(`${ok ? "ok  " : "FAIL"} [${seconds.padStart(5)} s] ${name}${detail ? `: ${detail}` : ""}`);
    return ok;
  };
  try {
    await moto.ready;
    console.log(`${WHAT}: ${lib.engine} ${version}, hashicorp/aws ${provider}, moto on ${endpoint}`);
    lap = Date.now();
    const cliConfig = lib.writeCliConfig(path.join(workRoot, "cli.tfrc"));

    // The base: synthesized, initialized once (provider from the mirror), applied to moto.
    const base = engineStack(synthesizeLocal(path.join(workRoot, "base-out")), provider);
    const baseDir = workspace("base", base, provider, endpoint);
    const init = terraform(["init", "-input=false"], baseDir, cliConfig);
    if (!report("terraform init (provider from the mirror)", init.status === 0, init.status === 0 ? "" : lastError(init))) return;
    const apply = terraform(["apply", "-input=false", "-auto-approve"], baseDir, cliConfig);
    const applied = /Apply complete! Resources: (\d+) added/.exec(apply.stdout);
    if (!report("terraform apply of the base", apply.status === 0 && applied !== null, apply.status === 0 ? `${applied?.[1]} added` : lastError(apply))) return;

    for (const [i, shape] of SHAPES.entries()) {
      const head = shape.env ? engineStack(synthesizeLocal(path.join(workRoot, `head-${i}-out`), shape.env), provider) : shape.json(base);
      const dir = workspace(`head-${i}`, head, provider, endpoint, baseDir);
      const plan = terraform(["plan", "-input=false", "-out=plan.bin"], dir, cliConfig);
      if (plan.status !== 0) {
        report(shape.name, false, `terraform plan failed: ${lastError(plan)}`);
        continue;
      }
      const show = lib.run(["show", "-json", "plan.bin"], dir, cliConfig);
      const theirs = terraformVerdicts(JSON.parse(show.stdout), gaps);
      const ours = diffVerdicts(base, head).verdicts;
      const differ = disagreements(theirs, ours);
      report(shape.name, differ.length === 0, `terraform: ${summary(theirs)}; npm run diff: ${differ.length === 0 ? "the same" : summary(ours)}`);
      for (const d of differ) console.log(`       ${d.address}: terraform ${d.terraform}, npm run diff ${d.diff}`);
      if (verbose) for (const [address, v] of theirs) console.log(`       terraform: ${describeVerdict(v)} ${address}`);
    }
  } catch (error) {
    report("run", false, error.stack ?? error.message);
  } finally {
    stopMoto();
    const passed = results.filter(Boolean).length;
    console.log(`${WHAT}: ${passed} passed, ${results.length - passed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    process.exitCode = results.length > 0 && passed === results.length ? 0 : 1;
  }
}

main();
