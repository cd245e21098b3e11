import type { PolicyStatement } from "../shared/iam-policy";

/*
 * What every CI role may read: the configuration Terraform refreshes and the data sources it looks up, for
 * every resource type the stacks synthesize, and no data. Written out instead of the AWS-managed
 * ReadOnlyAccess, which also grants s3:GetObject on every bucket, ssm:GetParameter* on every parameter
 * (SecureStrings under the default key decrypt for anyone allowed to get them), log events and more.
 * Not here on purpose: s3:GetObject (state objects come from stateAccessStatements), secretsmanager:GetSecretValue,
 * ssm:GetParameter* outside AWS's public parameters, logs:GetLogEvents / FilterLogEvents / StartQuery,
 * ecr:BatchGetImage / GetDownloadUrlForLayer (image contents), kms:Decrypt (outside state, via S3).
 * The list is checked against every read the provider made in the integration tier
 * (__tests__/fixtures/provider-calls.json) by an IAM policy evaluator (__tests__/stacks/ci-permissions.test.ts).
 */
export const READ_ACTIONS: readonly string[] = [
  "acm:DescribeCertificate",
  "acm:GetCertificate",
  "acm:ListTagsForCertificate",
  "autoscaling:Describe*",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListTagsForResource",
  "codebuild:BatchGetProjects",
  "codeconnections:GetConnection",
  "codeconnections:ListTagsForResource",
  "codepipeline:GetPipeline",
  "codepipeline:ListTagsForResource",
  "codestar-connections:GetConnection",
  "codestar-connections:ListTagsForResource",
  "ec2:Describe*",
  "ec2:GetLaunchTemplateData",
  "ecr:DescribeRepositories",
  "ecr:DescribeImages",
  "ecr:GetLifecyclePolicy",
  "ecr:GetRepositoryPolicy",
  "ecr:ListTagsForResource",
  "ecs:Describe*",
  "ecs:List*",
  "elasticloadbalancing:Describe*",
  "events:DescribeRule",
  "events:ListTagsForResource",
  "events:ListTargetsByRule",
  "iam:GetInstanceProfile",
  "iam:GetOpenIDConnectProvider",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:ListOpenIDConnectProviders",
  "iam:ListPolicyVersions",
  "iam:ListRolePolicies",
  "iam:ListRoleTags",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "rds:DescribeDBClusters",
  "rds:DescribeDBSubnetGroups",
  "route53:GetChange",
  "route53:GetHostedZone",
  "route53:ListResourceRecordSets",
  "route53:ListTagsForResource",
  "s3:GetAccelerateConfiguration",
  "s3:GetBucketAcl",
  "s3:GetBucketCORS",
  "s3:GetBucketLocation",
  "s3:GetBucketLogging",
  "s3:GetBucketObjectLockConfiguration",
  "s3:GetBucketOwnershipControls",
  "s3:GetBucketPolicy",
  "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketRequestPayment",
  "s3:GetBucketTagging",
  "s3:GetBucketVersioning",
  "s3:GetBucketWebsite",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListAllMyBuckets",
  // HeadBucket, which every bucket refresh starts with, is authorized as s3:ListBucket: object names, not contents.
  "s3:ListBucket",
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:ListQueueTags",
  "sts:GetCallerIdentity",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:ListTagsForResource",
];

/** AWS's public parameters (the ECS-optimized AMI ids): no account in the ARN. */
export const PUBLIC_PARAMETERS = "arn:aws:ssm:*::parameter/aws/service/*";

export function readStatements(): PolicyStatement[] {
  return [
    { Sid: "ReadConfiguration", Effect: "Allow", Action: [...READ_ACTIONS], Resource: "*" },
    { Sid: "ReadPublicParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: PUBLIC_PARAMETERS },
  ];
}
