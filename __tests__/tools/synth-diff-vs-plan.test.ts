// The engine-free pieces of `npm run test:diff-vs-plan` (scripts/diff-vs-plan.cjs runs them against moto).
const { motoReadbackGaps, terraformVerdicts, diffVerdicts, disagreements, summary, renameResource } = require("../../scripts/lib/diff-vs-plan.cjs");

/** A saved plan as `terraform show -json` prints it, with just what the comparison reads. */
function plan(changes: { address: string; actions: string[]; previous?: string; before?: any; after?: any }[]) {
  return {
    format_version: "1.2",
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: "managed",
      type: c.address.split(".")[0],
      ...(c.previous ? { previous_address: c.previous } : {}),
      change: { actions: c.actions, before: c.before ?? {}, after: c.after ?? {}, after_unknown: {} },
    })),
  };
}

describe("diff-vs-plan pieces", () => {
  test("the moto read-back gaps are the integration tier's", () => {
    const gaps = motoReadbackGaps();
    expect(gaps.aws_ecs_service.attributes).toContain("enable_ecs_managed_tags");
    expect(Object.keys(gaps).sort()).toEqual(["aws_autoscaling_group", "aws_ecs_service", "aws_launch_template"]);
  });

  test("Terraform's verdicts: replace from delete/create, moved through previous_address, a gap-only update is no change", () => {
    const verdicts = terraformVerdicts(
      plan([
        { address: "aws_ecs_cluster.c", actions: ["delete", "create"] },
        { address: "aws_cloudwatch_log_group.new", actions: ["no-op"], previous: "aws_cloudwatch_log_group.old" },
        { address: "aws_ecs_service.s", actions: ["update"], before: { enable_ecs_managed_tags: false }, after: { enable_ecs_managed_tags: true } },
        { address: "aws_iam_role.r", actions: ["update"], before: { description: "a" }, after: { description: "b" } },
        { address: "aws_s3_bucket.b", actions: ["no-op"] },
      ]),
      { aws_ecs_service: { attributes: ["enable_ecs_managed_tags"], why: "" } },
    );
    expect([...verdicts]).toEqual([
      ["aws_ecs_cluster.c", { action: "replace" }],
      ["aws_cloudwatch_log_group.new", { action: "no-op", previous_address: "aws_cloudwatch_log_group.old" }],
      ["aws_iam_role.r", { action: "update" }],
    ]);
    expect(summary(verdicts)).toBe("1 update, 1 replace, 1 moved");
  });

  test("a construct-id rename on a synthesized stack: key, references and depends_on follow; with moved, the block", () => {
    const stack = {
      resource: {
        aws_cloudwatch_log_group: { logs_0A1B2C3D: { "//": { metadata: { path: "s/task/logs", uniqueId: "logs_0A1B2C3D" } }, name: "/ecs/x" } },
        aws_iam_role_policy: {
          p: { policy: '{"Resource":"${aws_cloudwatch_log_group.logs_0A1B2C3D.arn}"}', depends_on: ["aws_cloudwatch_log_group.logs_0A1B2C3D"] },
        },
      },
    };
    const renamed = renameResource(stack, "aws_cloudwatch_log_group.logs_0A1B2C3D", "aws_cloudwatch_log_group.task_logs_9F8E7D6C");
    expect(Object.keys(renamed.resource.aws_cloudwatch_log_group)).toEqual(["task_logs_9F8E7D6C"]);
    expect(renamed.resource.aws_cloudwatch_log_group.task_logs_9F8E7D6C["//"].metadata.path).toBe("s/task/task_logs");
    expect(renamed.resource.aws_iam_role_policy.p).toEqual({
      policy: '{"Resource":"${aws_cloudwatch_log_group.task_logs_9F8E7D6C.arn}"}',
      depends_on: ["aws_cloudwatch_log_group.task_logs_9F8E7D6C"],
    });
    expect(renamed.moved).toBeUndefined();
    const moved = renameResource(stack, "aws_cloudwatch_log_group.logs_0A1B2C3D", "aws_cloudwatch_log_group.task_logs_9F8E7D6C", { moved: true });
    expect(moved.moved).toEqual([{ from: "aws_cloudwatch_log_group.logs_0A1B2C3D", to: "aws_cloudwatch_log_group.task_logs_9F8E7D6C" }]);
    // What the synth diff says for both, and that a disagreement is reported per address.
    const plain = diffVerdicts(stack, renamed).verdicts;
    expect([...plain]).toEqual([
      ["aws_cloudwatch_log_group.logs_0A1B2C3D", { action: "delete" }],
      ["aws_cloudwatch_log_group.task_logs_9F8E7D6C", { action: "create" }],
      ["aws_iam_role_policy.p", { action: "update" }],
    ]);
    expect([...diffVerdicts(stack, moved).verdicts]).toEqual([
      ["aws_cloudwatch_log_group.task_logs_9F8E7D6C", { action: "no-op", previous_address: "aws_cloudwatch_log_group.logs_0A1B2C3D" }],
    ]);
    expect(disagreements(new Map([["aws_iam_role_policy.p", { action: "replace" }]]), plain)).toEqual([
      { address: "aws_cloudwatch_log_group.logs_0A1B2C3D", terraform: "no-op", diff: "delete" },
      { address: "aws_cloudwatch_log_group.task_logs_9F8E7D6C", terraform: "no-op", diff: "create" },
      { address: "aws_iam_role_policy.p", terraform: "replace", diff: "update" },
    ]);
  });
});
