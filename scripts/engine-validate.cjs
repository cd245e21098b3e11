#!/usr/bin/env node
/*
 * `npm run test:engine`: every synthesized stack through a real Terraform engine with the real AWS provider
 * schema: `terraform init -backend=false` from a local filesystem mirror (no network), then `validate`.
 *
 * The provider this project targets is 6.25.0 (@cdktf/provider-aws 21.22.1). This machine's image carries
 * only hashicorp/aws 5.100.0 under /opt/tf-plugins, and 6.x cannot be fetched or built here (see README);
 * the newest mirrored version is then used, with the adjustments in scripts/lib/engine.cjs, printed.
 *
 *   TERRAFORM_BINARY_NAME   engine binary (default terraform; tofu works too)
 *   MYSLP_PROVIDER_MIRROR   filesystem mirror root (default /opt/tf-plugins)
 * Fails, never skips, when the engine or the provider is missing.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib/engine.cjs");
const { root, synthesizeAll } = require("./lib/tools.cjs");

const WHAT = "engine validation";

function validateStack(stackDir, workDir, provider, cliConfig) {
  const { stack, adjusted } = lib.adjustedStack(path.join(stackDir, "cdk.tf.json"), provider);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  // Pins the provider to the mirrored version; *_override.tf.json files merge over the configuration.
  fs.writeFileSync(
    path.join(workDir, "provider_override.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: provider } } } }),
  );
  const init = lib.run(["init", "-backend=false", "-input=false", "-no-color"], workDir, cliConfig);
  if (init.status !== 0) return { ok: false, adjusted, errors: [`init failed:\n${init.stdout}${init.stderr}`] };
  const validate = lib.run(["validate", "-json", "-no-color"], workDir, cliConfig);
  const result = JSON.parse(validate.stdout);
  const errors = (result.diagnostics ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => `${d.summary}: ${d.detail ?? ""} (${d.range?.filename ?? ""}:${d.range?.start?.line ?? ""})`);
  return { ok: result.valid === true && errors.length === 0, adjusted, errors };
}

function main() {
  const version = lib.engineVersion(WHAT);
  const provider = lib.mirroredProviderVersion(WHAT);
  const stacksDir = synthesizeAll();
  const workRoot = path.join(root, "cdktf.out", "engine");
  const cliConfig = lib.writeCliConfig(path.join(workRoot, "cli.tfrc"));
  const note = provider === lib.TARGET_PROVIDER ? "" : ` (target ${lib.TARGET_PROVIDER} is not available here)`;
  console.log(`engine: ${lib.engine} ${version}; provider hashicorp/aws ${provider} from ${lib.mirror}${note}`);

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
