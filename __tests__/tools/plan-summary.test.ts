import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const { summarizePlan, renderStack, renderSkipped } = require("../../scripts/lib/plan-summary.cjs");

const root = resolve(__dirname, "..", "..");
const script = join(root, "scripts", "plan-summary.cjs");

/** A resource change as `terraform show -json` writes it (values are irrelevant to the summary). */
function change(address: string, actions: string[], extra: { importing?: object; previous_address?: string; deposed?: string } = {}) {
  const { importing, ...top } = extra;
  const type = address.replace(/^data\./, "").split(".")[0];
  return { address, type, ...top, change: { actions, before: null, after: null, after_unknown: {}, ...(importing ? { importing } : {}) } };
}

function plan(...resourceChanges: object[]) {
  return { format_version: "1.2", terraform_version: "1.11.4", resource_changes: resourceChanges };
}

// Deliberately out of address order: the summary sorts what it names.
const mixed = plan(
  change("aws_s3_bucket.logs", ["create"]),
  change("aws_security_group.task", ["delete", "create"]),
  change("aws_ecs_service.service", ["update"]),
  change("aws_lb.entry", ["create", "delete"]),
  change("aws_iam_role.old", ["delete"]),
  change("aws_ecs_cluster.cluster", ["no-op"]),
  change("data.aws_vpc.vpc", ["read"]),
  change("aws_ecs_cluster.adopted", ["no-op"], { importing: { id: "myslp-staging-cluster" } }),
  change("aws_ecr_repository.images", ["update"], { importing: { id: "myslp2024-aarch64" } }),
  change("aws_kms_key.platform", ["no-op"], { previous_address: "aws_kms_key.key" }),
);
const mixedLines = [
  "**`myslp-staging`**: 1 to create, 2 to update, 2 to replace, 1 to destroy, 2 to import, 1 to move",
  "- replace `aws_lb.entry`",
  "- replace `aws_security_group.task`",
  "- destroy `aws_iam_role.old`",
];
const unchanged = plan(change("aws_ecs_cluster.cluster", ["no-op"]), change("data.aws_vpc.vpc", ["read"]));
const unchangedLine = "**`myslp-production`**: 0 to create, 0 to update, 0 to replace, 0 to destroy, 0 to import, 0 to move";

describe("summarizing a saved plan (scripts/lib/plan-summary.cjs)", () => {
  test("counts each kind of change from the actions, importing and previous_address", () => {
    expect(summarizePlan(mixed).counts).toEqual({ create: 1, update: 2, replace: 2, destroy: 1, import: 2, move: 1 });
  });

  test("names replaced resources, then destroyed ones, each in address order", () => {
    expect(summarizePlan(mixed).notable).toEqual([
      { action: "replace", address: "aws_lb.entry", deposed: null },
      { action: "replace", address: "aws_security_group.task", deposed: null },
      { action: "destroy", address: "aws_iam_role.old", deposed: null },
    ]);
    expect(renderStack("myslp-staging", summarizePlan(mixed))).toEqual(mixedLines);
  });

  test("the order of resource_changes does not change the summary", () => {
    const reversed = { ...mixed, resource_changes: [...mixed.resource_changes].reverse() };
    expect(renderStack("myslp-staging", summarizePlan(reversed))).toEqual(mixedLines);
  });

  test("no-ops and data reads count as nothing; a plan without resource_changes is empty", () => {
    expect(renderStack("myslp-production", summarizePlan(unchanged))).toEqual([unchangedLine]);
    expect(summarizePlan({ format_version: "1.2" }).counts).toEqual({ create: 0, update: 0, replace: 0, destroy: 0, import: 0, move: 0 });
  });

  test("a move to the same address is no move; a deposed object's destruction says so", () => {
    const p = plan(
      change("aws_ecs_service.s", ["no-op"], { previous_address: "aws_ecs_service.s" }),
      change("aws_lb.entry", ["delete"], { deposed: "a1b2c3d4" }),
    );
    expect(renderStack("s", summarizePlan(p))).toEqual([
      "**`s`**: 0 to create, 0 to update, 0 to replace, 1 to destroy, 0 to import, 0 to move",
      "- destroy `aws_lb.entry` (deposed object `a1b2c3d4`)",
    ]);
  });

  test("an address with a backtick stays one code span", () => {
    const p = plan(change('aws_iam_role.r["a`b"]', ["delete"]));
    expect(renderStack("s", summarizePlan(p))[1]).toBe('- destroy `` aws_iam_role.r["a`b"] ``');
  });

  test("the skipped line is one line with the reason", () => {
    expect(renderSkipped("the repository variable\n  AWS_PLAN_ROLE_ARN is not set")).toBe(
      "Terraform plan: skipped — the repository variable AWS_PLAN_ROLE_ARN is not set",
    );
    expect(() => renderSkipped("  ")).toThrow(/needs a reason/);
  });

  test("refuses what is not a plan and changes it cannot classify", () => {
    expect(() => summarizePlan({ resources: [] })).toThrow(/not a Terraform plan in JSON/);
    expect(() => summarizePlan([])).toThrow(/not a Terraform plan in JSON/);
    expect(() => summarizePlan({ format_version: "1.2", resource_changes: {} })).toThrow(/resource_changes is not a list/);
    expect(() => summarizePlan(plan({ change: { actions: ["create"] } }))).toThrow(/resource_changes\[0\] has no address/);
    expect(() => summarizePlan(plan({ address: "a.b", change: {} }))).toThrow(/a\.b\) has no change\.actions list/);
    expect(() => summarizePlan(plan(change("a.b", ["delete", "update"])))).toThrow(/unknown actions \[delete, update\]/);
  });
});

describe("node scripts/plan-summary.cjs", () => {
  const dir = mkdtempSync(join(tmpdir(), "myslp-plan-summary-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: object | string) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

  test("prints each stack's summary, in argument order, separated by a blank line", () => {
    const result = run(`myslp-staging=${file("staging.json", mixed)}`, `myslp-production=${file("production.json", unchanged)}`);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe([...mixedLines, "", unchangedLine, ""].join("\n"));
  });

  test("--skipped prints one line saying why", () => {
    const result = run("--skipped", "pull request from a fork (no OIDC token)");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("Terraform plan: skipped — pull request from a fork (no OIDC token)\n");
  });

  test.each([
    ["no arguments", []],
    ["an argument without a stack", ["plan.json"]],
    ["an empty file name", ["myslp-staging="]],
    ["an unknown option", ["--json", "myslp-staging=plan.json"]],
    ["--skipped without a reason", ["--skipped"]],
    ["--skipped with an empty reason", ["--skipped", " "]],
    ["--skipped with a stack besides", ["--skipped", "why", "myslp-staging=plan.json"]],
  ])("exits 2 on %s", (_name, args) => {
    const result = run(...(args as string[]));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^plan-summary: .+\nusage: /);
  });

  test("exits 2 naming the file when it is missing, not JSON or not a plan, and on a stack given twice", () => {
    const missing = run(`myslp-staging=${join(dir, "missing.json")}`);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    const broken = run(`myslp-staging=${file("broken.json", "{not json")}`);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain("broken.json as JSON");
    const state = run(`myslp-staging=${file("state.json", { values: {} })}`);
    expect(state.status).toBe(2);
    expect(state.stderr).toContain("state.json: not a Terraform plan in JSON");
    const twice = run(`myslp-staging=${file("a.json", unchanged)}`, `myslp-staging=${file("b.json", unchanged)}`);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("stack myslp-staging given twice");
    expect(twice.stdout).toBe("");
  });
});
