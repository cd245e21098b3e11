import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocument } from "../constructs/shared/iam-policy";
import { AccessLogBucket, HardenedBucket } from "../constructs/shared/hardened-bucket";
import { CI_IAM_PATH } from "../config/naming";
import { terraformLiterals } from "./terraform-literal";
import { MINIMUM_TERRAFORM_VERSION } from "./platform-stack";

export interface StateBootstrapStackProps {
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  /** The state buckets of the environments in this account and region (duplicates are created once). */
  readonly bucketNames: readonly string[];
  /** The bucket receiving the state buckets' S3 access logs. */
  readonly accessLogBucketName: string;
  /**
   * Principal ARN patterns (ArnLike) of the administrators who run Terraform outside CI and may use the
   * state key; the CI roles (path /ci/) may use it too. @default none: only CI roles
   */
  readonly stateKeyAdministrators?: readonly string[];
}

/** The state key's alias. */
export function stateKeyAlias(project: string): string {
  return `alias/${project}-terraform-state`;
}

/** What reading and writing state needs of the key (S3 calls KMS with the caller's identity). */
const STATE_KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"];

/** The bootstrap stack's id for one account and region. */
export function stateBootstrapStackName(project: string, accountId: string, region: string): string {
  return `${project}-state-bootstrap-${accountId}-${region}`;
}

/**
 * Creates the S3 buckets that hold the environments' Terraform state, in one account and region. It keeps
 * its own state locally (it cannot live in the bucket it creates): keep terraform.<stack>.tfstate safe, or
 * import the bucket again should it be lost.
 */
export class StateBootstrapStack extends TerraformStack {
  constructor(scope: Construct, id: string, bootstrapProps: StateBootstrapStackProps) {
    super(scope, id);
    // User strings become Terraform literals here, once (src/stacks/terraform-literal.ts).
    const props = terraformLiterals(bootstrapProps);
    this.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}`);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { Project: props.project, Purpose: "terraform-state", ManagedBy: "cdktf" } }],
    });
    const accessLogs = new AccessLogBucket(this, "access_logs", {
      bucketName: props.accessLogBucketName,
      accountId: props.accountId,
      region: props.region,
      retentionDays: 365,
    });
    const stateKey = new StateKey(this, "state_key", props).arn;
    for (const bucketName of new Set(props.bucketNames)) {
      new HardenedBucket(this, `state_${bucketName}`, {
        bucketName,
        // SSE-KMS with the state key, without S3 Bucket Keys: the encryption context is then each object's ARN,
        // so a deploy role's KMS permission covers its own environment's state only.
        encryption: { kind: "kms", keyArn: stateKey, bucketKey: false },
        accessLogs: { target: accessLogs, prefix: `${bucketName}/` },
        // Old state versions are the undo history; keep them for 90 days.
        noncurrentVersionExpiryDays: 90,
        acceptedFindings: {
          CKV_AWS_144: "State is versioned with 90 days of history; a second-region replica adds a bucket to bootstrap with no recovery need.",
          CKV2_AWS_62: "Terraform is the only reader and writer of state; no consumer for object events exists.",
        },
      });
    }
  }
}

/**
 * The customer-managed key of the state buckets. Its policy names who may use it: the CI roles (path /ci/)
 * and the configured administrators; the account (IAM) administers it but cannot use it otherwise; and no CI
 * role may manage it, whatever its IAM policies say (a key without an Environment tag is what a deploy role's
 * create-time tagging could otherwise claim).
 * Reference: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 */
export class StateKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    const root = `arn:aws:iam::${props.accountId}:root`;
    const ciRoles = `arn:aws:iam::${props.accountId}:role${CI_IAM_PATH}*`;
    const key = new KmsKey(this, "key", {
      description: `${props.project}: Terraform state in ${props.region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        { Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: root }, NotAction: STATE_KEY_USE, Resource: "*" },
        {
          Sid: "NamedPrincipalsUseTheKey",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: STATE_KEY_USE,
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": [ciRoles, ...(props.stateKeyAdministrators ?? [])] } },
        },
        {
          Sid: "CiRolesNeverManageTheKey",
          Effect: "Deny",
          Principal: { AWS: "*" },
          NotAction: STATE_KEY_USE,
          Resource: "*",
          Condition: { ArnLike: { "aws:PrincipalArn": ciRoles } },
        },
      ]),
    });
    new KmsAlias(this, "alias", { name: stateKeyAlias(props.project), targetKeyId: key.keyId });
    this.arn = key.arn;
  }
}
