import { z } from "zod";

/*
 * The building blocks of the environment schema: AWS ids, names within AWS's length and character limits,
 * CIDR blocks, ARNs, image references. Each message says what is allowed, in words.
 */

/** AWS resource ids: a prefix and 8 or 17 hex digits. */
export const awsId = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`),
      `must be an id like ${prefix}-0123456789abcdef0 (${prefix}- then 8 or 17 lowercase hex digits)`,
    );

export const vpcId = awsId("vpc");
export const subnetId = awsId("subnet");
export const securityGroupId = awsId("sg");
export const amiId = awsId("ami");

/** An IPv4 CIDR block whose address is the network address of its prefix (AWS rejects host bits). */
export const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : -1;
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    ctx.addIssue({ code: "custom", message: "must be an IPv4 CIDR block like 10.0.0.0/16 (four octets 0-255, prefix 0-32)" });
    return;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) {
    ctx.addIssue({ code: "custom", message: `has host bits set: the network address for /${prefix} is required` });
  }
});

/** A name made of the characters `pattern` allows, between `min` and `max` long. */
export const name = (min: number, max: number, pattern: RegExp, allowed: string) =>
  z
    .string()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .regex(pattern, `may contain only ${allowed}`);

// ECS cluster, service, task family, container and capacity provider names: up to 255 letters, numbers,
// hyphens and underscores (ECS API reference, CreateCluster / CreateService / RegisterTaskDefinition).
export const ecsName = name(1, 255, /^[A-Za-z0-9_-]+$/, "letters, digits, hyphens (-) and underscores (_)");
// Auto Scaling group names: 1-255 characters, no colon (AutoScalingGroupName in the Auto Scaling API).
export const autoScalingGroupName = name(1, 255, /^[^:]+$/, "any characters except a colon (:)");
// Launch template names: 3-128 characters of letters, digits and ( ) . / _ - (CreateLaunchTemplate).
export const launchTemplateName = name(3, 128, /^[A-Za-z0-9().\/_-]+$/, "letters, digits and ( ) . / _ -");
// IAM role names: 1-64 characters of letters, digits and + = , . @ _ - (IAM quotas page).
export const iamRoleName = name(1, 64, /^[\w+=,.@-]+$/, "letters, digits and + = , . @ _ -");
// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
export const s3BucketName = name(3, 63, /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit");
// ECR repository names: 2-256 lowercase, components separated by / . _ - (CreateRepository).
export const ecrRepositoryName = name(
  2,
  256,
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  "lowercase letters and digits, separated by single . _ - or /",
);
// CloudWatch Logs group names: 1-512 characters of letters, digits and _ - / . # (CreateLogGroup).
export const logGroupName = name(1, 512, /^[A-Za-z0-9_\-/.#]+$/, "letters, digits and _ - / . #");
// Secrets Manager names: 1-512 characters of letters, digits and / _ + = . @ - (CreateSecret).
export const secretName = name(1, 512, /^[A-Za-z0-9/_+=.@-]+$/, "letters, digits and / _ + = . @ -");
export const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
    "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)",
  );
export const hostName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, "must be a lowercase DNS host name like staging.example.com");
export const httpsUrl = z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?\/([^\s]*)$/, "must be an https:// URL ending in a path (at least /)");

/** Container image reference: registry/repository plus a tag or a digest (a bare name would float). */
export const containerImage = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:\d+)?\/[a-z0-9]+(?:[._\/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    "must be <registry>/<repository> followed by :<tag> or @sha256:<digest>",
  );

/** The tag of a validated image reference (`registry/repo:tag`), or undefined for a digest reference. */
export function imageTag(image: string): string | undefined {
  return image.includes("@") ? undefined : image.slice(image.lastIndexOf(":") + 1);
}

// CloudWatch Logs accepts only these retention values (PutRetentionPolicy).
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export const logRetentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of ${LOG_RETENTION_DAYS.join(", ")}`);

// A git branch name as git check-ref-format allows it (no spaces, "..", "~^:?*[\\", leading "-" or "/").
export const gitBranch = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^(?![-/])(?!.*(\.\.|\/\/|@\{))[A-Za-z0-9._\/-]+(?<![/.]|\.lock)$/, "must be a git branch name (letters, digits, . _ / -; no '..', no leading - or /)");
export const snsTopicArn = z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
export const connectionArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/,
    "must be a CodeConnections connection ARN (arn:aws:codestar-connections:<region>:<account>:connection/<uuid>)",
  );

export const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region like us-east-1");

export const tagFilter = z.strictObject({ key: z.string().min(1).max(128), values: z.array(z.string().min(1)).min(1, "must list at least one value") });

export const ecsArn = (kind: string) =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:${kind}/[A-Za-z0-9_-]+(:\\d+)?$`),
      `must be an ECS ${kind} ARN (arn:aws:ecs:<region>:<account>:${kind}/<name>)`,
    );
