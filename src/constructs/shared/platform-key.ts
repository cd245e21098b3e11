import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyDocument } from "./iam-policy";

export interface PlatformKeyProps {
  /** The key's alias, without `alias/`. */
  readonly alias: string;
  /** The account whose IAM policies decide who uses the key, and whose log groups may. */
  readonly accountId: string;
  /** The region of the log groups that may use the key. */
  readonly region: string;
  /** What the key encrypts, shown in KMS. */
  readonly description: string;
}

/**
 * An environment's customer-managed KMS key for its log groups, the database secret, pipeline artifacts and
 * the alarm topic. Rotates yearly. The key policy lets the account's IAM policies decide who uses it (the
 * default key policy, written out), lets CloudWatch Logs use it for this account's log groups only, and lets
 * CloudWatch alarms and EventBridge publish to the topic it encrypts.
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
        // A publisher to an SSE-KMS topic needs these two actions on the topic's key; AWS services publish
        // with their service principal ("Enable compatibility between event sources from AWS services and
        // encrypted topics", https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). Which alarms
        // and rules may publish is decided by the topic policy (observability/alarm-topic.ts), which carries
        // the aws:SourceAccount / aws:SourceArn guard; EventBridge sends neither key to KMS.
        {
          Sid: "AlarmsAndEventsPublishToEncryptedTopic",
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
        },
      ]),
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.arn = key.arn;
  }
}
