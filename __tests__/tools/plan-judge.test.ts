import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const { changesOf, describeChange, judgePlan } = require("../../scripts/lib/plan-judge.cjs");

const root = resolve(__dirname, "..", "..");

/** A resource change as `terraform show -json` writes it. */
function change(address: string, actions: string[], before: object | null, after: object | null, extra: Record<string, unknown> = {}) {
  const type = address.replace(/^data\./, "").split(".")[0];
  return { address, type, change: { actions, before, after, after_unknown: {}, ...extra } };
}

function plan(...resourceChanges: object[]) {
  return { format_version: "1.2", terraform_version: "1.11.4", resource_changes: resourceChanges };
}

const clean = plan(change("aws_ecs_cluster.cluster", ["no-op"], { name: "c" }, { name: "c" }), change("data.aws_vpc.vpc", ["read"], null, { id: "vpc-1" }));
const drifted = plan(
  change("aws_ecs_cluster.cluster", ["no-op"], { name: "c" }, { name: "c" }),
  change("aws_ecs_service.service", ["update"], { desired_count: 1, name: "s" }, { desired_count: 2, name: "s" }),
  change("aws_security_group.task", ["delete", "create"], { name: "a" }, { name: "b" }),
  change("aws_s3_bucket.logs", ["create"], null, { bucket: "b" }),
  change("aws_iam_role.old", ["delete"], { name: "old" }, null),
  change("aws_ecs_cluster.adopted", ["no-op"], { name: "x" }, { name: "x" }, { importing: { id: "x" } }),
);

describe("judging a saved plan (scripts/lib/plan-judge.cjs)", () => {
  test("a plan of no-ops and data reads has no changes", () => {
    expect(changesOf(clean)).toEqual([]);
    expect(judgePlan(clean).unexpected).toEqual([]);
  });

  test("names every resource that would change, with the kind of change and the attributes", () => {
    expect(changesOf(drifted).map((c: any) => [c.address, c.action])).toEqual([
      ["aws_ecs_service.service", "update"],
      ["aws_security_group.task", "replace"],
      ["aws_s3_bucket.logs", "create"],
      ["aws_iam_role.old", "delete"],
      ["aws_ecs_cluster.adopted", "import"],
    ]);
    expect(changesOf(drifted)[0].attributes).toEqual(["desired_count"]);
    expect(describeChange(changesOf(drifted)[0])).toBe("update aws_ecs_service.service [desired_count]");
  });

  test("counts an attribute known only after apply as changed", () => {
    const unknownAfter = plan(
      change("aws_launch_template.lt", ["update"], { latest_version: 1 }, { latest_version: null }, { after_unknown: { latest_version: true } }),
    );
    expect(changesOf(unknownAfter)[0].attributes).toEqual(["latest_version"]);
  });

  test("allows in-place updates of listed attributes only", () => {
    const gaps = { aws_ecs_service: { attributes: ["enable_ecs_managed_tags"], why: "moto" } };
    const onlyGap = plan(change("aws_ecs_service.s", ["update"], { enable_ecs_managed_tags: true }, { enable_ecs_managed_tags: false }));
    expect(judgePlan(onlyGap, gaps)).toMatchObject({ allowed: [{ address: "aws_ecs_service.s" }], unexpected: [] });
    const gapAndMore = plan(
      change("aws_ecs_service.s", ["update"], { enable_ecs_managed_tags: true, desired_count: 1 }, { enable_ecs_managed_tags: false, desired_count: 2 }),
    );
    expect(judgePlan(gapAndMore, gaps).unexpected.map((c: any) => c.address)).toEqual(["aws_ecs_service.s"]);
    const replaced = plan(change("aws_ecs_service.s", ["delete", "create"], { enable_ecs_managed_tags: true }, { enable_ecs_managed_tags: false }));
    expect(judgePlan(replaced, gaps).unexpected).toHaveLength(1);
  });

  test("refuses what is not a plan", () => {
    expect(() => changesOf({ resources: [] })).toThrow(/not a Terraform plan in JSON/);
  });
});

describe("npm run plan:judge (scripts/judge-plan.cjs)", () => {
  const dir = mkdtempSync(join(tmpdir(), "myslp-judge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const judge = (name: string, content: object | string, env: Record<string, string> = {}) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return spawnSync(process.execPath, [join(root, "scripts", "judge-plan.cjs"), "myslp-staging", file], {
      encoding: "utf8",
      env: { ...process.env, GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "", ...env },
    });
  };

  test("exits 0 and says so when nothing would change", () => {
    const run = judge("clean.json", clean);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("myslp-staging: no drift");
  });

  test("exits 1 naming the stack and every resource that would change", () => {
    const run = judge("drifted.json", drifted);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("myslp-staging: drift: 5 resource(s) would change");
    for (const line of [
      "update aws_ecs_service.service [desired_count]",
      "replace aws_security_group.task [name]",
      "create aws_s3_bucket.logs",
      "delete aws_iam_role.old",
      "import aws_ecs_cluster.adopted",
    ]) {
      expect(run.stdout).toContain(line);
    }
  });

  test("in GitHub Actions, annotates the run and writes the job summary", () => {
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const run = judge("drifted-gha.json", drifted, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary });
    expect(run.stdout).toContain("::error title=Drift in myslp-staging::5 resource(s) differ from main: aws_ecs_service.service,");
    expect(readFileSync(summary, "utf8")).toContain("| `aws_security_group.task` | replace | name |");
  });

  test("exits 2 on a file that is not a plan, and on missing arguments", () => {
    expect(judge("broken.json", "{not json").status).toBe(2);
    expect(judge("state.json", { values: {} }).stderr).toContain("not a Terraform plan in JSON");
    expect(spawnSync(process.execPath, [join(root, "scripts", "judge-plan.cjs")], { encoding: "utf8" }).status).toBe(2);
  });
});
