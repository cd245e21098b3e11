import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, ENVIRONMENT_TAG, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the shared constructs needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts):
 * the environment's KMS key and alias, its log groups and its buckets.
 */

/** The KMS key and alias (PlatformKey), the log groups, the buckets (HardenedBucket). */
export function sharedDeployStatements(scope: DeployScope): PolicyStatement[] {
  return [...kmsStatements(scope), ...storageStatements(scope)];
}

function kmsStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  return [
    { Sid: "KmsCreateKey", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: creating },
    // Tags given to CreateKey are authorized as kms:TagResource on "all KMS keys in the account and Region"
    // (KMS developer guide, "Controlling access to tags"): allowed only on a key without an Environment tag,
    // which at creation is the new key; an existing key of another environment already carries one.
    {
      Sid: "KmsTagOnCreate",
      Effect: "Allow",
      Action: "kms:TagResource",
      Resource: arn("kms", "key/*"),
      Condition: { ...creating, Null: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: "true" } },
    },
    {
      Sid: "KmsKeysOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:DisableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
      ],
      Resource: arn("kms", "key/*"),
      Condition: tagged,
    },
    { Sid: "KmsAlias", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: arn("kms", `alias/${scope.namePrefix}`) },
  ];
}

function storageStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  const statements: PolicyStatement[] = [
    {
      Sid: "LogGroups",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
      ],
      Resource: scope.logGroupNames.flatMap((name) => [arn("logs", `log-group:${name}`), arn("logs", `log-group:${name}:*`)]),
    },
    {
      Sid: "Buckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketLogging",
        "s3:PutBucketTagging",
      ],
      Resource: scope.bucketNames.map((b) => `arn:aws:s3:::${b}`),
    },
  ];
  return statements;
}
