import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AccessLogBucket, HardenedBucket } from "../constructs/shared/hardened-bucket";
import { terraformLiterals } from "../config/terraform-literal";
import { MINIMUM_TERRAFORM_VERSION } from "./platform-stack";

export interface StateBootstrapStackProps {
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  /** The state buckets of the environments in this account and region (duplicates are created once). */
  readonly bucketNames: readonly string[];
  /** The bucket receiving the state buckets' S3 access logs. */
  readonly accessLogBucketName: string;
}

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
    // User strings become Terraform literals here, once (src/config/terraform-literal.ts).
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
    for (const bucketName of new Set(props.bucketNames)) {
      new HardenedBucket(this, `state_${bucketName}`, {
        bucketName,
        // SSE-KMS with the AWS-managed aws/s3 key: no key policy to keep in step with who runs Terraform.
        encryption: { kind: "kms" },
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
