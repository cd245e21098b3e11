/*
 * AWS's documented rules that span fields of one environment (a field's own
 * format is in fields.ts). Each rule cites its doc page.
 */

import { partitionOf } from "../naming";
import type { EnvironmentShape } from "../shape";

type Path = (string | number)[];
export type Issue = (path: Path, message: string, input: unknown) => void;

/** The DNS suffix of a partition's service endpoints (ECR registries, RDS endpoints). */
function dnsSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

function parseArn(arn: string): ArnParts | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

type AwsRuleEnvironment = EnvironmentShape;

export function checkAwsRules(env: AwsRuleEnvironment, issue: Issue): void {
  const partition = partitionOf(env.region);
  checkNetwork(env, issue);
  checkArns(env, partition, issue);

  // An image in this account's ECR must be in the environment's region: the execution role's pull permission,
  // the VPC's route to ECR and the pipeline all live there (ECR private registry URL:
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html, aws_account_id.dkr.ecr.region.amazonaws.com).
  const registry = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?)\//.exec(env.task.image);
  if (registry && registry[1] === env.accountId) {
    if (registry[2] !== env.region) {
      issue(
        ["task", "image"],
        `is in this account's ECR registry in ${registry[2]}, but the environment is in ${env.region}: use ${env.accountId}.dkr.ecr.${env.region}.${dnsSuffix(partition)}`,
        env.task.image,
      );
    } else if (registry[3] !== dnsSuffix(partition)) {
      issue(["task", "image"], `must use the ${partition} registry domain ${dnsSuffix(partition)}`, env.task.image);
    }
  }

  // An RDS endpoint names its region (<id>.<cluster-id>.<region>.rds.amazonaws.com); the task reaches the
  // database through the VPC, so it must be the environment's region.
  const rds = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.rds\.amazonaws\.com(?:\.cn)?$/.exec(env.wordpress.database.host);
  if (rds && rds[1] !== env.region) {
    issue(
      ["wordpress", "database", "host"],
      `is an RDS endpoint in ${rds[1]}, but the environment (and its VPC) is in ${env.region}`,
      env.wordpress.database.host,
    );
  }
}

function checkNetwork(env: AwsRuleEnvironment, issue: Issue): void {
  const network = env.network;
  if (network.mode === "new") {
    const zones = network.availabilityZones;
    zones.forEach((zone, index) => {
      // Availability zone names are the region's code plus a letter (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
      if (!new RegExp(`^${env.region}[a-z]$`).test(zone)) {
        issue(
          ["network", "availabilityZones", index],
          `must be an availability zone of the environment's region ${env.region} (${env.region}a, ${env.region}b, ...)`,
          zone,
        );
      }
      if (zones.indexOf(zone) !== index)
        issue(["network", "availabilityZones", index], "is listed twice: each zone gets one public and one private subnet", zone);
    });
  }
  if (network.mode === "explicit") {
    for (const field of ["subnetIds", "publicSubnetIds"] as const) {
      (network[field] ?? []).forEach((id, index) => {
        if (network[field]!.indexOf(id) !== index) issue(["network", field, index], "is listed twice", id);
      });
    }
  }
  const cidrs = network.httpSource.kind === "cidrs" ? network.httpSource.cidrs : [];
  cidrs.forEach((cidr, index) => {
    // Two identical ingress rules: AuthorizeSecurityGroupIngress answers InvalidPermission.Duplicate.
    if (cidrs.indexOf(cidr) !== index) issue(["network", "httpSource", "cidrs", index], "is listed twice (EC2 refuses a duplicate ingress rule)", cidr);
  });
}

function checkArns(env: AwsRuleEnvironment, partition: string, issue: Issue): void {
  const here = (path: Path, arn: string | undefined, service: string, what: string, need: { region?: string; account?: string; doc: string }) => {
    if (arn === undefined) return;
    const parts = parseArn(arn);
    if (!parts) return; // the field's own format rule already reports it
    const wrong: string[] = [];
    if (parts.partition !== partition) wrong.push(`partition ${parts.partition} (the region ${env.region} is in ${partition})`);
    if (parts.service !== service) wrong.push(`service ${parts.service} (must be ${service})`);
    if (need.region !== undefined && parts.region !== need.region) wrong.push(`region ${parts.region} (must be ${need.region})`);
    if (need.account !== undefined && parts.account !== need.account) wrong.push(`account ${parts.account} (must be ${need.account})`);
    if (wrong.length > 0) issue(path, `is a ${what} in the wrong place: ${wrong.join(", ")}; ${need.doc}`, arn);
  };
  const certificate = env.loadBalancer?.certificate;
  if (certificate?.kind === "existing") {
    // narrowed: an existing certificate has its ARN
    here(["loadBalancer", "certificate", "arn"], certificate.arn, "acm", "certificate", {
      region: env.region,
      account: env.accountId,
      doc: "a load balancer uses an ACM certificate of its own account and region (https://docs.aws.amazon.com/acm/latest/userguide/acm-services.html)",
    });
  }
  const secret = env.wordpress.database.passwordSecret;
  here(["wordpress", "database", "passwordSecret", "arn"], "arn" in secret ? secret.arn : undefined, "secretsmanager", "secret", {
    region: env.region,
    account: env.accountId,
    doc: "the task's execution role reads it without a cross-account resource policy or KMS grant (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html)",
  });
  const connection = env.pipeline?.source.connection;
  const connectionArn = connection && "arn" in connection ? connection.arn : undefined;
  here(
    ["pipeline", "source", "connection", "arn"],
    connectionArn,
    connectionArn?.split(":")[2] === "codeconnections" ? "codeconnections" : "codestar-connections",
    "connection",
    {
      account: env.accountId,
      doc: "the pipeline's role uses a connection of its own account (https://docs.aws.amazon.com/dtconsole/latest/userguide/welcome-connections.html)",
    },
  );
  here(["alarms", "topicArn"], env.alarms.topicArn, "sns", "topic", {
    region: env.region,
    doc: "CloudWatch alarm actions and the pipeline's EventBridge rule publish to a topic in the environment's region (docs/operations.md)",
  });
  // adopt.cluster's region and account are checked with the adoption rules (schema.ts, checkAdoption).
}
