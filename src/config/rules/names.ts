import { environmentNames } from "../environment-names";
import type { EnvironmentShape } from "../shape";

/*
 * Every name an environment gives an AWS resource, as the constructs build it (prefixes, suffixes,
 * truncation), with AWS's limit for that kind of name and where AWS requires it to be unique. Class 4 checks
 * each name against its limit; class 5 checks that no two environments claim one name in one scope.
 * Keep this list in step with the constructs (src/constructs): __tests__ synthesize the stack and compare.
 */

/** Where AWS requires a name to be unique. */
export type NameScope = "partition" | "account" | "region";

export interface ResourceName {
  /** What kind of resource the name belongs to, e.g. "IAM role". */
  readonly kind: string;
  readonly name: string;
  /** The config field the name comes from (the one a message names). */
  readonly field: string;
  /**
   * Unique per partition (S3 buckets), per account (IAM), or per account and region (most others); undefined
   * where AWS scopes the name more narrowly (an inline policy per role, a security group per VPC).
   */
  readonly scope?: NameScope;
  /** The AWS rule for this kind of name, or undefined when the config field's own schema already checks it. */
  readonly rule?: NameRule;
}

export interface NameRule {
  readonly max: number;
  readonly pattern: RegExp;
  readonly allowed: string;
  /** The AWS doc page the rule comes from. */
  readonly doc: string;
  /** Extra refusal beyond length and pattern (e.g. reserved prefixes). */
  readonly refuse?: (name: string) => string | undefined;
}

// IAM: role and instance profile names 1-64 of [\w+=,.@-] (IAM user guide, "IAM object quotas" and CreateRole).
const IAM_ROLE: NameRule = {
  max: 64,
  pattern: /^[\w+=,.@-]+$/,
  allowed: "letters, digits and + = , . @ _ -",
  doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
};
const IAM_INSTANCE_PROFILE: NameRule = { ...IAM_ROLE, max: 128, doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" };
// Inline role policy names 1-128 of [\w+=,.@-] (PutRolePolicy).
const IAM_POLICY: NameRule = { ...IAM_ROLE, max: 128, doc: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" };
// Load balancer and target group names: 1-32 alphanumerics and hyphens, not beginning or ending with a hyphen;
// a load balancer name must not begin with "internal-" (CreateLoadBalancer, CreateTargetGroup).
const LB: NameRule = {
  max: 32,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  allowed: "letters, digits and hyphens, not beginning or ending with a hyphen",
  doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
  refuse: (n) => (n.startsWith("internal-") ? 'must not begin with "internal-" (CreateLoadBalancer)' : undefined),
};
const TARGET_GROUP: NameRule = {
  ...LB,
  refuse: undefined,
  doc: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
};
// Log group names: 1-512 of [.\-_/#A-Za-z0-9] (CreateLogGroup).
const LOG_GROUP: NameRule = {
  max: 512,
  pattern: /^[.\-_/#A-Za-z0-9]+$/,
  allowed: "letters, digits and . - _ / #",
  doc: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  refuse: (n) => (n.startsWith("aws/") ? 'must not begin with "aws/" (reserved for AWS services, CreateLogGroup)' : undefined),
};
// KMS alias names: alias/ plus 1-250 of [a-zA-Z0-9/_-], not alias/aws/ (CreateAlias).
const KMS_ALIAS: NameRule = {
  max: 256,
  pattern: /^alias\/[A-Za-z0-9/_-]+$/,
  allowed: "alias/ then letters, digits and / _ -",
  doc: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
  refuse: (n) => (n.startsWith("alias/aws/") ? 'must not begin with "alias/aws/" (reserved, CreateAlias)' : undefined),
};
// Launch template names: 3-128 of letters, digits and ( ) . / _ - (CreateLaunchTemplate).
const LAUNCH_TEMPLATE: NameRule = {
  max: 128,
  pattern: /^[A-Za-z0-9().\/_-]{3,}$/,
  allowed: "letters, digits and ( ) . / _ -",
  doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
};
// Web ACL names: 1-128 of [\w-] (WAFV2 CreateWebACL).
const WEB_ACL: NameRule = {
  max: 128,
  pattern: /^[\w-]+$/,
  allowed: "letters, digits, _ and -",
  doc: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
};
// ---- names of the operations resources (alarm topic, alarms, dashboard, event rule, dead-letter queue, scaling policy) ----
// EventBridge rule names: 1-64 of [.\-_A-Za-z0-9] (PutRule).
const EVENT_RULE: NameRule = {
  max: 64,
  pattern: /^[.\-_A-Za-z0-9]+$/,
  allowed: "letters, digits and . - _",
  doc: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
};
// SNS topic names: 1-256 of letters, digits, - and _ (CreateTopic).
const SNS_TOPIC: NameRule = {
  max: 256,
  pattern: /^[A-Za-z0-9_-]+$/,
  allowed: "letters, digits, - and _",
  doc: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
};
// Alarm names: 1-255 characters (PutMetricAlarm); ours are ASCII.
const ALARM: NameRule = {
  max: 255,
  pattern: /^[\x20-\x7E]+$/,
  allowed: "printable ASCII",
  doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
};
// Queue names: 1-80 of letters, digits, - and _ (CreateQueue).
const SQS_QUEUE: NameRule = {
  max: 80,
  pattern: /^[A-Za-z0-9_-]+$/,
  allowed: "letters, digits, - and _",
  doc: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
};
// Dashboard names: 1-255 of letters, digits, - and _ (PutDashboard).
const DASHBOARD: NameRule = {
  max: 255,
  pattern: /^[A-Za-z0-9_-]+$/,
  allowed: "letters, digits, - and _",
  doc: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html",
};
// Scaling policy names: 1-255 characters (PutScalingPolicy); ours are ASCII.
const SCALING_POLICY: NameRule = {
  max: 255,
  pattern: /^[\x20-\x7E]+$/,
  allowed: "printable ASCII",
  doc: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html",
};

// Security group names: up to 255 characters, not beginning with "sg-" (CreateSecurityGroup).
const SECURITY_GROUP: NameRule = {
  max: 255,
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
  allowed: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
  doc: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  refuse: (n) => (n.startsWith("sg-") ? 'must not begin with "sg-" (CreateSecurityGroup)' : undefined),
};

type NamedEnvironment = EnvironmentShape;

/**
 * Every resource name the environment's stack creates (state buckets are the bootstrap's, see clashes.ts),
 * with the config field it comes from: the names of ../environment-names.ts, plus those the config gives.
 */
export function resourceNames(env: NamedEnvironment): ResourceName[] {
  const n = environmentNames(env);
  // Names built from the environment prefix are reported on `name` (the message also shows the project).
  const derived = "name";
  const names: ResourceName[] = [
    { kind: "ECS cluster", name: env.cluster.name, field: "cluster.name", scope: "region" },
    { kind: "Auto Scaling group", name: env.capacity.autoScalingGroupName, field: "capacity.autoScalingGroupName", scope: "region" },
    { kind: "ECS capacity provider", name: env.capacity.capacityProviderName, field: "capacity.capacityProviderName", scope: "region" },
    { kind: "ECS task family", name: env.task.family, field: "task.family", scope: "region" },
    { kind: "IAM role", name: env.task.executionRoleName, field: "task.executionRoleName", scope: "account" },
    { kind: "IAM role", name: env.task.taskRoleName, field: "task.taskRoleName", scope: "account" },
    { kind: "CloudWatch log group", name: env.task.logGroupName, field: "task.logGroupName", scope: "region", rule: LOG_GROUP },
    { kind: "IAM role policy", name: `${env.task.family}-execution`, field: "task.family", rule: IAM_POLICY },
    { kind: "IAM role", name: n.capacity.instanceRole, field: derived, scope: "account", rule: IAM_ROLE },
    { kind: "IAM instance profile", name: n.capacity.instanceProfile, field: derived, scope: "account", rule: IAM_INSTANCE_PROFILE },
    { kind: "security group", name: n.capacity.instanceSecurityGroup, field: derived, rule: SECURITY_GROUP },
    { kind: "KMS alias", name: `alias/${n.keyAlias}`, field: derived, scope: "region", rule: KMS_ALIAS },
    { kind: "S3 bucket", name: env.accessLogBucket, field: "accessLogBucket", scope: "partition" },
  ];
  // Unset: `<prefix>-ecs-arm64`, unless an adopted launch template keeps its live name.
  if (n.capacity.launchTemplate !== undefined) {
    const given = env.capacity.launchTemplateName !== undefined;
    names.push({
      kind: "launch template",
      name: n.capacity.launchTemplate,
      field: given ? "capacity.launchTemplateName" : derived,
      scope: "region",
      ...(given ? {} : { rule: LAUNCH_TEMPLATE }),
    });
  }
  const secret = env.wordpress.database.passwordSecret;
  if ("name" in secret && secret.create) {
    names.push({ kind: "Secrets Manager secret", name: secret.name, field: "wordpress.database.passwordSecret.name", scope: "region" });
  }
  if (n.loadBalancer) {
    names.push(
      { kind: "load balancer", name: n.loadBalancer.loadBalancer, field: derived, scope: "region", rule: LB },
      { kind: "target group", name: n.loadBalancer.targetGroup, field: derived, scope: "region", rule: TARGET_GROUP },
      { kind: "WAF web ACL", name: n.loadBalancer.webAcl, field: derived, scope: "region", rule: WEB_ACL },
    );
  }
  if (env.pipeline && n.pipeline) {
    names.push(
      { kind: "CodePipeline pipeline", name: env.pipeline.name, field: "pipeline.name", scope: "region" },
      { kind: "CodeBuild project", name: env.pipeline.build.projectName, field: "pipeline.build.projectName", scope: "region" },
      { kind: "CloudWatch log group", name: n.pipeline.buildLogGroup, field: "pipeline.build.projectName", scope: "region", rule: LOG_GROUP },
      { kind: "IAM role", name: n.pipeline.buildRole, field: derived, scope: "account", rule: IAM_ROLE },
      { kind: "IAM role", name: n.pipeline.pipelineRole, field: derived, scope: "account", rule: IAM_ROLE },
      { kind: "S3 bucket", name: env.pipeline.artifactBucket, field: "pipeline.artifactBucket", scope: "partition" },
      { kind: "EventBridge rule", name: n.pipeline.failureRule, field: derived, scope: "region", rule: EVENT_RULE },
      { kind: "SQS queue", name: n.pipeline.deadLetterQueue, field: derived, scope: "region", rule: SQS_QUEUE },
      { kind: "CloudWatch alarm", name: n.pipeline.deadLetterAlarm, field: derived, scope: "region", rule: ALARM },
    );
  }
  if (n.alarmTopic) names.push({ kind: "SNS topic", name: n.alarmTopic, field: derived, scope: "region", rule: SNS_TOPIC });
  for (const alarm of Object.values(n.alarms)) names.push({ kind: "CloudWatch alarm", name: alarm, field: derived, scope: "region", rule: ALARM });
  names.push({ kind: "CloudWatch dashboard", name: n.dashboard, field: derived, scope: "region", rule: DASHBOARD });
  if (n.capacity.scalingPolicy) {
    names.push({ kind: "scaling policy", name: n.capacity.scalingPolicy, field: derived, scope: "region", rule: SCALING_POLICY });
  }
  return names;
}

/** Problems of the derived names with AWS's limits, as [field, message] pairs. */
export function nameRuleProblems(env: NamedEnvironment): { field: string; message: string; value: string }[] {
  const problems: { field: string; message: string; value: string }[] = [];
  for (const n of resourceNames(env)) {
    const rule = n.rule;
    if (!rule) continue;
    const source = n.field === "name" ? `with project "${env.project}" makes` : "makes";
    const what = `${source} the ${n.kind} name "${n.name}"`;
    if (n.name.length > rule.max)
      problems.push({ field: n.field, message: `${what} (${n.name.length} characters), longer than AWS allows (${rule.max}; ${rule.doc})`, value: n.name });
    if (!rule.pattern.test(n.name)) problems.push({ field: n.field, message: `${what}, but AWS allows only ${rule.allowed} (${rule.doc})`, value: n.name });
    const refused = rule.refuse?.(n.name);
    if (refused) problems.push({ field: n.field, message: `${what}, which ${refused}`, value: n.name });
  }
  return problems;
}
