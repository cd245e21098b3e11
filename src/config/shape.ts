import { z } from "zod";
import {
  amiId,
  autoScalingGroupName,
  awsRegion,
  connectionArn,
  containerImage,
  ecrRepositoryName,
  ecsArn,
  ecsName,
  gitBranch,
  hostName,
  httpsUrl,
  iamRoleName,
  ipv4Cidr,
  launchTemplateName,
  logGroupName,
  logRetentionDays,
  name,
  s3BucketName,
  secretArn,
  secretName,
  securityGroupId,
  stateKey,
  subnetId,
  tagFilter,
  vpcId,
} from "./fields";
import { alarmsSchema } from "./operations";

/*
 * The shape of an environment's configuration: every field with its own rule (type, format, range, the AWS
 * limit it names). The rules across fields and environments read this shape (./schema.ts, ./rules/); a bad
 * value is reported by its path (e.g. `capacity.instanceType`) with the value given and what is allowed.
 */

/** Where the port-80 traffic to the task may come from. */
const httpSource = z.discriminatedUnion("kind", [
  /** The whole VPC's CIDR block (e.g. an existing load balancer in the VPC). */
  z.strictObject({ kind: z.literal("vpc") }),
  z.strictObject({ kind: z.literal("cidrs"), cidrs: z.array(ipv4Cidr).min(1, "must list at least one CIDR block") }),
  z.strictObject({ kind: z.literal("security-group"), securityGroupId }),
  /** Only this environment's load balancer (requires a `loadBalancer` section). */
  z.strictObject({ kind: z.literal("load-balancer") }),
]);

const network = z.discriminatedUnion("mode", [
  /** Use the VPC and subnets given by id. */
  z.strictObject({
    mode: z.literal("explicit"),
    vpcId,
    subnetIds: z.array(subnetId).min(1, "must list at least one subnet id"),
    /** Public subnets for the load balancer (2+ zones), when there is one. */
    publicSubnetIds: z.array(subnetId).min(2, "must list at least two subnets (a load balancer needs two zones)").optional(),
    /** The database's security group, which gets an ingress rule from the task when database access is on. */
    databaseSecurityGroupId: securityGroupId.optional(),
    httpSource,
  }),
  /** Find the VPC through the database cluster (its DB subnet group names the VPC), subnets by a tag filter. */
  z.strictObject({
    mode: z.literal("discover"),
    databaseClusterIdentifier: name(1, 63, /^[a-zA-Z][a-zA-Z0-9-]*$/, "letters, digits and hyphens, starting with a letter"),
    subnetTagFilter: tagFilter,
    /** Picks the load balancer's public subnets in the same VPC, when there is one. */
    publicSubnetTagFilter: tagFilter.optional(),
    httpSource,
  }),
  /** Create a VPC with public and private subnets across availability zones, and NAT for the private ones. */
  z.strictObject({
    mode: z.literal("new"),
    cidr: ipv4Cidr,
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "must be an availability zone name like us-east-1a"))
      .min(2, "must list at least 2 availability zones"),
    /** One NAT gateway per zone (resilient) or a single one (cheaper). */
    natGatewayPerZone: z.boolean(),
    databaseSecurityGroupId: securityGroupId.optional(),
    httpSource,
  }),
]);

const ami = z.discriminatedUnion("source", [
  /** The recommended ECS-optimized Amazon Linux 2023 ARM64 AMI from the public SSM parameter, read at plan time. */
  z.strictObject({ source: z.literal("ssm-recommended") }),
  /** A fixed AMI id: instances change only when this changes. */
  z.strictObject({ source: z.literal("pinned"), id: amiId }),
]);

const capacity = z.strictObject({
  /**
   * A Graviton (ARM64) type: EC2 names its processor with the letter after the generation, g for Graviton
   * (c6g, m7gd, t4g), and a1 is the first Graviton family
   * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html). That it exists, runs
   * arm64 and fits the task is checked at plan time against EC2's own list (ClusterCapacity).
   */
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "must be an EC2 instance type like c6g.xlarge (<family>.<size>, lowercase)")
    .regex(/^(a1|[a-z]+\d+g[a-z0-9-]*)\./, "is not a Graviton (ARM64) instance type: the family has g after its generation (c6g, m7g, t4g) or is a1"),
  ami,
  minSize: z.number().int().min(1, "must be at least 1: the DAEMON service needs an instance to run on"),
  desiredCapacity: z.number().int().min(0),
  maxSize: z.number().int().min(1).max(100, "must be at most 100 (a guard against typos; raise it here if needed)"),
  autoScalingGroupName,
  /** Default `<project>-<environment>-ecs-arm64`; leave unset when adopting a launch template (its live name stays). */
  launchTemplateName: launchTemplateName.optional(),
  capacityProviderName: ecsName.refine((n) => !/^(aws|ecs|fargate)/i.test(n), 'must not begin with "aws", "ecs" or "fargate" (CreateCapacityProvider)'),
  /** Root EBS volume size; the ECS-optimized AL2023 AMI needs at least 30 GiB. */
  rootVolumeGiB: z.number().int().min(30, "must be at least 30 (the ECS-optimized AMI's snapshot size)").max(16384),
  /** Memory the ECS agent keeps back from tasks (ECS_RESERVED_MEMORY). */
  reservedMemoryMiB: z.number().int().min(0).max(4096),
  // ---- scaling and instance refresh (rules in ./operations.ts) ----
  /**
   * Average CPU of the group's instances that its target-tracking policy holds, percent (used when
   * maxSize > minSize and a load balancer routes to new instances' tasks; below the task's share of the
   * instance's CPU). ECS managed scaling is off: it ignores daemon tasks (docs/operations.md).
   */
  cpuTargetPercent: z
    .number()
    .int()
    .min(10, "must be at least 10 (lower keeps idle instances running)")
    .max(90, "must be at most 90 (higher leaves no headroom before the group scales out)"),
  /**
   * Seconds a new instance needs to register with the cluster and start its daemon task. An instance refresh
   * waits this long before terminating the instance it replaces; target tracking ignores a new instance's CPU
   * for as long.
   */
  instanceWarmupSeconds: z.number().int().min(60).max(3600),
});

const databasePasswordSecret = z.union(
  [
    z.strictObject({ arn: secretArn }),
    /** By name: `create` makes an empty secret here (the value is put by an operator), else it must exist. */
    z.strictObject({
      name: secretName,
      create: z.boolean(),
      // --- secret recovery window per environment ---
      /**
       * Days Secrets Manager keeps a deleted secret recoverable: 7-30, or 0 to delete at once (a local endpoint
       * redeployed under the same name). DeleteSecret RecoveryWindowInDays / ForceDeleteWithoutRecovery.
       * @default 30
       */
      recoveryWindowDays: z
        .number()
        .int()
        .refine((d) => d === 0 || (d >= 7 && d <= 30), "must be 0 (delete at once) or 7-30 days (DeleteSecret RecoveryWindowInDays)")
        .optional(),
    }),
  ],
  {
    error: "must be a reference to a Secrets Manager secret, never the password: { arn: <secret ARN> } or { name: <secret name>, create: true|false }",
  },
);

const wordpress = z.strictObject({
  hostUrl: hostName,
  home: httpsUrl,
  siteUrl: httpsUrl,
  debug: z.boolean(),
  /** PHP appended to wp-config.php (WORDPRESS_CONFIG_EXTRA), passed through byte for byte. */
  configExtra: z.string().max(16384),
  database: z.strictObject({
    host: hostName,
    port: z.number().int().min(1).max(65535),
    name: name(1, 64, /^[A-Za-z0-9_$]+$/, "letters, digits, _ and $"),
    user: name(1, 32, /^[A-Za-z0-9_]+$/, "letters, digits and _"),
    passwordSecret: databasePasswordSecret,
    /** Add an ingress rule on the database's security group from the task security group. */
    allowTaskAccess: z.boolean(),
  }),
});

const task = z.strictObject({
  // The execution role's inline policy is named `<family>-execution`: at most 128 characters (PutRolePolicy).
  family: ecsName.max(118, "must be at most 118 characters: the execution role's policy `<family>-execution` may have 128 (PutRolePolicy)"),
  containerName: ecsName,
  image: containerImage,
  cpuArchitecture: z.enum(["ARM64", "X86_64"]),
  /** CPU units (1 vCPU = 1024); numbers, not "3 vCPU", so plans read back the same value. */
  cpu: z.number().int().min(128).max(196608),
  /** MiB; numbers, not "6 GB", for the same reason. */
  memory: z.number().int().min(128),
  containerPort: z.number().int().min(1).max(65535),
  executionRoleName: iamRoleName,
  taskRoleName: iamRoleName,
  logGroupName,
  logRetentionDays,
});

const pipeline = z.strictObject({
  // CodePipeline names: 1-100 characters of letters, digits and . @ - _ (CreatePipeline).
  name: name(1, 100, /^[A-Za-z0-9.@_-]+$/, "letters, digits and . @ - _"),
  source: z.strictObject({
    /** Create the connection here (approved once in the console), or use an existing one by ARN. */
    connection: z.union(
      [
        z.strictObject({
          // Connection names: 1-32 characters (CreateConnection).
          name: name(1, 32, /^[A-Za-z0-9.@_-]+$/, "letters, digits and . @ - _"),
          providerType: z.enum(["GitHub", "GitHubEnterpriseServer", "Bitbucket", "GitLab", "GitLabSelfManaged"]),
        }),
        z.strictObject({ arn: connectionArn }),
      ],
      { error: "must be { name, providerType } to create a connection or { arn } to use an existing one" },
    ),
    repositoryId: z
      .string()
      .min(1, "must not be empty")
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be <owner>/<repository>, e.g. storelocatorplus/myslp_aws_ecs_kit"),
    branch: gitBranch,
  }),
  build: z.strictObject({
    // CodeBuild project names: 2-255 characters, letters, digits, - and _, starting with a letter or digit.
    projectName: name(2, 255, /^[A-Za-z0-9][A-Za-z0-9_-]+$/, "letters, digits, - and _, starting with a letter or digit"),
    /** Where the Dockerfile and the build context are, relative to the repository root. */
    dockerfile: z
      .string()
      .min(1)
      .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._\/-]+$/, "must be a relative path inside the repository"),
    context: z
      .string()
      .min(1)
      .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._\/-]+$/, "must be a relative path inside the repository"),
    /** "inline": this project's buildspec; or the repository's own file at this path. */
    buildspec: z.union([
      z.literal("inline"),
      z.strictObject({ repositoryPath: z.string().regex(/^(?!\/)[A-Za-z0-9._\/-]+\.ya?ml$/, "must be a relative path to a .yml/.yaml file") }),
    ]),
    // ARM containers come in small and large (CodeBuild compute types for ARM_CONTAINER).
    computeType: z.enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"]),
    image: z
      .string()
      .regex(
        /^aws\/codebuild\/amazonlinux-aarch64-standard:\d+\.\d+$/,
        "must be a CodeBuild Amazon Linux aarch64 standard image, e.g. aws/codebuild/amazonlinux-aarch64-standard:3.0",
      ),
    timeoutMinutes: z.number().int().min(5).max(2160),
    logRetentionDays,
  }),
  artifactBucket: s3BucketName,
  /** Days after which pipeline artifacts (source zips, imagedefinitions.json) expire. */
  artifactExpiryDays: z.number().int().min(1).max(3650),
});

/** Terraform state in S3 (created by the bootstrap stack), with S3-native locking. */
const s3State = z.strictObject({
  backend: z.literal("s3"),
  bucket: s3BucketName,
  /** Receives the state bucket's S3 server access logs (created by the bootstrap stack too). */
  accessLogBucket: s3BucketName,
  key: stateKey,
  region: awsRegion,
});

/** Terraform state in Terraform Cloud / HCP Terraform: runs there use the same synthesized JSON. */
const cloudState = z.strictObject({
  backend: z.literal("cloud"),
  organization: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "must be a Terraform Cloud organization name (letters, digits, - and _)"),
  workspace: z.string().regex(/^[A-Za-z0-9_-]{1,90}$/, "must be a Terraform Cloud workspace name (letters, digits, - and _)"),
  // --- the workspace's project, part of the dynamic-credentials subject ---
  /**
   * The HCP Terraform project holding the workspace; the AWS trust of dynamic credentials names it in the
   * token's subject (organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE).
   * @default "Default Project"
   */
  project: z
    .string()
    .regex(/^[A-Za-z0-9 _-]{1,40}$/, "must be an HCP Terraform project name (1-40 letters, digits, spaces, - and _)")
    .optional(),
});

// --- a local state backend (state file beside the synthesized stack) ---
/**
 * Terraform state in a local file, `terraform.<stack>.tfstate` in the stack's directory: for an environment
 * at a local endpoint (no state bucket to keep it in), never for a real account.
 */
const localState = z.strictObject({ backend: z.literal("local") });

const state = z.discriminatedUnion("backend", [s3State, cloudState, localState]);

const certificate = z.discriminatedUnion("kind", [
  /** An ACM certificate that already exists for the host name. */
  z.strictObject({
    kind: z.literal("existing"),
    arn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "must be an ACM certificate ARN"),
  }),
  /**
   * A new ACM certificate, DNS-validated: through Route 53 when hostedZoneId is given, otherwise the
   * validation record is a stack output for whoever runs the DNS, and the apply waits until it exists.
   */
  z.strictObject({
    kind: z.literal("create"),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,32}$/, "must be a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ")
      .optional(),
  }),
]);

/** An internet-facing Application Load Balancer: HTTP redirects to HTTPS, HTTPS forwards to the task. */
const loadBalancer = z.strictObject({
  certificate,
  /** An alias A record for wordpress.hostUrl in this Route 53 zone. */
  aliasHostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{1,32}$/, "must be a Route 53 hosted zone id")
    .optional(),
  /** WordPress answers / with 200 or a redirect; 200-399 counts as healthy. */
  healthCheckPath: z.string().regex(/^\/[A-Za-z0-9._~\/-]*$/, "must be a URL path starting with /"),
  deletionProtection: z.boolean(),
});

/**
 * Live resources (built by hand in the console) that this environment takes over instead of creating:
 * each listed id becomes a Terraform import block on the matching resource.
 */
const adopt = z
  .strictObject({
    /** Cluster name or ARN. */
    cluster: z.union([ecsName, ecsArn("cluster")], { error: "must be a cluster name or an ECS cluster ARN" }),
    autoScalingGroup: autoScalingGroupName,
    launchTemplate: z.string().regex(/^lt-[0-9a-f]{17}$/, "must be a launch template id like lt-07e8f4ebedbe1c2ff (lt- and 17 hex digits)"),
    /** `<cluster name>/<service name>`, the import id of an ECS service. */
    service: z.string().regex(/^[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/, "must be <cluster name>/<service name>"),
    /** Task definitions are immutable: listed only to be refused with an explanation. */
    taskDefinition: ecsArn("task-definition"),
    capacityProvider: ecsName,
    imageRepository: ecrRepositoryName,
    executionRole: iamRoleName,
  })
  .partial();

// --- the AWS provider an environment runs with (version, endpoint) ---
/** hashicorp/aws versions this app's constructs are written for; 6.x is what @cdktf/provider-aws 21.22.1 targets. */
export const MINIMUM_PROVIDER_MAJOR = 5;
const provider = z.strictObject({
  /**
   * The hashicorp/aws version written into required_providers, exact (x.y.z). Set it for an environment whose
   * engine has another provider installed (the local endpoint tier runs 5.100.0 from a filesystem mirror).
   * @default the version @cdktf/provider-aws was generated from (6.25.0)
   */
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, "must be an exact provider version like 6.25.0")
    .refine(
      (v) => Number(v.split(".")[0]) >= MINIMUM_PROVIDER_MAJOR,
      `must be ${MINIMUM_PROVIDER_MAJOR}.0.0 or later (the constructs use attributes of hashicorp/aws ${MINIMUM_PROVIDER_MAJOR}.x)`,
    )
    .optional(),
  /**
   * "aws": a real account. "local": an AWS-compatible endpoint (moto) named by AWS_ENDPOINT_URL at run time:
   * path-style S3 and no credential or instance-metadata checks. A local environment is synthesized only
   * when named (MYSLP_ENVIRONMENTS=local), shares nothing with real environments, and gets no CI identities.
   * @default "aws"
   */
  endpoint: z.enum(["aws", "local"]).optional(),
});

export const environmentShape = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, "must be 2-21 lowercase letters, digits or hyphens, starting with a letter"),
  /** Marks an environment whose settings must be production-safe. */
  production: z.boolean(),
  /**
   * Values this file assumes and someone must confirm before the first deploy (a config path and what to
   * check); `npm run synth` prints them. @default none
   */
  assumptions: z.array(z.string().min(1).max(300)).max(20).optional(),
  /**
   * Starts every name the spec does not give (`<project>-<name>-<purpose>`): with name, at most 43 characters,
   * which keeps each such name within its AWS limit (the shortest, a target group's 32, is hashed to fit).
   */
  project: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,20}$/, "must be 2-21 lowercase letters, digits or hyphens, starting with a letter")
    .refine(
      (p) => !/^(internal|sg)-/.test(`${p}-`),
      'must not begin the names with "internal-" (refused for load balancers, CreateLoadBalancer) or "sg-" (refused for security groups, CreateSecurityGroup)',
    ),
  accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
  region: awsRegion,
  state,
  network,
  cluster: z.strictObject({
    name: ecsName,
    containerInsights: z.enum(["enabled", "enhanced", "disabled"]),
  }),
  capacity,
  imageRepository: z.strictObject({
    name: ecrRepositoryName,
    /** Images kept besides the protected tags; older ones expire. */
    keepImageCount: z.number().int().min(1).max(1000),
    untaggedExpiryDays: z.number().int().min(1).max(3650),
    /** "KMS" for a new repository; "AES256" keeps an existing one's (ECR cannot change it in place). */
    encryption: z.enum(["KMS", "AES256"]),
    /**
     * false: another environment in this account and region owns the repository (one owner per name);
     * this one only reads it and pushes its own tag.
     */
    manage: z.boolean(),
  }),
  /** Receives the S3 server access logs of the environment's buckets. */
  accessLogBucket: s3BucketName,
  /** The public entry point; leave out for an environment reached another way. */
  loadBalancer: loadBalancer.optional(),
  task,
  service: z.strictObject({
    name: ecsName,
    // ---- deployment safety (rules in ./operations.ts) ----
    /**
     * Share of the daemon tasks (one per instance) ECS keeps running while it deploys a new revision. 0 on a
     * single instance (anything else stalls: DAEMON cannot start a second task there); on 2+ instances the
     * highest value that still lets one task stop (50 for 2), so instances are replaced one at a time.
     */
    deploymentMinimumHealthyPercent: z.number().int().min(0).max(100),
  }),
  wordpress,
  /** The image pipeline; an environment without one is deployed by pushing images by hand. */
  pipeline: pipeline.optional(),
  adopt: adopt.optional(),
  /** Alarms, the topic they notify (pipeline failures too) and thresholds; every field has a default. */
  alarms: alarmsSchema,
  // --- the provider version and local endpoint ---
  /** The AWS provider's version and endpoint. @default { version: 6.25.0, endpoint: "aws" } */
  provider: provider.optional(),
});

/** The environment as its fields' own rules accept it (before the rules across fields). */
export type EnvironmentShape = z.infer<typeof environmentShape>;
