/*
 * What the real-engine scripts share: finding the engine and the mirrored AWS provider, the CLI config that
 * installs providers from the mirror only, and the adjustments an older mirrored provider needs.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const TARGET_PROVIDER = "6.25.0";
const engine = process.env.TERRAFORM_BINARY_NAME || "terraform";
const mirror = process.env.MYSLP_PROVIDER_MIRROR || "/opt/tf-plugins";

/**
 * Settings added in provider 6.x that an older mirrored provider rejects, and how the copy given to the
 * engine replaces them (only when the provider is older than 6.0). Printed on every run.
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
  {
    what: "import of aws_ecs_capacity_provider: by ARN (provider 6.x, its identity schema) -> by name (5.x imports by name)",
    apply(stack) {
      let changed = 0;
      for (const block of stack.import ?? []) {
        if (String(block.to).startsWith("aws_ecs_capacity_provider.") && /^arn:aws:ecs:[^:]+:\d{12}:capacity-provider\//.test(block.id)) {
          block.id = block.id.split("capacity-provider/")[1];
          changed++;
        }
      }
      return changed;
    },
  },
];

function fail(what, message) {
  console.error(`${what}: ${message}`);
  process.exit(1);
}

/** The engine's version, or exit with what is missing. */
function engineVersion(what) {
  const run = spawnSync(engine, ["version", "-json"], { encoding: "utf8" });
  if (run.error || run.status !== 0) {
    fail(
      what,
      `no "${engine}" binary works on this machine (${run.error?.message ?? run.stderr.trim()}); install Terraform >= 1.11 or set TERRAFORM_BINARY_NAME=tofu`,
    );
  }
  return JSON.parse(run.stdout).terraform_version;
}

/** The target provider version if mirrored, else the newest mirrored one; exit when there is none. */
function mirroredProviderVersion(what) {
  const dir = path.join(mirror, "registry.terraform.io", "hashicorp", "aws");
  const versions = fs.existsSync(dir) ? fs.readdirSync(dir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  if (versions.length === 0) fail(what, `no hashicorp/aws provider in the filesystem mirror ${dir} (set MYSLP_PROVIDER_MIRROR)`);
  if (versions.includes(TARGET_PROVIDER)) return TARGET_PROVIDER;
  return versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop();
}

/** Writes a CLI config that installs hashicorp/aws from the mirror and never from a registry. */
function writeCliConfig(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return file;
}

/** A copy of a synthesized stack the mirrored provider accepts; returns it and the adjustments made. */
function adjustedStack(stackFile, provider) {
  const stack = JSON.parse(fs.readFileSync(stackFile, "utf8"));
  const adjusted = [];
  if (Number(provider.split(".")[0]) < 6) {
    for (const adjustment of DOWNGRADE_ADJUSTMENTS) if (adjustment.apply(stack) > 0) adjusted.push(adjustment.what);
  }
  return { stack, adjusted };
}

/** Runs the engine in a directory; returns the spawn result. */
function run(args, cwd, cliConfig, extraEnv = {}) {
  return spawnSync(engine, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...extraEnv },
  });
}

/**
 * An `*_override.tf.json` for a stack run without AWS: the mirrored provider version, local state, fake keys and
 * no credential or metadata checks; `settings` adds to the provider block (endpoints, skipped lookups).
 */
function offlineOverride(provider, settings = {}) {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: provider } }, backend: { local: { path: "terraform.tfstate" } } },
    provider: { aws: [{ access_key: "test", secret_key: "test", skip_credentials_validation: true, skip_metadata_api_check: true, ...settings }] },
  };
}

module.exports = { TARGET_PROVIDER, engine, mirror, engineVersion, mirroredProviderVersion, writeCliConfig, adjustedStack, offlineOverride, run, fail };
