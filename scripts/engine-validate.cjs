#!/usr/bin/env node
/*
 * `npm run test:engine`: every synthesized stack through a real Terraform engine with the real AWS provider
 * schema: `terraform init -backend=false` from a local filesystem mirror (no network), then `validate`.
 *
 * The provider this project targets is 6.25.0 (@cdktf/provider-aws 21.22.1). This machine's image carries
 * only hashicorp/aws 5.100.0 under /opt/tf-plugins, and 6.x cannot be fetched or built here (see README).
 * When the mirror lacks 6.25.0, the newest mirrored version is used, and the few settings that version does
 * not know yet are adjusted in the validated copy only; each adjustment is listed in DOWNGRADE_ADJUSTMENTS
 * and printed. Everything else must validate as synthesized.
 *
 *   TERRAFORM_BINARY_NAME   engine binary (default terraform; tofu works too)
 *   MYSLP_PROVIDER_MIRROR   filesystem mirror root (default /opt/tf-plugins)
 * Fails, never skips, when the engine or the provider is missing.
 */
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const TARGET_PROVIDER = "6.25.0";
const engine = process.env.TERRAFORM_BINARY_NAME || "terraform";
const mirror = process.env.MYSLP_PROVIDER_MIRROR || "/opt/tf-plugins";

/**
 * Settings added in provider 6.x that an older mirrored provider rejects, and how the validated copy
 * replaces them (only when validating with a provider older than 6.0).
 */
const DOWNGRADE_ADJUSTMENTS = [
  {
    what: "aws_ecr_repository: image_tag_mutability IMMUTABLE_WITH_EXCLUSION and image_tag_mutability_exclusion_filter (provider 6.x) -> IMMUTABLE without the filter",
    apply(stack) {
      let changed = 0;
      for (const repository of Object.values(stack.resource?.aws_ecr_repository ?? {})) {
        if (repository.image_tag_mutability === "IMMUTABLE_WITH_EXCLUSION") {
          repository.image_tag_mutability = "IMMUTABLE";
          delete repository.image_tag_mutability_exclusion_filter;
          changed++;
        }
      }
      return changed;
    },
  },
];

function fail(message) {
  console.error(`engine validation: ${message}`);
  process.exit(1);
}

function engineVersion() {
  const run = spawnSync(engine, ["version", "-json"], { encoding: "utf8" });
  if (run.error || run.status !== 0) {
    fail(`no "${engine}" binary works on this machine (${run.error?.message ?? run.stderr.trim()}); install Terraform >= 1.11 or set TERRAFORM_BINARY_NAME=tofu`);
  }
  return JSON.parse(run.stdout).terraform_version;
}

function mirroredProviderVersion() {
  const dir = path.join(mirror, "registry.terraform.io", "hashicorp", "aws");
  const versions = fs.existsSync(dir) ? fs.readdirSync(dir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  if (versions.length === 0) fail(`no hashicorp/aws provider in the filesystem mirror ${dir} (set MYSLP_PROVIDER_MIRROR)`);
  if (versions.includes(TARGET_PROVIDER)) return TARGET_PROVIDER;
  const newest = versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop();
  return newest;
}

function validateStack(stackDir, workDir, provider, cliConfig) {
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const adjusted = [];
  if (Number(provider.split(".")[0]) < 6) {
    for (const adjustment of DOWNGRADE_ADJUSTMENTS) if (adjustment.apply(stack) > 0) adjusted.push(adjustment.what);
  }
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  // Pins the provider to the mirrored version; *_override.tf.json files merge over the configuration.
  fs.writeFileSync(
    path.join(workDir, "provider_override.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: provider } } } }),
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  const init = spawnSync(engine, ["init", "-backend=false", "-input=false", "-no-color"], { cwd: workDir, env, encoding: "utf8" });
  if (init.status !== 0) return { ok: false, adjusted, errors: [`init failed:\n${init.stdout}${init.stderr}`] };
  const validate = spawnSync(engine, ["validate", "-json", "-no-color"], { cwd: workDir, env, encoding: "utf8" });
  const result = JSON.parse(validate.stdout);
  const errors = (result.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => `${d.summary}: ${d.detail ?? ""} (${d.range?.filename ?? ""}:${d.range?.start?.line ?? ""})`);
  return { ok: result.valid === true && errors.length === 0, adjusted, errors, warnings: (result.diagnostics ?? []).filter((d) => d.severity === "warning").length };
}

function main() {
  const version = engineVersion();
  const provider = mirroredProviderVersion();
  execFileSync(process.execPath, [path.join(root, "scripts", "run-app.cjs")], { cwd: root, stdio: "inherit" });
  const workRoot = path.join(root, "cdktf.out", "engine");
  fs.mkdirSync(workRoot, { recursive: true });
  const cliConfig = path.join(workRoot, "cli.tfrc");
  fs.writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  console.log(`engine: ${engine} ${version}; provider hashicorp/aws ${provider} from ${mirror}${provider === TARGET_PROVIDER ? "" : ` (target ${TARGET_PROVIDER} is not available here)`}`);

  const stacksDir = path.join(root, "cdktf.out", "stacks");
  let passed = 0;
  let failed = 0;
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const result = validateStack(path.join(stacksDir, stack), path.join(workRoot, stack), provider, cliConfig);
    for (const what of result.adjusted) console.log(`  ${stack}: adjusted for ${provider}: ${what}`);
    if (result.ok) {
      passed++;
      console.log(`valid   ${stack}`);
    } else {
      failed++;
      console.log(`INVALID ${stack}\n    ${result.errors.join("\n    ")}`);
    }
  }
  console.log(`engine validate: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
