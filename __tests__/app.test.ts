import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { configWarnings, environmentsFromEnv, synthesize } from "../src/app";
import { loadEnvironments } from "../src/config";
import { stagingRaw, synthApp } from "./helpers";

/** Runs the app exactly as `npm run synth` and cdktf.json do, in a scratch directory. */
const runApp = resolve(__dirname, "..", "scripts", "run-app.cjs");

function synthIn(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "myslp-synth-"));
  const result = spawnSync(process.execPath, [runApp], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  return { dir, ...result };
}

describe("the app (main.ts)", () => {
  const run = synthIn();
  afterAll(() => rmSync(run.dir, { recursive: true, force: true }));

  test("synthesizes staging, production, the state bootstrap and the CI identities stacks (not the local endpoint's)", () => {
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readdirSync(join(run.dir, "cdktf.out", "stacks")).sort()).toEqual([
      "myslp-ci-identities-744590032041",
      "myslp-production",
      "myslp-staging",
      "myslp-state-bootstrap-744590032041-us-east-1",
    ]);
  });

  test("says what it wrote: one line per stack with its resource and data source counts and folder, then each warning", () => {
    const lines = run.stdout.trim().split("\n");
    const stacks = readdirSync(join(run.dir, "cdktf.out", "stacks")).sort();
    const stackLines = lines.filter((l) => !l.startsWith("warning: "));
    expect(stackLines.map((l) => l.split(":")[0]).sort()).toEqual(stacks);
    for (const line of stackLines) {
      const [, name, resources, data, folder] = /^(\S+): (\d+) resources, (\d+) data sources -> (\S+)$/.exec(line) ?? [];
      const json = JSON.parse(readFileSync(join(run.dir, folder, "cdk.tf.json"), "utf8"));
      const count = (blocks: Record<string, Record<string, unknown>> = {}) => Object.values(blocks).reduce((n, b) => n + Object.keys(b).length, 0);
      expect({ name, resources: Number(resources), data: Number(data) }).toEqual({ name, resources: count(json.resource), data: count(json.data) });
    }
    const warnings = lines.filter((l) => l.startsWith("warning: "));
    expect(warnings).toContainEqual(expect.stringMatching(/^warning: staging: alarms reach nobody: alarms\.emailSubscriptions is empty/));
    expect(warnings).toContainEqual(expect.stringMatching(/^warning: production: confirm before the first deploy: alarms\.emailSubscriptions: /));
    expect(warnings.filter((w) => w.startsWith("warning: production: confirm")).length).toBe(4);
  });

  test("an environment with a subscriber gets no alarm warning", () => {
    const raw = stagingRaw();
    raw.alarms = { emailSubscriptions: ["ops@example.com"] };
    expect(configWarnings(loadEnvironments([raw])[0])).toEqual([]);
    expect(configWarnings(loadEnvironments([stagingRaw()])[0])).toHaveLength(1);
  });

  test("synthesizes the local environment alone when named, as the integration tier's cdktf CLI does", () => {
    const named = synthIn({ MYSLP_ENVIRONMENTS: "local" });
    try {
      expect(named.status).toBe(0);
      expect(readdirSync(join(named.dir, "cdktf.out", "stacks"))).toEqual(["myslp-local"]);
      const json = JSON.parse(readFileSync(join(named.dir, "cdktf.out", "stacks", "myslp-local", "cdk.tf.json"), "utf8"));
      expect(json.terraform.backend).toEqual({ local: { path: "terraform.myslp-local.tfstate" } });
    } finally {
      rmSync(named.dir, { recursive: true, force: true });
    }
  });

  test("writes the staging platform into cdktf.out/stacks/myslp-staging/cdk.tf.json", () => {
    const json = JSON.parse(readFileSync(join(run.dir, "cdktf.out", "stacks", "myslp-staging", "cdk.tf.json"), "utf8"));
    for (const type of [
      "aws_ecs_cluster",
      "aws_launch_template",
      "aws_autoscaling_group",
      "aws_ecs_capacity_provider",
      "aws_ecs_cluster_capacity_providers",
      "aws_ecs_task_definition",
      "aws_ecs_service",
      "aws_ecr_repository",
    ]) {
      expect(Object.keys(json.resource)).toContain(type);
    }
    expect(json.terraform.backend.s3.use_lockfile).toBe(true);
  });

  test("stops on an unknown environment, says which are allowed, and writes nothing", () => {
    const failed = synthIn({ MYSLP_ENVIRONMENTS: "prod" });
    try {
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('Unknown environment "prod" (from MYSLP_ENVIRONMENTS): allowed are staging, production, local');
      expect(existsSync(join(failed.dir, "cdktf.out"))).toBe(false);
    } finally {
      rmSync(failed.dir, { recursive: true, force: true });
    }
  });

  test("cdktf.json runs the same command as npm run synth", () => {
    const root = resolve(__dirname, "..");
    const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.scripts.synth).toBe(cdktf.app);
    // A path inside the output directory (which a fresh clone does not have yet) must be ignored by git.
    const output = "cdktf.out/stacks/myslp-staging/cdk.tf.json";
    expect(execFileSync("git", ["check-ignore", output], { cwd: root, encoding: "utf8" }).trim()).toBe(output);
  });
});

describe("synthesize", () => {
  test("writes nothing when any environment is invalid", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "myslp-bad-")), "out");
    const bad = stagingRaw();
    bad.capacity.instanceType = "m5.xlarge";
    expect(() => synthesize({ environments: [bad], outdir })).toThrow("capacity.instanceType: is not a Graviton (ARM64) instance type");
    expect(existsSync(outdir)).toBe(false);
  });

  test("writes every stack when all environments are valid", () => {
    const app = synthApp({ environments: [stagingRaw()] });
    expect(app.stacks).toEqual(["myslp-ci-identities-744590032041", "myslp-staging", "myslp-state-bootstrap-744590032041-us-east-1"]);
    app.remove();
  });

  test("reads the environment list from MYSLP_ENVIRONMENTS", () => {
    expect(environmentsFromEnv(undefined)).toBeUndefined();
    expect(environmentsFromEnv(" , ")).toBeUndefined();
    expect(environmentsFromEnv("staging, production")).toEqual(["staging", "production"]);
  });
});
