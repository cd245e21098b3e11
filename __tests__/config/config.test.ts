import { ConfigError, loadEnvironments, validateEnvironment } from "../../src/config";
import { expectConfigError, problemsOf, stagingRaw } from "../helpers";

describe("the staging config", () => {
  test("is valid and carries the spec's values", () => {
    const env = validateEnvironment(stagingRaw());
    expect(env.accountId).toBe("744590032041");
    expect(env.region).toBe("us-east-1");
    expect(env.cluster.name).toBe("myslp-staging-cluster");
    expect(env.service.name).toBe("myslp-staging-service");
    expect(env.task.family).toBe("slp_saas_staging");
    expect(env.task.containerName).toBe("slp_saas");
    expect(env.task.image).toBe("744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:staging");
    expect(env.task.cpu).toBe(3 * 1024);
    expect(env.task.memory).toBe(6 * 1024);
    expect(env.capacity.instanceType).toBe("c6g.xlarge");
    expect(env.capacity.minSize).toBe(1);
    expect(env.wordpress.database.name).toBe("myslp_dashboard");
    expect(env.wordpress.database.user).toBe("myslp_genesis");
  });
});

/**
 * One row per rule: how the staging config is broken, the field the message must name, and a fragment of
 * what the message says is allowed.
 */
const badInputs: [string, (raw: any) => void, string, string][] = [
  // wrong types
  ["cpu as a string like the console's", (r) => (r.task.cpu = "3 vCPU"), "task.cpu", "expected number"],
  ["memory as a string", (r) => (r.task.memory = "6 GB"), "task.memory", "expected number"],
  ["minSize as a string", (r) => (r.capacity.minSize = "1"), "capacity.minSize", "expected number"],
  ["production as a string", (r) => (r.production = "no"), "production", "expected boolean"],
  ["debug as a string", (r) => (r.wordpress.debug = "true"), "wordpress.debug", "expected boolean"],
  ["subnet tag values not a list", (r) => (r.network.subnetTagFilter.values = "*private*"), "network.subnetTagFilter.values", "expected array"],
  ["missing cluster name", (r) => delete r.cluster.name, "cluster.name", "expected string"],
  ["fractional desired capacity", (r) => (r.capacity.desiredCapacity = 1.5), "capacity.desiredCapacity", "expected int"],
  // names
  ["empty cluster name", (r) => (r.cluster.name = ""), "cluster.name", "at least 1"],
  ["cluster name over 255 characters", (r) => (r.cluster.name = "c".repeat(256)), "cluster.name", "at most 255"],
  ["service name with a space", (r) => (r.service.name = "my service"), "service.name", "letters, digits, hyphens"],
  ["task family with a dot", (r) => (r.task.family = "slp.saas"), "task.family", "letters, digits, hyphens"],
  ["IAM role name over 64 characters", (r) => (r.task.executionRoleName = "r".repeat(65)), "task.executionRoleName", "at most 64"],
  ["uppercase ECR repository", (r) => (r.imageRepository.name = "MySLP"), "imageRepository.name", "lowercase"],
  ["uppercase state bucket", (r) => (r.state.bucket = "MyBucket"), "state.bucket", "lowercase"],
  ["launch template name of 2 characters", (r) => (r.capacity.launchTemplateName = "lt"), "capacity.launchTemplateName", "at least 3"],
  [
    "capacity provider named ecs-...",
    (r) => (r.capacity.capacityProviderName = "ecs-arm64"),
    "capacity.capacityProviderName",
    'must not begin with "aws", "ecs" or "fargate"',
  ],
  ["ASG name with a colon", (r) => (r.capacity.autoScalingGroupName = "a:b"), "capacity.autoScalingGroupName", "except a colon"],
  ["log group name with a space", (r) => (r.task.logGroupName = "/ecs/slp saas"), "task.logGroupName", "letters, digits"],
  // ids and CIDRs
  ["account id of 11 digits", (r) => (r.accountId = "74459003204"), "accountId", "12-digit"],
  ["region misspelt", (r) => (r.region = "us-east"), "region", "like us-east-1"],
  [
    "malformed VPC id",
    (r) => (r.network = { mode: "explicit", vpcId: "vpc-xyz", subnetIds: ["subnet-0123456789abcdef0"], httpSource: { kind: "vpc" } }),
    "network.vpcId",
    "vpc- then 8 or 17 lowercase hex digits",
  ],
  [
    "malformed subnet id",
    (r) => (r.network = { mode: "explicit", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-12"], httpSource: { kind: "vpc" } }),
    "network.subnetIds.0",
    "subnet- then 8 or 17",
  ],
  [
    "no subnet ids",
    (r) => (r.network = { mode: "explicit", vpcId: "vpc-0123456789abcdef0", subnetIds: [], httpSource: { kind: "vpc" } }),
    "network.subnetIds",
    "at least one subnet id",
  ],
  [
    "malformed security group id",
    (r) => (r.network.httpSource = { kind: "security-group", securityGroupId: "sg-1" }),
    "network.httpSource.securityGroupId",
    "sg- then 8 or 17",
  ],
  ["CIDR with host bits", (r) => (r.network.httpSource = { kind: "cidrs", cidrs: ["10.0.0.1/16"] }), "network.httpSource.cidrs.0", "host bits"],
  ["CIDR with octet 300", (r) => (r.network.httpSource = { kind: "cidrs", cidrs: ["10.300.0.0/16"] }), "network.httpSource.cidrs.0", "IPv4 CIDR block"],
  ["CIDR prefix 33", (r) => (r.network.httpSource = { kind: "cidrs", cidrs: ["10.0.0.0/33"] }), "network.httpSource.cidrs.0", "prefix 0-32"],
  [
    "new VPC in one zone",
    (r) =>
      (r.network = {
        mode: "new",
        cidr: "10.20.0.0/16",
        availabilityZones: ["us-east-1a"],
        natGatewayPerZone: false,
        databaseSecurityGroupId: "sg-0123456789abcdef0",
        httpSource: { kind: "vpc" },
      }),
    "network.availabilityZones",
    "at least 2",
  ],
  ["unknown network mode", (r) => (r.network.mode = "magic"), "network.mode", "'explicit' | 'discover' | 'new' (got \"magic\")"],
  ["pinned AMI with a bad id", (r) => (r.capacity.ami = { source: "pinned", id: "ami-123" }), "capacity.ami.id", "ami- then 8 or 17"],
  // cross-field rules
  ["x86 instance type with an ARM64 task", (r) => (r.capacity.instanceType = "c5.xlarge"), "capacity.instanceType", "not a Graviton (ARM64) instance type"],
  ["X86_64 task architecture", (r) => (r.task.cpuArchitecture = "X86_64"), "task.cpuArchitecture", "must be ARM64"],
  ["min above max", (r) => Object.assign(r.capacity, { minSize: 3, maxSize: 2, desiredCapacity: 2 }), "capacity.minSize", "<= capacity.maxSize (2)"],
  [
    "desired above max",
    (r) => Object.assign(r.capacity, { desiredCapacity: 5 }),
    "capacity.desiredCapacity",
    "between capacity.minSize (1) and capacity.maxSize (2)",
  ],
  ["min of 0", (r) => (r.capacity.minSize = 0), "capacity.minSize", "at least 1"],
  [
    "database access without a group to open",
    (r) => (r.network = { mode: "explicit", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], httpSource: { kind: "vpc" } }),
    "network.databaseSecurityGroupId",
    "required when wordpress.database.allowTaskAccess is true",
  ],
  [
    "image from another ECR repository",
    (r) => (r.task.image = "744590032041.dkr.ecr.us-east-1.amazonaws.com/other:staging"),
    "task.image",
    'imageRepository.name is "myslp2024-aarch64"',
  ],
  ["state bucket in another region", (r) => (r.state.region = "us-west-2"), "state.region", "must equal region (us-east-1)"],
  // images and secrets
  [
    "image without a tag or digest",
    (r) => (r.task.image = "744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64"),
    "task.image",
    ":<tag> or @sha256:<digest>",
  ],
  [
    "image with a short digest",
    (r) => (r.task.image = "744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64@sha256:abc"),
    "task.image",
    "@sha256:<digest>",
  ],
  [
    "plain-text password as the secret",
    (r) => (r.wordpress.database.passwordSecret = "hunter2!"),
    "wordpress.database.passwordSecret",
    "never the password: { arn: <secret ARN> } or { name: <secret name>, create: true|false }",
  ],
  [
    "password as the secret name",
    (r) => (r.wordpress.database.passwordSecret = { name: "s3cr3t pass#1", create: false }),
    "wordpress.database.passwordSecret.name",
    "letters, digits and / _ + = . @ -",
  ],
  ["a password field beside the secret", (r) => (r.wordpress.database.password = "hunter2"), "wordpress.database", 'Unrecognized key: "password"'],
  [
    "a secret ARN from another service",
    (r) => (r.wordpress.database.passwordSecret = { arn: "arn:aws:ssm:us-east-1:744590032041:parameter/x" }),
    "wordpress.database.passwordSecret.arn",
    "Secrets Manager secret ARN",
  ],
  ["log retention of 10 days", (r) => (r.task.logRetentionDays = 10), "task.logRetentionDays", "must be one of 1, 3, 5, 7, 14, 30"],
  ["site URL over http", (r) => (r.wordpress.home = "http://staging.storelocatorplus.com/"), "wordpress.home", "https://"],
  // production safety
  ["debug in production", (r) => (r.production = true), "wordpress.debug", "must be false in a production environment"],
  [
    "display_errors in production",
    (r) => Object.assign(r, { production: true }) && (r.wordpress.debug = false),
    "wordpress.configExtra",
    "must not display errors in a production environment",
  ],
];

describe("validateEnvironment rejects bad input, naming the field and what is allowed", () => {
  expectConfigError(badInputs.map(([label, change, field, says]) => ({ case: label, change, field, says })));

  test("reports the value it was given", () => {
    const raw = stagingRaw();
    raw.capacity.instanceType = "m5.large";
    expect(problemsOf(raw)).toContainEqual(expect.stringContaining("capacity.instanceType: is not a Graviton (ARM64) instance type"));
    expect(problemsOf(raw)).toContainEqual(expect.stringContaining('(got "m5.large")'));
  });

  test("lists every bad field at once, in one ConfigError", () => {
    const raw = stagingRaw();
    raw.cluster.name = "";
    raw.task.cpu = "3 vCPU";
    raw.accountId = "x";
    let caught: unknown;
    try {
      validateEnvironment(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message).toContain('Invalid configuration for environment "staging"');
    expect(message).toContain("cluster.name");
    expect(message).toContain("task.cpu");
    expect(message).toContain("accountId");
  });

  test("never echoes a password put where the secret reference belongs", () => {
    for (const misplaced of ["hunter2!", { name: "hunter2 #!", create: false }]) {
      const raw = stagingRaw();
      raw.wordpress.database.passwordSecret = misplaced;
      raw.wordpress.database.password = "hunter2!";
      const problems = problemsOf(raw);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join("\n")).not.toContain("hunter2");
    }
  });

  test("rejects a value that is not an object", () => {
    expect(problemsOf("staging")).toEqual([expect.stringContaining("(environment): Invalid input: expected object")]);
  });
});

describe("loadEnvironments", () => {
  test("rejects two environments with the same name", () => {
    expect(() => loadEnvironments([stagingRaw(), stagingRaw()])).toThrow('Duplicate environment name "staging"');
  });

  test("rejects an unknown environment name asked for", () => {
    expect(() => loadEnvironments([stagingRaw()], ["prod"])).toThrow('Unknown environment "prod" (from MYSLP_ENVIRONMENTS): allowed are staging');
  });

  test("returns only the environments asked for", () => {
    expect(loadEnvironments([stagingRaw()], ["staging"]).map((e) => e.name)).toEqual(["staging"]);
  });

  test("reports every invalid environment, not just the first", () => {
    const a = stagingRaw();
    a.name = "alpha";
    a.cluster.name = "";
    const b = stagingRaw();
    b.name = "beta";
    b.task.cpu = 0;
    expect(() => loadEnvironments([a, b])).toThrow(/environment "alpha"[\s\S]*environment "beta"/);
  });
});

describe("the local environment of the integration tier", () => {
  test("is valid, and not one of the environments cdktf synth produces unless named", () => {
    const { local } = require("../../src/config/local");
    const { RAW_ENVIRONMENTS, defaultEnvironments, loadEnvironments } = require("../../src/config");
    expect(problemsOf(local)).toEqual([]);
    expect(RAW_ENVIRONMENTS).toContain(local);
    expect(defaultEnvironments(loadEnvironments()).map((e: { name: string }) => e.name)).toEqual(["staging", "production"]);
    expect(local.pipeline).toBeUndefined();
  });
});
