import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocument } from "./iam-policy";

export interface PlatformKeyProps {
  readonly alias: string;
  readonly accountId: string;
  readonly region: string;
  readonly description: string;
}

/**
 * An environment's customer-managed KMS key for its log groups and the database secret. Rotates yearly.
 * The key policy lets the account's IAM policies decide who uses it (the default key policy, written out),
 * and lets CloudWatch Logs use it for this account's log groups only.
 * Reference: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class PlatformKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: PlatformKeyProps) {
    super(scope, id);
    const key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: "AccountIamPoliciesDecide",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsForThisAccount",
          Effect: "Allow",
          Principal: { Service: `logs.${props.region}.amazonaws.com` },
          Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` },
          },
        },
      ]),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.arn = key.arn;
  }
}
