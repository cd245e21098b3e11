import { Construct } from "constructs";
import { LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HardenedBucket } from "../constructs/hardened-bucket";

export interface StateBootstrapStackProps {
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  /** The state buckets of the environments in this account and region (duplicates are created once). */
  readonly bucketNames: readonly string[];
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
  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { Project: props.project, Purpose: "terraform-state", ManagedBy: "cdktf" } }],
    });
    for (const bucketName of new Set(props.bucketNames)) {
      new HardenedBucket(this, `state_${bucketName}`, {
        bucketName,
        // Old state versions are the undo history; keep them for 90 days.
        noncurrentVersionExpiryDays: 90,
      });
    }
  }
}
