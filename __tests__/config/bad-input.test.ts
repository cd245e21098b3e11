/*
 * The seven classes of bad input (docs/configuration.md), one table per class, one row per case. Every row
 * goes through the one runner, expectConfigError: a ConfigError naming the field, saying what is wrong.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Testing } from "cdktf";
import { AppConfigError, ConfigError, loadEnvironments, RAW_ENVIRONMENTS, validateEnvironment } from "../../src/config";
import { terraformLiteral, terraformLiterals } from "../../src/stacks/terraform-literal";
import { local } from "../../src/config/local";
import { displaysErrors } from "../../src/config/rules/production";
import { synthesize } from "../../src/app";
import { PlatformStack } from "../../src/stacks/platform-stack";
import { ConfigErrorRow, expectConfigError, NEW_VPC_NETWORK, problemsOf, productionRaw, stagingRaw } from "../helpers";

/** A raw environment with every occurrence of `from` replaced by `to` (moves an environment to another region or account). */
const moved = (raw: unknown, replacements: [string, string][]): any =>
  JSON.parse(replacements.reduce((text, [from, to]) => text.split(from).join(to), JSON.stringify(raw)));
const ARN_SUFFIX = "AbCdEf";
const secretArn = (region = "us-east-1", account = "744590032041", partition = "aws") =>
  `arn:${partition}:secretsmanager:${region}:${account}:secret:myslp/staging/db-${ARN_SUFFIX}`;
const newNetwork =
  (change: (n: any) => void = () => {}) =>
  (r: any) => {
    r.network = JSON.parse(JSON.stringify(NEW_VPC_NETWORK));
    change(r.network);
  };

// ---------------------------------------------------------------------------------------------------------
// Class 1: wrong types and values a typo or a wrong edit makes: a ConfigError naming the field.
// (An environment file is TypeScript checked by tsc: Proxies, getters, bigints, symbols, functions or
// circular objects cannot reach the schema, and the schema does not defend against them.)
// ---------------------------------------------------------------------------------------------------------
export const wrongValues: ConfigErrorRow[] = [
  { case: "a string for a number", change: (r) => (r.task.cpu = "3 vCPU"), field: "task.cpu", says: "expected number" },
  { case: "a number for a string", change: (r) => (r.cluster.name = 42), field: "cluster.name", says: "expected string" },
  { case: "a string for a boolean", change: (r) => (r.wordpress.debug = "false"), field: "wordpress.debug", says: "expected boolean" },
  {
    case: "a string for a list",
    change: (r) => (r.network.subnetTagFilter.values = "*private*"),
    field: "network.subnetTagFilter.values",
    says: "expected array",
  },
  { case: "NaN", change: (r) => (r.capacity.maxSize = NaN), field: "capacity.maxSize", says: "expected number" },
  { case: "Infinity", change: (r) => (r.capacity.rootVolumeGiB = Infinity), field: "capacity.rootVolumeGiB", says: "expected number" },
  { case: "-Infinity", change: (r) => (r.task.memory = -Infinity), field: "task.memory", says: "expected number" },
  { case: "a fraction for a count", change: (r) => (r.capacity.minSize = 1.5), field: "capacity.minSize", says: "expected int" },
  { case: "a long string", change: (r) => (r.wordpress.configExtra = "x".repeat(20_000)), field: "wordpress.configExtra", says: "16384" },
  { case: "a long name", change: (r) => (r.cluster.name = "c".repeat(300)), field: "cluster.name", says: "at most 255 characters" },
  { case: "null for an object", change: (r) => (r.capacity = null), field: "capacity", says: "expected object" },
  { case: "a missing section", change: (r) => delete r.task, field: "task", says: "expected object" },
  { case: "a misspelt key", change: (r) => (r.capacity.instancetype = "c6g.xlarge"), field: "capacity", says: 'Unrecognized key: "instancetype"' },
  {
    case: "__proto__ as a key",
    change: (r) => (r.task = JSON.parse(JSON.stringify(r.task).replace("{", '{"__proto__":{"cpu":1},'))),
    field: "task",
    says: '"__proto__"',
  },
  {
    case: "a password pasted under an unknown key: value not shown",
    change: (r) => (r.wordpress.database.password = "hunter2-secret"),
    field: "wordpress.database",
    says: /^wordpress\.database: Unrecognized key: "password"$/,
  },
  {
    case: "a password pasted where the secret reference belongs: value not shown",
    change: (r) => (r.wordpress.database.passwordSecret = "hunter2-secret"),
    field: "wordpress.database.passwordSecret",
    says: /\(value not shown\)$/,
  },
  {
    case: "twelve unknown keys: ten listed",
    change: (r) => {
      for (let i = 0; i < 12; i++) r.task[`extra${i}`] = i;
    },
    field: "task",
    says: '"extra9" and 2 more',
  },
  { case: "undefined environment", input: () => undefined, field: "(environment)", says: "expected object" },
  { case: "a string for the environment", input: () => "staging", field: "(environment)", says: "expected object" },
  { case: "an unknown network mode", change: (r) => (r.network.mode = "auto"), field: "network.mode", says: "auto" },
  { case: "an unknown Container Insights setting", change: (r) => (r.cluster.containerInsights = "on"), field: "cluster.containerInsights", says: "enabled" },
];

describe("class 1: wrong types and values give a ConfigError naming the field", () => {
  expectConfigError(wrongValues);

  test("the message shows a short form of a long value, never the value whole", () => {
    const raw = stagingRaw();
    raw.wordpress.configExtra = `${"y".repeat(1_000_000)}SECRET-TAIL`;
    let caught: unknown;
    try {
      validateEnvironment(raw);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).not.toContain("SECRET-TAIL");
    expect((caught as Error).message.length).toBeLessThan(2000);
  });

  test("a password put where the secret reference belongs never appears in the message", () => {
    const raw = stagingRaw();
    raw.wordpress.database.passwordSecret = "hunter2-secret";
    raw.wordpress.database.password = "hunter2-secret";
    expect(problemsOf(raw).join("\n")).not.toContain("hunter2");
  });

  test("a bad environment among several: a ConfigError, and every environment's messages", () => {
    const bad = stagingRaw();
    bad.task.cpu = "1";
    const alsoBad = productionRaw();
    alsoBad.cluster.name = 7;
    let caught: unknown;
    try {
      loadEnvironments([bad, alsoBad]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppConfigError);
    expect((caught as AppConfigError).environmentErrors.map((e) => e.environment)).toEqual(["staging", "production"]);
  });

  test("synthesize rethrows configuration errors as ConfigError and writes nothing", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "myslp-bad-"));
    const bad = stagingRaw();
    bad.capacity.instanceType = "constructor";
    expect(() => synthesize({ environments: [bad, productionRaw()], outdir })).toThrow(ConfigError);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test("cross-environment rules still run over the valid environments when one is invalid", () => {
    const bad = stagingRaw();
    bad.name = "broken";
    bad.region = 42;
    const clash = productionRaw();
    clash.name = "production-two";
    let caught: unknown;
    try {
      loadEnvironments([bad, productionRaw(), clash]);
    } catch (error) {
      caught = error;
    }
    const problems = (caught as ConfigError).problems;
    expect(problems).toContainEqual(expect.stringMatching(/^broken: region: /));
    expect(problems).toContainEqual(
      expect.stringContaining('Environment "production-two": cluster.name makes the ECS cluster name "myslp-production-cluster"'),
    );
  });

  test("a list of environments that is not a list is a ConfigError too", () => {
    expect(() => loadEnvironments("staging" as unknown as unknown[])).toThrow(ConfigError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Class 2: instance types and regions: their format and EC2's naming rule at synth; whether a type exists,
// runs arm64 and fits the task, and whether a region exists, AWS answers at plan time (ClusterCapacity's
// preconditions on EC2's own instance-type description; the provider's region check).
// ---------------------------------------------------------------------------------------------------------
const instanceType = (value: string, says: string | RegExp = /instance type/): ConfigErrorRow => ({
  case: `instance type ${JSON.stringify(value)}`,
  change: (r) => (r.capacity.instanceType = value),
  field: "capacity.instanceType",
  says,
});

export const lookups: ConfigErrorRow[] = [
  instanceType("constructor"),
  instanceType("constructor.xlarge", "not a Graviton"),
  instanceType("__proto__.xlarge"),
  instanceType("toString.large"),
  instanceType("hasOwnProperty.large"),
  instanceType("valueOf.xlarge"),
  instanceType("t4g.__proto__"),
  instanceType("C6G.XLARGE"),
  instanceType("c6g.xlarge.extra"),
  instanceType("c6g."),
  instanceType(".xlarge"),
  instanceType("c6g"),
  instanceType("c5.xlarge", "not a Graviton"),
  instanceType("m7i.large", "not a Graviton"),
  instanceType("m5a.large", "not a Graviton"),
  { case: "region constructor", change: (r) => (r.region = "constructor"), field: "region", says: "like us-east-1" },
  { case: "region __proto__", change: (r) => (r.region = "__proto__"), field: "region", says: "like us-east-1" },
  { case: "region with a capital", change: (r) => (r.region = "US-east-1"), field: "region", says: "like us-east-1" },
];

describe("class 2: instance types and regions", () => {
  expectConfigError(lookups);

  test.each(["c6g.xlarge", "c7gd.2xlarge", "c6gn.medium", "t4g.micro", "x2gd.metal", "a1.large", "im4gn.large", "c8g.metal-24xl"])(
    "%s passes EC2's Graviton naming rule (existence is checked at plan time)",
    (type) => {
      const raw = stagingRaw();
      raw.capacity.instanceType = type;
      expect(problemsOf(raw)).toEqual([]);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------
// Class 3: strings reach the container unchanged (escaped once, at the stack boundary).
// ---------------------------------------------------------------------------------------------------------
describe("class 3: user strings are Terraform literals in the synthesized JSON", () => {
  const HOSTILE = 'a ${b} c %{ if d }e%{ endif } $${f} %%{g} ${file("/etc/passwd")}';

  test.each([
    ["${x}", "$${x}"],
    ["%{x}", "%%{x}"],
    ["$${x}", "$$${x}"],
    ["%%{x}", "%%%{x}"],
    ["$ { % { $x %x {x}", "$ { % { $x %x {x}"],
    ["${a}${b}%{c}", "$${a}$${b}%%{c}"],
  ])("terraformLiteral(%j) is %j", (input, expected) => {
    expect(terraformLiteral(input)).toBe(expected);
  });

  test("converting a converted configuration again changes nothing (escaped once)", () => {
    const once = terraformLiterals({ a: ["${x}"], b: { c: "%{y}" } });
    expect(terraformLiterals(once)).toBe(once);
    expect(once).toEqual({ a: ["$${x}"], b: { c: "%%{y}" } });
  });

  // One row per field that accepts `${` or `%{`: the value, where it lands in the JSON, and what Terraform
  // must read there (the config value, byte for byte).
  const HOME = "https://staging.storelocatorplus.com/${path}/%{x}";
  const fields: [string, (raw: any) => void, (json: any) => string[], string[]][] = [
    ["wordpress.configExtra", (r) => (r.wordpress.configExtra = HOSTILE), (j) => containerEnvironment(j, "WORDPRESS_CONFIG_EXTRA"), [HOSTILE]],
    ["wordpress.home", (r) => (r.wordpress.home = HOME), (j) => containerEnvironment(j, "WP_HOME"), [HOME]],
    ["wordpress.siteUrl", (r) => (r.wordpress.siteUrl = HOME), (j) => containerEnvironment(j, "WP_SITEURL"), [HOME]],
    [
      "capacity.autoScalingGroupName",
      (r) => {
        r.capacity.autoScalingGroupName = "group-${x}-%{y}";
        delete r.adopt;
      },
      (j) => Object.values(j.resource.aws_autoscaling_group).map((g: any) => g.name),
      ["group-${x}-%{y}"],
    ],
    [
      "network.subnetTagFilter",
      (r) => (r.network.subnetTagFilter = { key: "Name${k}", values: ["*${x}*", "%{y}"] }),
      (j) =>
        Object.values(j.data.aws_subnets).flatMap((s: any) =>
          s.filter.filter((f: any) => f.name.startsWith("tag:")).flatMap((f: any) => [f.name, ...f.values]),
        ),
      ["tag:Name${k}", "*${x}*", "%{y}"],
    ],
  ];

  test.each(fields)("%s: the JSON holds the escaped literal, which Terraform reads as the config value", (_field, change, read, expected) => {
    const raw = stagingRaw();
    change(raw);
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app() as App, "literals", validateEnvironment(raw))));
    const values = read(json);
    // No `${` or `%{` survives unescaped: each is preceded by its doubled sign ...
    for (const value of values) expect(value).not.toMatch(/(^|[^$])\$\{|(^|[^%])%\{/);
    // ... and undoing Terraform's escapes gives back the config values, byte for byte.
    expect(values.map((v) => v.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{"))).toEqual(expected);
  });

  test("WORDPRESS_CONFIG_EXTRA: Terraform's reading of the synthesized value equals the config exactly", () => {
    const raw = stagingRaw();
    raw.wordpress.configExtra = `${HOSTILE}\nnewline "quotes" \\ backslash`;
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app() as App, "literals", validateEnvironment(raw))));
    const [value] = containerEnvironment(json, "WORDPRESS_CONFIG_EXTRA");
    expect(value).toBe(terraformLiteral(raw.wordpress.configExtra));
    expect(value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{")).toBe(raw.wordpress.configExtra);
  });

  test("values without template syntax are synthesized unchanged (the spec's WORDPRESS_CONFIG_EXTRA)", () => {
    const raw = stagingRaw();
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app() as App, "literals", validateEnvironment(raw))));
    expect(containerEnvironment(json, "WORDPRESS_CONFIG_EXTRA")).toEqual([raw.wordpress.configExtra]);
  });
});

function containerEnvironment(json: any, name: string): string[] {
  return Object.values(json.resource.aws_ecs_task_definition).flatMap((t: any) =>
    JSON.parse(t.container_definitions).flatMap((c: any) => c.environment.filter((e: any) => e.name === name).map((e: any) => e.value)),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Class 4: AWS's documented rules per resource type.
// ---------------------------------------------------------------------------------------------------------
const bucket = (
  field: "state.bucket" | "state.accessLogBucket" | "accessLogBucket" | "pipeline.artifactBucket",
  value: string,
  says: string,
): ConfigErrorRow => ({
  case: `${field} ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}... (${value.length})` : value)}`,
  change: (r) => {
    const [a, b] = field.split(".");
    if (b) r[a][b] = value;
    else r[a] = value;
  },
  field,
  says,
});
const stateKey = (value: string, says: string): ConfigErrorRow => ({
  case: `state key ${JSON.stringify(value.slice(0, 40))}`,
  change: (r) => (r.state.key = value),
  field: "state.key",
  says,
});

export const awsRules: ConfigErrorRow[] = [
  // S3 general-purpose bucket naming rules, each rule at least once.
  bucket("state.bucket", "ab", "at least 3"),
  bucket("accessLogBucket", "b".repeat(64), "at most 63"),
  bucket("pipeline.artifactBucket", "My-Artifacts", "lowercase letters"),
  bucket("state.accessLogBucket", "my_logs", "lowercase letters"),
  bucket("state.bucket", "-state", "begin and end"),
  bucket("accessLogBucket", "logs-", "begin and end"),
  bucket("pipeline.artifactBucket", ".artifacts", "begin and end"),
  bucket("state.bucket", "my..state", "two adjacent dots"),
  bucket("accessLogBucket", "192.168.5.4", "IP address"),
  bucket("state.bucket", "xn--state", '"xn--"'),
  bucket("pipeline.artifactBucket", "sthree-artifacts", '"sthree-"'),
  bucket("accessLogBucket", "sthree-configurator-logs", '"sthree-"'),
  bucket("state.accessLogBucket", "amzn-s3-demo-logs", '"amzn-s3-demo-"'),
  bucket("state.bucket", "state-s3alias", '"-s3alias"'),
  bucket("accessLogBucket", "logs--ol-s3", '"--ol-s3"'),
  bucket("pipeline.artifactBucket", "artifacts.mrap", '".mrap"'),
  bucket("state.bucket", "state--x-s3", '"--x-s3"'),
  bucket("state.accessLogBucket", "logs--table-s3", '"--table-s3"'),
  // What the s3 backend refuses (checked against Terraform 1.11.4).
  stateKey("", "must not be empty"),
  stateKey("/myslp/staging/terraform.tfstate", 'start or end with "/"'),
  stateKey("myslp/staging/", 'start or end with "/"'),
  stateKey("myslp//staging/terraform.tfstate", 'contain "//"'),
  stateKey("myslp/./staging.tfstate", '"." or ".."'),
  stateKey("myslp/../staging.tfstate", '"." or ".."'),
  stateKey("myslp/staging state.tfstate", "may contain only"),
  stateKey("myslp/${x}.tfstate", "may contain only"),
  stateKey("k".repeat(1025), "at most 1024"),
  // VPC and subnet CIDRs.
  { case: "VPC /8", change: newNetwork((n) => (n.cidr = "10.0.0.0/8")), field: "network.cidr", says: "/16 to /28" },
  { case: "VPC /15", change: newNetwork((n) => (n.cidr = "10.0.0.0/15")), field: "network.cidr", says: "/16 to /28" },
  { case: "VPC /29", change: newNetwork((n) => (n.cidr = "10.0.0.0/29")), field: "network.cidr", says: "/16 to /28" },
  {
    case: "VPC /26: derived /30 subnets",
    change: newNetwork((n) => (n.cidr = "10.0.0.0/26")),
    field: "network.cidr",
    says: "CreateSubnet accepts at most /28",
  },
  { case: "VPC /25: derived /29 subnets", change: newNetwork((n) => (n.cidr = "10.0.0.0/25")), field: "network.cidr", says: "/16 to /24" },
  { case: "VPC with host bits", change: newNetwork((n) => (n.cidr = "10.20.1.0/16")), field: "network.cidr", says: "host bits" },
  {
    case: "nine zones: derived subnets would overlap",
    change: newNetwork((n) => (n.availabilityZones = "abcdefghi".split("").map((z) => `us-east-1${z}`))),
    field: "network.availabilityZones",
    says: "at most 8",
  },
  {
    case: "zone of another region",
    change: newNetwork((n) => (n.availabilityZones = ["us-west-2a", "us-west-2b"])),
    field: "network.availabilityZones.0",
    says: "region us-east-1",
  },
  {
    case: "zone listed twice",
    change: newNetwork((n) => (n.availabilityZones = ["us-east-1a", "us-east-1a"])),
    field: "network.availabilityZones.1",
    says: "listed twice",
  },
  {
    case: "zone without its letter",
    change: newNetwork((n) => (n.availabilityZones = ["us-east-1", "us-east-1b"])),
    field: "network.availabilityZones.0",
    says: "availability zone",
  },
  {
    case: "zone id instead of a name",
    change: newNetwork((n) => (n.availabilityZones = ["use1-az1", "us-east-1b"])),
    field: "network.availabilityZones.0",
    says: "availability zone",
  },
  {
    case: "subnet listed twice",
    change: (r) =>
      (r.network = {
        mode: "explicit",
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"],
        databaseSecurityGroupId: "sg-0123456789abcdef0",
        httpSource: { kind: "vpc" },
      }),
    field: "network.subnetIds.1",
    says: "listed twice",
  },
  {
    case: "source CIDR listed twice",
    change: (r) => (r.network.httpSource = { kind: "cidrs", cidrs: ["10.0.0.0/16", "10.0.0.0/16"] }),
    field: "network.httpSource.cidrs.1",
    says: "listed twice",
  },
  // ARNs whose partition, service, region and account fit.
  {
    case: "secret ARN without its random suffix",
    change: (r) => (r.wordpress.database.passwordSecret = { arn: "arn:aws:secretsmanager:us-east-1:744590032041:secret:myslp/staging/db" }),
    field: "wordpress.database.passwordSecret.arn",
    says: "full Secrets Manager secret ARN",
  },
  {
    case: "secret ARN in another region",
    change: (r) => (r.wordpress.database.passwordSecret = { arn: secretArn("us-west-2") }),
    field: "wordpress.database.passwordSecret.arn",
    says: "region us-west-2",
  },
  {
    case: "secret ARN of another account",
    change: (r) => (r.wordpress.database.passwordSecret = { arn: secretArn("us-east-1", "111111111111") }),
    field: "wordpress.database.passwordSecret.arn",
    says: "account 111111111111",
  },
  {
    case: "secret ARN of the China partition",
    change: (r) => (r.wordpress.database.passwordSecret = { arn: secretArn("us-east-1", "744590032041", "aws-cn") }),
    field: "wordpress.database.passwordSecret.arn",
    says: "partition aws-cn",
  },
  {
    case: "secret ARN of an unknown partition",
    change: (r) => (r.wordpress.database.passwordSecret = { arn: secretArn("us-east-1", "744590032041", "awsx") }),
    field: "wordpress.database.passwordSecret.arn",
    says: "full Secrets Manager secret ARN",
  },
  {
    case: "certificate in another region than the load balancer",
    input: () =>
      Object.assign(productionRaw(), {
        loadBalancer: {
          ...productionRaw().loadBalancer,
          certificate: { kind: "existing", arn: "arn:aws:acm:us-west-2:744590032041:certificate/12345678-1234-1234-1234-123456789012" },
        },
      }),
    field: "loadBalancer.certificate.arn",
    says: "region us-west-2 (must be us-east-1)",
  },
  {
    case: "certificate of another account",
    input: () =>
      Object.assign(productionRaw(), {
        loadBalancer: {
          ...productionRaw().loadBalancer,
          certificate: { kind: "existing", arn: "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012" },
        },
      }),
    field: "loadBalancer.certificate.arn",
    says: "account 111111111111",
  },
  {
    case: "connection of another account",
    change: (r) =>
      (r.pipeline.source.connection = { arn: "arn:aws:codestar-connections:us-east-1:111111111111:connection/12345678-1234-1234-1234-123456789012" }),
    field: "pipeline.source.connection.arn",
    says: "account 111111111111",
  },
  {
    case: "alarm topic of another partition",
    change: (r) => (r.alarms = { topicArn: "arn:aws-us-gov:sns:us-gov-west-1:744590032041:failures" }),
    field: "alarms.topicArn",
    says: "partition aws-us-gov",
  },
  {
    case: "alarm topic in another region",
    change: (r) => (r.alarms = { topicArn: "arn:aws:sns:eu-west-1:744590032041:alarms" }),
    field: "alarms.topicArn",
    says: "region eu-west-1 (must be us-east-1)",
  },
  {
    case: "image in this account's registry in another region",
    change: (r) => (r.task.image = "744590032041.dkr.ecr.us-west-2.amazonaws.com/myslp2024-aarch64:staging"),
    field: "task.image",
    says: "in us-west-2, but the environment is in us-east-1",
  },
  {
    case: "database endpoint in another region",
    change: (r) => (r.wordpress.database.host = "db.cluster-abc.us-west-2.rds.amazonaws.com"),
    field: "wordpress.database.host",
    says: "RDS endpoint in us-west-2",
  },
  // Names after the project's prefixes and suffixes, within AWS's lengths and patterns.
  {
    case: "load balancer name beginning with internal-",
    input: () => Object.assign(productionRaw(), { project: "internal" }),
    field: "project",
    says: 'must not begin the names with "internal-"',
  },
  {
    case: "security group names beginning with sg-",
    change: (r) => (r.project = "sg"),
    field: "project",
    says: '"sg-" (refused for security groups',
  },
  {
    case: "log group name beginning with aws/",
    change: (r) => (r.task.logGroupName = "aws/ecs/slp_saas_staging"),
    field: "task.logGroupName",
    says: 'begin with "aws/"',
  },
  {
    case: "execution policy name over 128 (task family + -execution)",
    change: (r) => (r.task.family = "f".repeat(120)),
    field: "task.family",
    says: "the execution role's policy `<family>-execution` may have 128",
  },
  { case: "IAM role name over 64", change: (r) => (r.task.taskRoleName = "r".repeat(65)), field: "task.taskRoleName", says: "at most 64" },
  {
    case: "secret name ending like an ARN suffix",
    change: (r) => (r.wordpress.database.passwordSecret = { name: "myslp/staging/db-AbCdEf", create: true }),
    field: "wordpress.database.passwordSecret.name",
    says: "six characters",
  },
  // One bucket name is one bucket within an environment.
  {
    case: "access logs into the state log bucket",
    change: (r) => (r.accessLogBucket = r.state.accessLogBucket),
    field: "state.accessLogBucket",
    says: "must differ from accessLogBucket",
  },
  {
    case: "state bucket as its own log bucket",
    change: (r) => (r.state.accessLogBucket = r.state.bucket),
    field: "state.accessLogBucket",
    says: "must differ from state.bucket",
  },
  {
    case: "artifacts in the access-log bucket",
    change: (r) => (r.pipeline.artifactBucket = r.accessLogBucket),
    field: "pipeline.artifactBucket",
    says: "must differ from accessLogBucket",
  },
];

describe("class 4: AWS's documented rules, per resource type", () => {
  expectConfigError(awsRules);
});

// ---------------------------------------------------------------------------------------------------------
// Class 5: environments that clash across the app.
// ---------------------------------------------------------------------------------------------------------
const pair = (change: (staging: any, production: any) => void) => () => {
  const s = stagingRaw();
  const p = productionRaw();
  change(s, p);
  return [s, p];
};
/** Production moved to another region (every name with the region in it moves too). */
const productionIn = (region: string) => moved(productionRaw(), [["us-east-1", region]]);
/** Production moved to another account. */
const productionOf = (account: string) => moved(productionRaw(), [["744590032041", account]]);

export const clashes: ConfigErrorRow[] = [
  { case: "two environments with one name", environments: () => [stagingRaw(), stagingRaw()], field: "Duplicate environment name", says: '"staging"' },
  { case: "one state key", environments: pair((s, p) => (p.state.key = s.state.key)), field: "state.bucket", says: "myslp/staging/terraform.tfstate" },
  {
    case: "one Terraform Cloud workspace",
    environments: pair((s, p) => {
      s.state = p.state = { backend: "cloud", organization: "storelocatorplus", workspace: "myslp" };
      delete s.pipeline;
    }),
    field: "state.organization",
    says: "storelocatorplus/myslp",
  },
  { case: "one cluster name", environments: pair((s, p) => (p.cluster.name = s.cluster.name)), field: "cluster.name", says: "ECS cluster" },
  {
    case: "one Auto Scaling group name",
    environments: pair((s, p) => (p.capacity.autoScalingGroupName = s.capacity.autoScalingGroupName)),
    field: "capacity.autoScalingGroupName",
    says: "Auto Scaling group",
  },
  {
    case: "one launch template name",
    environments: pair((s, p) => {
      delete s.adopt.launchTemplate;
      s.capacity.launchTemplateName = p.capacity.launchTemplateName = "myslp-ecs";
    }),
    field: "capacity.launchTemplateName",
    says: "launch template",
  },
  {
    case: "one capacity provider name",
    environments: pair((s, p) => (p.capacity.capacityProviderName = s.capacity.capacityProviderName)),
    field: "capacity.capacityProviderName",
    says: "capacity provider",
  },
  { case: "one task family", environments: pair((s, p) => (p.task.family = s.task.family)), field: "task.family", says: "ECS task family" },
  { case: "one log group", environments: pair((s, p) => (p.task.logGroupName = s.task.logGroupName)), field: "task.logGroupName", says: "log group" },
  {
    case: "one execution role (same region)",
    environments: pair((s, p) => (p.task.executionRoleName = s.task.executionRoleName)),
    field: "task.executionRoleName",
    says: "IAM role",
  },
  {
    case: "one IAM role in two regions of one account (IAM is global)",
    environments: () => [
      stagingRaw(),
      Object.assign(productionIn("us-west-2"), { task: { ...productionIn("us-west-2").task, taskRoleName: "myslp-staging-task" } }),
    ],
    field: "task.taskRoleName",
    says: "IAM names are global in an account",
  },
  {
    case: "one secret",
    environments: pair((s, p) => (p.wordpress.database.passwordSecret = { ...s.wordpress.database.passwordSecret })),
    field: "wordpress.database.passwordSecret.name",
    says: "Secrets Manager secret",
  },
  { case: "one pipeline name", environments: pair((s, p) => (p.pipeline.name = s.pipeline.name)), field: "pipeline.name", says: "CodePipeline" },
  {
    case: "one build project",
    environments: pair((s, p) => (p.pipeline.build.projectName = s.pipeline.build.projectName)),
    field: "pipeline.build.projectName",
    says: "CodeBuild project",
  },
  {
    case: "one artifact bucket",
    environments: pair((s, p) => (p.pipeline.artifactBucket = s.pipeline.artifactBucket)),
    field: "pipeline.artifactBucket",
    says: "S3 bucket",
  },
  { case: "one access-log bucket", environments: pair((s, p) => (p.accessLogBucket = s.accessLogBucket)), field: "accessLogBucket", says: "S3 bucket" },
  {
    case: "artifact bucket of one is the access-log bucket of the other",
    environments: pair((s, p) => (p.pipeline.artifactBucket = s.accessLogBucket)),
    field: "pipeline.artifactBucket",
    says: "S3 bucket",
  },
  {
    case: "one bucket name in two accounts (S3 is global)",
    environments: () => {
      const p = productionOf("111111111111");
      p.accessLogBucket = stagingRaw().accessLogBucket;
      return [stagingRaw(), p];
    },
    field: "accessLogBucket",
    says: "S3 bucket names are global",
  },
  {
    case: "one stack id from two project/name splits",
    environments: () => [
      stagingRaw(),
      Object.assign(productionRaw(), { name: "prod-eu" }),
      Object.assign(productionRaw(), { project: "myslp-prod", name: "eu" }),
    ],
    field: "project + name",
    says: 'stack id "myslp-prod-eu"',
  },
  {
    case: "one state bucket in two bootstraps (two projects)",
    environments: pair((_s, p) => (p.project = "other")),
    field: "state.bucket",
    says: "one bootstrap per state bucket",
  },
  {
    case: "state bucket used as another environment's bucket",
    environments: () => {
      const p = productionOf("111111111111");
      p.accessLogBucket = stagingRaw().state.bucket;
      return [stagingRaw(), p];
    },
    field: "accessLogBucket",
    says: "is a state bucket",
  },
  {
    case: "two state log buckets in one bootstrap",
    environments: pair((_s, p) => (p.state.accessLogBucket = "myslp-other-state-logs-744590032041")),
    field: "state.accessLogBucket",
    says: "share it",
  },
  {
    case: "image repository managed twice",
    environments: pair((_s, p) => {
      // Production back in staging's repository (as it was before it got its own), managing it too.
      p.imageRepository.name = "myslp2024-aarch64";
      p.task.image = p.task.image.replace("myslp-production-aarch64", "myslp2024-aarch64");
    }),
    field: "imageRepository.manage",
    says: "staging and production do",
  },
  {
    case: "image repository managed by none",
    environments: pair((s) => (s.imageRepository.manage = false)),
    field: "imageRepository.manage",
    says: "none does",
  },
];

describe("class 5: environments that clash", () => {
  expectConfigError(clashes);

  test("names in different accounts and regions do not clash where AWS scopes them", () => {
    const west = productionIn("us-west-2");
    west.name = "west";
    west.production = true;
    expect(() => loadEnvironments([stagingRaw(), productionRaw(), west])).toThrow(/IAM role name "myslp-production-task-execution"/);
    const otherAccount = productionOf("111111111111");
    otherAccount.imageRepository.manage = true;
    expect(loadEnvironments([stagingRaw(), otherAccount]).map((e) => e.accountId)).toEqual(["744590032041", "111111111111"]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Class 6: production rules that hold.
// ---------------------------------------------------------------------------------------------------------
const shows = (php: string): ConfigErrorRow => ({
  case: `production configExtra ${php}`,
  input: () => {
    const p = productionRaw();
    p.wordpress.configExtra = `define('SUNRISE', true);${php}`;
    return p;
  },
  field: "wordpress.configExtra",
  says: "must not display errors in a production environment",
});

export const productionRules: ConfigErrorRow[] = [
  {
    case: "named production, flag false",
    change: (r) => (r.name = "production"),
    field: "production",
    says: 'must be true for an environment named "production"',
  },
  { case: "named prod, flag false", change: (r) => (r.name = "prod"), field: "production", says: "must be true" },
  { case: "named prod-eu, flag false", change: (r) => (r.name = "prod-eu"), field: "production", says: "must be true" },
  { case: "named eu-production, flag false", change: (r) => (r.name = "eu-production"), field: "production", says: "must be true" },
  { case: "named prd, flag false", change: (r) => (r.name = "prd"), field: "production", says: "must be true" },
  {
    case: "production with debug",
    input: () => Object.assign(productionRaw(), { wordpress: { ...productionRaw().wordpress, debug: true } }),
    field: "wordpress.debug",
    says: "must be false",
  },
  {
    case: "production with 30-day task logs",
    input: () => Object.assign(productionRaw(), { task: { ...productionRaw().task, logRetentionDays: 30 } }),
    field: "task.logRetentionDays",
    says: "at least 365",
  },
  {
    case: "production with 30-day build logs",
    input: () => {
      const p = productionRaw();
      p.pipeline.build.logRetentionDays = 30;
      return p;
    },
    field: "pipeline.build.logRetentionDays",
    says: "at least 365",
  },
  {
    case: "production without deletion protection",
    input: () => {
      const p = productionRaw();
      p.loadBalancer.deletionProtection = false;
      return p;
    },
    field: "loadBalancer.deletionProtection",
    says: "must be true",
  },
  shows("@ini_set('display_errors',1);"),
  shows("ini_set('display_errors', 1);"),
  shows('ini_set("display_errors", "1");'),
  shows("ini_set('display_errors', '1');"),
  shows("ini_set('display_errors', true);"),
  shows("ini_set('display_errors', TRUE);"),
  shows("ini_set('display_errors', 'On');"),
  shows("ini_set('display_errors', 'on');"),
  shows("ini_set('display_errors', 'stdout');"),
  shows("ini_set('display_errors', 'yes');"),
  shows("INI_SET('display_errors', 1);"),
  shows("Ini_Set ( 'display_errors' , 1 ) ;"),
  shows("@ ini_set('display_errors', 1);"),
  shows("\\ini_set('display_errors', 1);"),
  shows("ini_set('DISPLAY_ERRORS', 1);"),
  shows("ini_set('display_startup_errors', 1);"),
  shows("define('WP_DEBUG_DISPLAY', true);"),
  shows('define( "WP_DEBUG_DISPLAY", true );'),
  shows("define('WP_DEBUG_DISPLAY', TRUE);"),
  shows("define('WP_DEBUG_DISPLAY', 1);"),
  shows("DEFINE('WP_DEBUG_DISPLAY', 'on');"),
  shows("define('WP_DEBUG', true);"),
  shows("define('WP_DEBUG', getenv('DEBUG'));"),
];

describe("class 6: production rules that hold", () => {
  expectConfigError(productionRules);

  test.each([
    "ini_set('display_errors', 0);",
    "ini_set('display_errors', '0');",
    "@ini_set('display_errors', 'Off');",
    "ini_set('display_errors', false);",
    "define('WP_DEBUG_DISPLAY', false);",
    "define('WP_DEBUG', FALSE);",
    "define('WP_DEBUG_LOG', true);",
    "error_log('display_errors');",
  ])("%s is accepted in production", (php) => {
    expect(displaysErrors(php)).toBeUndefined();
    const p = productionRaw();
    p.wordpress.configExtra = php;
    expect(validateEnvironment(p).wordpress.configExtra).toBe(php);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Class 7: valid values still pass.
// ---------------------------------------------------------------------------------------------------------
const withoutPipeline = (r: any) => delete r.pipeline;
const valid: [string, (raw: any) => void][] = [
  ["home URL without a trailing slash", (r) => (r.wordpress.home = "https://staging.storelocatorplus.com")],
  ["site URL with a port and a path", (r) => (r.wordpress.siteUrl = "https://staging.storelocatorplus.com:8443/wp")],
  ["c6g.metal", (r) => (r.capacity.instanceType = "c6g.metal")],
  ["m7g.metal", (r) => (r.capacity.instanceType = "m7g.metal")],
  ["a1.metal", (r) => (r.capacity.instanceType = "a1.metal")],
  ["c8g.metal-24xl", (r) => (r.capacity.instanceType = "c8g.metal-24xl")],
  ["r8g.48xlarge", (r) => (r.capacity.instanceType = "r8g.48xlarge")],
  ["t4g.xlarge", (r) => (r.capacity.instanceType = "t4g.xlarge")],
  [
    "image with tag and digest",
    (r) => {
      withoutPipeline(r);
      r.task.image = `${r.task.image}@sha256:${"a".repeat(64)}`;
    },
  ],
  [
    "image with a digest only",
    (r) => {
      withoutPipeline(r);
      r.task.image = `744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64@sha256:${"b".repeat(64)}`;
    },
  ],
  ["image with tag and digest under a pipeline", (r) => (r.task.image = `${r.task.image}@sha256:${"c".repeat(64)}`)],
  [
    "public image on a registry with a port",
    (r) => {
      withoutPipeline(r);
      r.task.image = "registry.example.com:5000/team/wordpress:6.4-php8.2";
    },
  ],
  ["PHP with ${ and %{ in WORDPRESS_CONFIG_EXTRA", (r) => (r.wordpress.configExtra = 'define("X", "${y}"); printf("%{z}");')],
  ["full secret ARN with its suffix", (r) => (r.wordpress.database.passwordSecret = { arn: secretArn() })],
  ["bucket name with dots", (r) => (r.accessLogBucket = "logs.myslp.example")],
  [
    "new VPC /24 with 8 zones",
    newNetwork((n) => {
      n.cidr = "10.0.0.0/24";
      n.availabilityZones = "abcdefgh".split("").map((z) => `us-east-1${z}`);
    }),
  ],
  ["new VPC /16", newNetwork()],
  ["null-prototype objects", (r) => (r.cluster = Object.assign(Object.create(null), r.cluster))],
  ["frozen objects", (r) => Object.freeze(r.task)],
  ["a symbol-keyed property (ignored)", (r) => (r.cluster[Symbol("note")] = "x")],
  ["state key with safe punctuation", (r) => (r.state.key = "myslp/staging.v2/(blue)_terraform.tfstate")],
  ["a non-production name that contains prod", (r) => (r.name = "preprod")],
];

describe("class 7: valid values still pass", () => {
  test.each(valid)("%s", (_case, change) => {
    const raw = stagingRaw();
    change(raw);
    expect(validateEnvironment(raw).name).toBe(raw.name);
  });

  test("every current environment file is valid, alone and together", () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(["staging", "production", "local"]);
    expect(RAW_ENVIRONMENTS.map((e) => validateEnvironment(e).name)).toEqual(["staging", "production", "local"]);
    // The integration tier's environment stands alone (it shares staging's account but never its app).
    expect(loadEnvironments([local]).map((e) => e.name)).toEqual(["local"]);
  });
});
