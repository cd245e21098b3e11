import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { HardenedBucket } from "./hardened-bucket";
import { policyDocument } from "./iam-policy";

export interface ArtifactStoreProps {
  readonly bucketName: string;
  readonly accountId: string;
  /** Alias for the KMS key, without the `alias/` prefix. */
  readonly keyAlias: string;
  /** Days after which artifacts expire. */
  readonly expiryDays: number;
}

/** The pipeline's artifact bucket, encrypted with a customer-managed KMS key that rotates yearly. */
export class ArtifactStore extends Construct {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps) {
    super(scope, id);
    const key = new KmsKey(this, "key", {
      description: `Pipeline artifacts in ${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // The default key policy, written out: the account's IAM policies decide who may use the key
      // (the pipeline and build roles are granted it on this key's ARN only).
      policy: policyDocument([
        {
          Sid: "AccountIamPoliciesDecide",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ]),
    });
    new KmsAlias(this, "key_alias", { name: `alias/${props.keyAlias}`, targetKeyId: key.keyId });

    const bucket = new HardenedBucket(this, "bucket", {
      bucketName: props.bucketName,
      kmsKeyArn: key.arn,
      currentVersionExpiryDays: props.expiryDays,
      noncurrentVersionExpiryDays: 7,
    });
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
  }
}
