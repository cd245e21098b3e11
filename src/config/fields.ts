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
  z.string().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`).regex(pattern, `may contain only ${allowed}`);

// ECS cluster, service, task family, container and capacity provider names: up to 255 letters, numbers,
// hyphens and underscores (ECS API reference, CreateCluster / CreateService / RegisterTaskDefinition).
export const ecsName = name(1, 255, /^[A-Za-z0-9_-]+$/, "letters, digits, hyphens (-) and underscores (_)");
// Auto Scaling group names: 1-255 characters, no colon (AutoScalingGroupName in the Auto Scaling API).
export const autoScalingGroupName = name(1, 255, /^[^:]+$/, "any characters except a colon (:)");
// Launch template names: 3-128 characters of letters, digits and ( ) . / _ - (CreateLaunchTemplate).
export const launchTemplateName = name(3, 128, /^[A-Za-z0-9().\/_-]+$/, "letters, digits and ( ) . / _ -");
// IAM role names: 1-64 characters of letters, digits and + = , . @ _ - (IAM quotas page).
export const iamRoleName = name(1, 64, /^[\w+=,.@-]+$/, "letters, digits and + = , . @ _ -");
// S3 general-purpose bucket names: every rule of "General purpose bucket naming rules",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
export const s3BucketName = z
  .string()
  .min(3, "must be at least 3 characters (S3 bucket naming rules)")
  .max(63, "must be at most 63 characters (S3 bucket naming rules)")
  .superRefine((value, ctx) => {
    for (const message of s3BucketNameProblems(value)) ctx.addIssue({ code: "custom", message });
  });

/** What the S3 general-purpose bucket naming rules say is wrong with `name` (length aside). */
export function s3BucketNameProblems(value: string): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9.-]*$/.test(value)) problems.push("may contain only lowercase letters, digits, dots (.) and hyphens (-) (S3 bucket naming rules)");
  if (!/^[a-z0-9]/.test(value) || !/[a-z0-9]$/.test(value)) problems.push("must begin and end with a lowercase letter or digit (S3 bucket naming rules)");
  if (value.includes("..")) problems.push("must not contain two adjacent dots (S3 bucket naming rules)");
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(value)) problems.push("must not be formatted as an IP address (S3 bucket naming rules)");
  for (const prefix of S3_RESERVED_PREFIXES) {
    if (value.startsWith(prefix)) problems.push(`must not start with the reserved prefix "${prefix}" (S3 bucket naming rules)`);
  }
  for (const suffix of S3_RESERVED_SUFFIXES) {
    if (value.endsWith(suffix)) problems.push(`must not end with the reserved suffix "${suffix}" (S3 bucket naming rules)`);
  }
  return problems;
}
// sthree-configurator is covered by sthree-.
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
// -s3alias (access point aliases), --ol-s3 (Object Lambda), .mrap (Multi-Region Access Points), --x-s3 (directory
// buckets), --table-s3 (table buckets).
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * The state object's key: what Terraform's s3 backend refuses at `terraform init` (checked with Terraform
 * 1.11.4: empty -> "Invalid Value", a leading or trailing "/" -> 'The value must not start or end with "/"',
 * "//" -> 'Value must not contain "//"'), plus S3's 1,024-byte key limit
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html) and no "." or ".." segments, which
 * that page advises against (some tools normalize them away, so the key would name another object).
 */
export const stateKey = z
  .string()
  .min(1, "must not be empty (the s3 backend refuses an empty key)")
  .max(1024, "must be at most 1024 characters (S3 object key limit)")
  .regex(/^[A-Za-z0-9!_.*'()\/-]+$/, "may contain only letters, digits and ! _ . * ' ( ) / - (S3 safe characters)")
  .refine((k) => !k.startsWith("/") && !k.endsWith("/"), 'must not start or end with "/" (the s3 backend refuses it)')
  .refine((k) => !k.includes("//"), 'must not contain "//" (the s3 backend refuses it)')
  .refine((k) => !k.split("/").some((segment) => segment === "." || segment === ".."), 'must not contain "." or ".." path segments');

// ECR repository names: 2-256 lowercase, components separated by / . _ - (CreateRepository).
export const ecrRepositoryName = name(
  2,
  256,
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
  "lowercase letters and digits, separated by single . _ - or /",
);
// CloudWatch Logs group names: 1-512 characters of letters, digits and _ - / . # (CreateLogGroup).
export const logGroupName = name(1, 512, /^[A-Za-z0-9_\-/.#]+$/, "letters, digits and _ - / . #").refine(
  (n) => !n.startsWith("aws/"),
  'must not begin with "aws/" (reserved for AWS services, CreateLogGroup)',
);
// Secrets Manager names: 1-512 characters of letters, digits and / _ + = . @ - (CreateSecret).
export const secretName = name(1, 512, /^[A-Za-z0-9/_+=.@-]+$/, "letters, digits and / _ + = . @ -").refine(
  (n) => !/-[A-Za-z0-9]{6}$/.test(n),
  "must not end with a hyphen and six characters: Secrets Manager appends such a suffix to ARNs, and a name ending like one is found by the wrong ARN (CreateSecret, Name)",
);
// A full secret ARN ends in the name, a hyphen and the six random characters Secrets Manager adds; without the
// suffix it is a partial ARN, which ECS resolves only for some callers (Secrets Manager user guide,
// "Troubleshooting": "If you use a partial ARN ... you might not find the secret").
export const secretArn = z
  .string()
  .regex(
    /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
    "must be a full Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>)",
  );
export const hostName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/,
    "must be a lowercase DNS host name like staging.example.com",
  );
// WordPress home and site URL: https, a host name, an optional port and path (no trailing slash needed).
export const httpsUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .regex(
    /^https:\/\/[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?(\/[^\s]*)?$/,
    "must be an https:// URL with a lowercase host name, like https://staging.example.com or https://staging.example.com/blog",
  );

/**
 * Container image reference: registry/repository plus a tag, a digest, or both (`repo:tag@sha256:...`, which
 * pulls the digest); a bare name would float. Docker reference grammar (distribution/reference): tag
 * `[\w][\w.-]{0,127}`, digest `sha256:` and 64 hex digits.
 */
export const containerImage = z
  .string()
  .max(1024, "must be at most 1024 characters")
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    "must be <registry>/<repository> followed by :<tag>, @sha256:<digest> or both",
  )
  .refine(
    (image) => /:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$|@sha256:[a-f0-9]{64}$/.test(image.slice(image.indexOf("/"))),
    "must name a :<tag> or @sha256:<digest> (a bare repository would float)",
  );

/** The tag of a validated image reference (`registry/repo:tag`, `registry/repo:tag@sha256:...`), or undefined for a digest-only one. */
export function imageTag(image: string): string | undefined {
  const path = image.slice(image.indexOf("/") + 1).split("@")[0];
  const colon = path.lastIndexOf(":");
  return colon < 0 ? undefined : path.slice(colon + 1);
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
  .regex(
    /^(?![-/])(?!.*(\.\.|\/\/|@\{))[A-Za-z0-9._\/-]+(?<![/.]|\.lock)$/,
    "must be a git branch name (letters, digits, . _ / -; no '..', no leading - or /)",
  );
export const snsTopicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
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
