import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { synthesize } from "../../src/app";
import { local } from "../../src/config/local";
import { production } from "../../src/config/production";
import { staging } from "../../src/config/staging";

// What `npm run diff` says Terraform will do, on real synth pairs: the app synthesized as it is (base) and with one
// change (head), in-process. scripts/diff-vs-plan.cjs checks the same verdicts against a real terraform plan.
const { diffStacks, renderMarkdown } = require("../../scripts/lib/synth-diff.cjs");

const work = mkdtempSync(join(tmpdir(), "myslp-synth-diff-plan-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const PRODUCTION = "myslp-production";
const STAGING = "myslp-staging";
const IDENTITIES = "myslp-ci-identities-744590032041";

let runs = 0;
/** Every stack of a synth folder, parsed. */
function stacksOf(environments: unknown[], only?: string[]): Record<string, any> {
  const outdir = join(work, `out-${runs++}`);
  synthesize({ outdir, environments, only });
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  return Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, s]: [string, any]) => [name, JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8"))]),
  );
}
const base = stacksOf([copy(staging), copy(production)]);
/** The report for the app with production and staging changed (each a copy of its config). */
function changed(change: { production?: (p: any) => void; staging?: (s: any) => void }) {
  const p = copy(production) as any;
  const s = copy(staging) as any;
  change.production?.(p);
  change.staging?.(s);
  return diffStacks(base, stacksOf([s, p]));
}
const planOf = (report: any, stack: string) => report.stacks.find((s: any) => s.stack === stack).plan.map((p: any) => `${p.action} ${p.address}`);
const flagLines = (report: any) => report.flags.map((f: any) => `${f.id} ${f.stack} ${f.address}: ${f.message}`);
const lines = (report: any): string[] => renderMarkdown(report, { collapseAfter: 100000 }).split("\n");

/** The report's line for one resource (its sign, address and construct path) and the reason lines under it. */
function itemLines(report: any, address: string): string[] {
  const all = lines(report);
  const at = all.findIndex((l) => l.startsWith("- **") && l.includes(`\`${address}\``));
  if (at < 0) return [];
  const out = [all[at]];
  for (const l of all.slice(at + 1)) {
    if (!l.startsWith("  - ") || l.startsWith("  - `")) break;
    out.push(l);
  }
  return out;
}

describe("replacements cascade like Terraform's", () => {
  const report = changed({ production: (p) => (p.cluster.name = "myslp-production-cluster-2") });

  test("renaming the cluster replaces the cluster, its capacity-provider link and the service; the instances are refreshed", () => {
    expect(planOf(report, PRODUCTION)).toEqual([
      "update aws_autoscaling_group.capacity_auto_scaling_group_CB31B232",
      "update aws_cloudwatch_dashboard.observability_dashboard_DEF1D588",
      "update aws_cloudwatch_metric_alarm.observability_alarms_container_instances_below_minimum_3E3D17C1",
      "update aws_cloudwatch_metric_alarm.observability_alarms_daemon_tasks_missing_499474C9",
      "update aws_cloudwatch_metric_alarm.observability_alarms_service_cpu_high_B0007AAC",
      "update aws_codepipeline.pipeline_ECD41627",
      "replace aws_ecs_cluster.cluster_A4C38409",
      "replace aws_ecs_cluster_capacity_providers.capacity_cluster_capacity_providers_4C458F27",
      "replace aws_ecs_service.service_E7C408F2",
      "update aws_iam_role_policy.pipeline_pipeline_policy_5A6D40FC",
      "update aws_launch_template.capacity_launch_template_57DDA629",
    ]);
    expect(flagLines(report)).toEqual([
      "replacement myslp-production aws_ecs_cluster.cluster_A4C38409: name: cannot change in place, the aws_ecs_cluster is destroyed and created again",
      "replacement myslp-production aws_ecs_cluster_capacity_providers.capacity_cluster_capacity_providers_4C458F27: replaced because `cluster_name` references `aws_ecs_cluster.cluster_A4C38409.name`, which changes",
      "replacement myslp-production aws_ecs_service.service_E7C408F2: replaced because `cluster` references the replaced `aws_ecs_cluster.cluster_A4C38409` (its `arn` is known only after apply)",
      "replacement myslp-production aws_launch_template.capacity_launch_template_57DDA629: `user_data` references `aws_ecs_cluster.cluster_A4C38409.name`, which changes: a new template version with other start-up commands: the instances are replaced (at once when the Auto Scaling group has an instance_refresh; without one, only instances launched later use it)",
    ]);
    expect(lines(report)).toContain("| `myslp-production` | changed | 0 | 8 | 3 | 0 | 0 |");
    expect(itemLines(report, "aws_ecs_service.service_E7C408F2")).toEqual([
      "- **-/+** `aws_ecs_service.service_E7C408F2` (`myslp-production/service/service`): replaced",
      "  - replaced because `cluster` references the replaced `aws_ecs_cluster.cluster_A4C38409` (its `arn` is known only after apply)",
    ]);
    expect(lines(report)).toContain(
      '  - `cluster`: `"${aws_ecs_cluster.cluster_A4C38409.arn}"` → `"(known after apply)"` (through `aws_ecs_cluster.cluster_A4C38409.arn`)',
    );
    // A reference to the service's name, which the configuration sets and which stays the same, changes nothing.
    expect(itemLines(report, "aws_cloudwatch_metric_alarm.observability_alarms_service_cpu_high_B0007AAC")).toEqual([
      "- **~** `aws_cloudwatch_metric_alarm.observability_alarms_service_cpu_high_B0007AAC` (`myslp-production/observability/alarms/service_cpu_high`)",
      "  - updated because `dimensions` references `aws_ecs_cluster.cluster_A4C38409.name`, which changes",
    ]);
    expect(itemLines(report, "aws_autoscaling_group.capacity_auto_scaling_group_CB31B232")).toEqual([
      "- **~** `aws_autoscaling_group.capacity_auto_scaling_group_CB31B232` (`myslp-production/capacity/auto_scaling_group`)",
      "  - updated because `launch_template` references `aws_launch_template.capacity_launch_template_57DDA629.latest_version`, which the update of `aws_launch_template.capacity_launch_template_57DDA629` makes unknown",
      "  - updated because `tag` references `aws_ecs_cluster.cluster_A4C38409.name`, which changes",
    ]);
  });

  test("a security group's description replaces the group, its rules, and is flagged first: the database admits it", () => {
    const head = stacksOf([copy(staging), copy(production)]);
    head[PRODUCTION].resource.aws_security_group.task_security_group_432FD4E8.description = "ECS tasks";
    const sg = diffStacks(base, head);
    expect(planOf(sg, PRODUCTION)).toEqual([
      "update aws_ecs_service.service_E7C408F2",
      "replace aws_security_group.task_security_group_432FD4E8",
      "replace aws_vpc_security_group_egress_rule.task_security_group_all_outbound_4AEEEDA1",
      "update aws_vpc_security_group_ingress_rule.task_security_group_database_from_task_B2589905",
      "replace aws_vpc_security_group_ingress_rule.task_security_group_http_from_source_group_63F537D2",
    ]);
    expect(flagLines(sg)).toEqual([
      "data-loss myslp-production aws_security_group.task_security_group_432FD4E8: replaced (destroyed, then created again): the database's ingress rule that admits this group goes with it: the tasks lose their database connection until the new rule exists",
      "replacement myslp-production aws_security_group.task_security_group_432FD4E8: description: cannot change in place, the aws_security_group is destroyed and created again",
      "replacement myslp-production aws_vpc_security_group_egress_rule.task_security_group_all_outbound_4AEEEDA1: replaced because `security_group_id` references the replaced `aws_security_group.task_security_group_432FD4E8` (its `id` is known only after apply)",
      "replacement myslp-production aws_vpc_security_group_ingress_rule.task_security_group_http_from_source_group_63F537D2: replaced because `security_group_id` references the replaced `aws_security_group.task_security_group_432FD4E8` (its `id` is known only after apply)",
    ]);
  });

  test("a new VPC CIDR replaces the network and everything in it (local environment)", () => {
    const vpc = diffStacks(
      stacksOf([copy(local)], ["local"]),
      stacksOf([{ ...copy(local), network: { ...copy(local).network, cidr: "10.31.0.0/16" } }], ["local"]),
    );
    const plan: string[] = planOf(vpc, "myslp-local");
    expect(plan.filter((p) => p.startsWith("update "))).toEqual([
      "update aws_autoscaling_group.capacity_auto_scaling_group_CB31B232",
      "update aws_ecs_service.service_E7C408F2",
      "update aws_internet_gateway.network_internet_gateway_428007AA",
      "update aws_launch_template.capacity_launch_template_57DDA629",
    ]);
    expect(plan.filter((p) => p.startsWith("replace ")).length).toBe(18);
    expect(flagLines(vpc)).toContain(
      "replacement myslp-local aws_subnet.network_private_us-east-1a_8748BAED: replaced because `cidr_block` references `aws_vpc.network_vpc_4E8F0223.cidr_block`, which changes; replaced because `vpc_id` references the replaced `aws_vpc.network_vpc_4E8F0223` (its `id` is known only after apply)",
    );
    expect(flagLines(vpc)).toContain(
      "replacement myslp-local aws_vpc.network_vpc_4E8F0223: cidr_block: cannot change in place, the aws_vpc is destroyed and created again",
    );
  });

  test("a changed ECR lifecycle policy is a replacement (the provider has no update for it)", () => {
    const ecr = changed({ production: (p) => (p.imageRepository.keepImageCount = 40) });
    expect(planOf(ecr, PRODUCTION)).toEqual(["replace aws_ecr_lifecycle_policy.image_repository_lifecycle_policy_CAF97CB6"]);
    expect(flagLines(ecr)).toEqual([
      "replacement myslp-production aws_ecr_lifecycle_policy.image_repository_lifecycle_policy_CAF97CB6: policy: cannot change in place, the aws_ecr_lifecycle_policy is destroyed and created again",
    ]);
    expect(itemLines(ecr, "aws_ecr_lifecycle_policy.image_repository_lifecycle_policy_CAF97CB6")[0]).toBe(
      "- **-/+** `aws_ecr_lifecycle_policy.image_repository_lifecycle_policy_CAF97CB6` (`myslp-production/image_repository/lifecycle_policy`): replaced",
    );
  });
});

describe("destroys that fail or lose data are flagged first", () => {
  test("turning production's load balancer off: AWS refuses to delete it half-way, the site is down", () => {
    const report = changed({
      production: (p) => {
        delete p.loadBalancer;
        p.network.httpSource = { kind: "vpc" };
      },
    });
    const plan: string[] = planOf(report, PRODUCTION);
    expect(plan.filter((p) => p.startsWith("delete ")).length).toBe(18);
    expect(plan.filter((p) => !p.startsWith("delete "))).toEqual([
      "update aws_autoscaling_group.capacity_auto_scaling_group_CB31B232",
      "update aws_cloudwatch_dashboard.observability_dashboard_DEF1D588",
      "update aws_ecs_service.service_E7C408F2",
      "create aws_vpc_security_group_ingress_rule.task_security_group_http_from_cidr_0_92A712FB",
    ]);
    expect(flagLines(report)).toEqual([
      "destroy-refused myslp-production aws_lb.entry_load_balancer_17F869D1: destroyed: AWS refuses to delete a load balancer with deletion protection: the apply fails after destroying what depends on it (4 aws_cloudwatch_metric_alarm, 2 aws_lb_listener, aws_wafv2_web_acl_association); the site is down",
    ]);
    expect(lines(report)).toContain("| `myslp-production` | changed | 1 | 3 | 0 | 18 | 0 |");
    const md = renderMarkdown(report);
    expect(md.indexOf("Destroy that will be refused")).toBeLessThan(md.indexOf("### Changes by stack"));
  });

  test("renaming the production image repository: the repository and its images are lost; the roles change scope, no broadening", () => {
    const report = changed({
      production: (p) => {
        p.imageRepository.name = "myslp-production-images";
        p.task = { ...p.task, image: p.task.image.replace("myslp-production-aarch64", "myslp-production-images") };
      },
    });
    expect(flagLines(report)).toEqual([
      "data-loss myslp-production aws_ecr_repository.image_repository_3AEE1EBB: replaced (destroyed, then created again): the repository and every image in it are deleted (AWS refuses while it holds images unless force_delete is set: the apply fails half-way); the tasks cannot pull their image",
      "replacement myslp-production aws_ecr_lifecycle_policy.image_repository_lifecycle_policy_CAF97CB6: replaced because `repository` references `aws_ecr_repository.image_repository_3AEE1EBB.name`, which changes",
      "replacement myslp-production aws_ecr_repository.image_repository_3AEE1EBB: name: cannot change in place, the aws_ecr_repository is destroyed and created again",
    ]);
    expect(itemLines(report, "aws_iam_policy.github_deploy_production_2_policy_6C08C0C5")).toEqual([
      "- **~** `aws_iam_policy.github_deploy_production_2_policy_6C08C0C5` (`myslp-ci-identities-744590032041/github_deploy_production_2/policy`)",
      "  - IAM scope changed, not broadened: `policy` statement ImageRepository: arn:aws:ecr:us-east-1:744590032041:repository/myslp-production-aarch64 → arn:aws:ecr:us-east-1:744590032041:repository/myslp-production-images",
    ]);
    // The task definition's new revision is the normal way to change it: replaced, not flagged.
    expect(itemLines(report, "aws_ecs_task_definition.task_task_definition_F6F670CA")).toEqual([
      "- **-/+** `aws_ecs_task_definition.task_task_definition_F6F670CA` (`myslp-production/task/task_definition`): replaced",
      "  - container_definitions: a new task definition revision",
    ]);
  });
});

describe("no false IAM broadening", () => {
  test("a new state key renames ARNs one-for-one in the identities stack: changed scope, not broadened", () => {
    const report = changed({ production: (p) => (p.state.key = "myslp/prod/terraform.tfstate") });
    expect(report.flags.map((f: any) => f.id)).toEqual(["backend-changed"]);
    expect(planOf(report, IDENTITIES)).toEqual([
      "update aws_iam_role_policy.github_deploy_production_policy_terraform_state_AA8916E5",
      "update aws_iam_role_policy.github_plan_policy_terraform_state_7076BCF3",
    ]);
    expect(itemLines(report, "aws_iam_role_policy.github_plan_policy_terraform_state_7076BCF3")).toEqual([
      "- **~** `aws_iam_role_policy.github_plan_policy_terraform_state_7076BCF3` (`myslp-ci-identities-744590032041/github_plan/policy_terraform_state`)",
      "  - IAM scope changed, not broadened: `policy` statement StateRead: arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/production/terraform.tfstate → arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/prod/terraform.tfstate",
      "  - IAM scope changed, not broadened: `policy` statement StateKeyThroughS3: condition ArnLike kms:EncryptionContext:aws:s3:arn: arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/production/terraform.tfstate → arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/prod/terraform.tfstate",
    ]);
  });

  test("renaming the cluster renames ARNs in the boundary and the deploy role: no IAM flag", () => {
    const report = changed({ production: (p) => (p.cluster.name = "myslp-production-cluster-2") });
    expect(report.flags.filter((f: any) => f.id === "iam-broadened")).toEqual([]);
  });
});

describe("lifecycle.ignore_changes", () => {
  test("the adopted group's desired capacity (ignored by design) is shown as ignored: no change, no flag", () => {
    const report = changed({ staging: (s) => (s.capacity.desiredCapacity = 2) });
    expect(report.flags).toEqual([]);
    expect(planOf(report, STAGING)).toEqual([]);
    const all = lines(report);
    expect(all).toContain(
      "- **=** `aws_autoscaling_group.capacity_auto_scaling_group_CB31B232` (`myslp-staging/capacity/auto_scaling_group`): no change for Terraform",
    );
    expect(all).toContain("  - `desired_capacity`: `1` → `2` (ignored by Terraform: lifecycle.ignore_changes)");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Renames: a construct id changed, without and with cdktf's refactoring API (a fixture, not the platform's code).

/** A stack with a log group (construct id `logId`) and a role whose policy names the log group's ARN. */
function renameFixture(logId: string, moveFrom?: string): any {
  const app = Testing.app();
  const stack = new TerraformStack(app as App, "s");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const logs = new CloudwatchLogGroup(stack, logId, { name: "/ecs/app", retentionInDays: 30 });
  if (moveFrom) logs.moveFromId(moveFrom);
  const role = new IamRole(stack, "role", {
    name: "app",
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  new IamRolePolicy(stack, "logs_policy", {
    role: role.id,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs.arn}:log-stream:*` }],
    }),
  });
  return JSON.parse(Testing.synth(stack));
}

describe("renames", () => {
  const before = renameFixture("log_group");

  test("a construct id change without a moved block: one address change, destroy and create, with the moved block to add", () => {
    const report = diffStacks({ s: before }, { s: renameFixture("logs") });
    expect(planOf(report, "s")).toEqual([
      "delete aws_cloudwatch_log_group.log_group",
      "create aws_cloudwatch_log_group.logs",
      "update aws_iam_role_policy.logs_policy",
    ]);
    expect(flagLines(report)).toEqual([
      "data-loss s aws_cloudwatch_log_group.log_group: destroyed (its new address aws_cloudwatch_log_group.logs is created): the log group and every log in it are deleted",
      'address-changed s aws_cloudwatch_log_group.logs: aws_cloudwatch_log_group.log_group -> aws_cloudwatch_log_group.logs without a moved block: Terraform destroys it and creates it again. Make it a move: moved { from = aws_cloudwatch_log_group.log_group to = aws_cloudwatch_log_group.logs } (cdktf: moveFromId("aws_cloudwatch_log_group.log_group") on the new resource)',
    ]);
    expect(itemLines(report, "aws_cloudwatch_log_group.logs")).toEqual([
      "- **-/+** `aws_cloudwatch_log_group.log_group` → `aws_cloudwatch_log_group.logs`: address changed without a moved block: Terraform destroys `aws_cloudwatch_log_group.log_group` and creates `aws_cloudwatch_log_group.logs`",
      '  - to make it a move that changes nothing, add `moved { from = aws_cloudwatch_log_group.log_group to = aws_cloudwatch_log_group.logs }` (cdktf: `moveFromId("aws_cloudwatch_log_group.log_group")` on the new resource)',
    ]);
    // The policy's reference swap is the same log group: no broadening, but its new ARN is known only after apply.
    expect(itemLines(report, "aws_iam_role_policy.logs_policy")).toEqual([
      "- **~** `aws_iam_role_policy.logs_policy`",
      "  - updated because `policy` references the created `aws_cloudwatch_log_group.logs` (its `arn` is known only after apply)",
    ]);
  });

  test("with cdktf's moveFromId: moved, no change, no flag", () => {
    const after = renameFixture("logs", "aws_cloudwatch_log_group.log_group");
    expect(after.moved).toEqual([{ from: "aws_cloudwatch_log_group.log_group", to: "aws_cloudwatch_log_group.logs" }]);
    const report = diffStacks({ s: before }, { s: after });
    expect(report.flags).toEqual([]);
    expect(report.stacks[0].plan).toEqual([
      { address: "aws_cloudwatch_log_group.logs", action: "no-op", previous_address: "aws_cloudwatch_log_group.log_group" },
    ]);
    expect(itemLines(report, "aws_cloudwatch_log_group.logs")).toEqual([
      "- **→** `aws_cloudwatch_log_group.log_group` → `aws_cloudwatch_log_group.logs`: moved, no change",
    ]);
    expect(lines(report)).toContain("| `s` | changed | 0 | 0 | 0 | 0 | 1 |");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Small hand-made stacks for the rules the real synth pairs do not reach.

describe("rules on hand-made stacks", () => {
  const one = (body: any) => ({ resource: body });
  const diff = (before: any, after: any) => diffStacks({ s: one(before) }, { s: one(after) });

  test("ignore_changes = all: nothing changes for Terraform, not even an attribute that forces replacement", () => {
    const before = { aws_security_group: { g: { name: "g", description: "d", vpc_id: "vpc-1", lifecycle: { ignore_changes: "all" } } } };
    const after = copy(before);
    after.aws_security_group.g.description = "other";
    const report = diff(before, after);
    expect(report.flags).toEqual([]);
    expect(report.stacks[0].plan).toEqual([]);
    expect(lines(report)).toContain('  - `description`: `"d"` → `"other"` (ignored by Terraform: lifecycle.ignore_changes)');
  });

  test("deletion protection on a resource the change replaces: refused, flagged before the replacement", () => {
    const before = { aws_lb: { lb: { name: "a", internal: false, enable_deletion_protection: true } } };
    const after = copy(before);
    after.aws_lb.lb.name = "b";
    expect(flagLines(diff(before, after))).toEqual([
      "destroy-refused s aws_lb.lb: replaced (destroyed, then created again): AWS refuses to delete a load balancer with deletion protection: the apply fails after destroying whatever goes before it; the site is down",
      "replacement s aws_lb.lb: name: cannot change in place, the aws_lb is destroyed and created again",
    ]);
  });

  test("a prevent_destroy resource removed from the code: destroyed, flagged first", () => {
    const before = { aws_ecr_repository: { r: { name: "images", lifecycle: { prevent_destroy: true } } } };
    expect(flagLines(diff(before, {}))).toEqual([
      "data-loss s aws_ecr_repository.r: destroyed: it was marked lifecycle.prevent_destroy (must not be destroyed), and removing it from the code removed the protection; the repository and every image in it are deleted (AWS refuses while it holds images unless force_delete is set: the apply fails half-way); the tasks cannot pull their image",
      "prevent-destroy-removed s aws_ecr_repository.r: a resource with prevent_destroy was removed: the protection goes with it",
    ]);
  });

  test("IAM: a new action an existing wildcard already allows is no broadening; one outside it is", () => {
    const policy = (statements: any[]) => ({ aws_iam_policy: { p: { name: "p", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) } } });
    const wide = { Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" };
    const covered = diff(policy([wide]), policy([wide, { Sid: "Get", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" }]));
    expect(covered.flags).toEqual([]);
    const beyond = diff(policy([wide]), policy([wide, { Sid: "Keys", Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:1:key/k" }]));
    expect(flagLines(beyond)).toEqual(["iam-broadened s aws_iam_policy.p: policy: new Allow statement Keys: kms:Decrypt on arn:aws:kms:us-east-1:1:key/k"]);
  });

  test("a data source read at apply (its depends_on changes) makes what references it unknown", () => {
    const stack = (cpu: string) => ({
      resource: {
        aws_ecs_task_definition: { t: { family: "f", cpu } },
        aws_ecs_service: { s: { name: "s", task_definition: "${aws_ecs_task_definition.t.family}:${data.aws_ecs_task_definition.latest.revision}" } },
      },
      data: { aws_ecs_task_definition: { latest: { task_definition: "${aws_ecs_task_definition.t.family}", depends_on: ["aws_ecs_task_definition.t"] } } },
    });
    const report = diffStacks({ s: stack("256") }, { s: stack("512") });
    expect(planOf(report, "s")).toEqual(["update aws_ecs_service.s", "replace aws_ecs_task_definition.t"]);
    expect(itemLines(report, "aws_ecs_service.s")).toEqual([
      "- **~** `aws_ecs_service.s`",
      "  - updated because `task_definition` references `data.aws_ecs_task_definition.latest.revision`, which Terraform reads only during the apply (it depends on a change)",
    ]);
    expect(report.flags).toEqual([]);
  });
});
