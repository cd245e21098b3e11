import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, PASSED_TO, scopeHelpers } from "../shared/deploy-scope";
import { computeDeployStatements } from "../compute/deploy-permissions";
import { imageRepositoryDeployStatements, pipelineDeployStatements } from "../delivery/deploy-permissions";
import { entryDeployStatements } from "../entry/deploy-permissions";
import { networkDeployStatements } from "../network/deploy-permissions";
import { observabilityDeployStatements } from "../observability/deploy-permissions";
import { sharedDeployStatements } from "../shared/deploy-permissions";
import { databaseSecretDeployStatements } from "../workload/deploy-permissions";

/*
 * What the deploy role of one environment may change, assembled from what each construct folder says deploying
 * it needs (<concern>/deploy-permissions.ts; how each resource is scoped: ../shared/deploy-scope.ts), plus the
 * IAM roles every concern creates, bound by the environment's permissions boundary. Reads come from
 * readStatements (./read-permissions.ts); the guardrails (./guardrails.ts) deny what no allow may ever add.
 */

/** Service-linked roles the first deploy in an account may need (ECS, Auto Scaling, Elastic Load Balancing). */
const SERVICE_LINKED = ["ecs.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"];

export function deployStatements(scope: DeployScope): PolicyStatement[] {
  return [
    ...computeDeployStatements(scope),
    ...networkDeployStatements(scope),
    ...iamStatements(scope),
    ...sharedDeployStatements(scope),
    ...imageRepositoryDeployStatements(scope),
    ...databaseSecretDeployStatements(scope),
    ...observabilityDeployStatements(scope),
    ...pipelineDeployStatements(scope),
    ...entryDeployStatements(scope),
  ];
}

function iamStatements(scope: DeployScope): PolicyStatement[] {
  const { iam } = scopeHelpers(scope);
  const roles = environmentRoleArns(scope);
  const bounded = { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } };
  return [
    // Writes that could widen a role: only with the environment's boundary on it (the condition key is the
    // boundary the role has, or gets, in the request).
    {
      Sid: "IamRoleWritesWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: bounded,
    },
    {
      Sid: "IamAttachOnlyTheStacksManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: roles,
      Condition: { ...bounded, ArnEquals: { "iam:PolicyARN": [...scope.attachablePolicyArns] } },
    },
    // Changes that cannot widen what a bounded role may do. Trust changes (UpdateAssumeRolePolicy) have no
    // boundary condition key: a role of the environment stays limited by its boundary whoever assumes it.
    {
      Sid: "IamRolesOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [...roles, iam(`instance-profile/${scope.namePrefix}-*`)],
    },
    {
      Sid: "IamPassRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": PASSED_TO } },
    },
    {
      Sid: "IamServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: iam("role/aws-service-role/*"),
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } },
    },
  ];
}

/** The roles an environment's stack creates: every name under its prefix, plus the adopted ones. */
export function environmentRoleArns(scope: DeployScope): string[] {
  const iam = (name: string) => `arn:aws:iam::${scope.accountId}:role/${name}`;
  return [iam(`${scope.namePrefix}-*`), ...scope.roleNames.map(iam)];
}

/**
 * Terraform's S3 backend with S3-native locking: list the bucket, read (and with `write`, write) each state
 * object, and with `write` create and delete its lock file `<key>.tflock` (use_lockfile). A reader plans with
 * `-lock=false` and may neither take nor break a lock. The state bucket is encrypted with the state key
 * (src/stacks/state-bootstrap-stack.ts): S3 uses it on the caller's behalf, for these objects only
 * (kms:ViaService and the object ARN S3 puts in the encryption context).
 * Reference: https://developer.hashicorp.com/terraform/language/backend/s3 (permissions required);
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html (encryption context).
 */
export function stateAccessStatements(
  states: readonly { bucket: string; key: string }[],
  write: boolean,
  where: { accountId: string; region: string },
): PolicyStatement[] {
  const buckets = [...new Set(states.map((s) => s.bucket))];
  const stateObjects = states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}`);
  const lockFiles = states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}.tflock`);
  return [
    {
      Sid: "StateBucketList",
      Effect: "Allow",
      Action: "s3:ListBucket",
      // No s3:prefix condition: init also lists the workspace prefix (env:/); listing shows key names only.
      Resource: buckets.map((b) => `arn:aws:s3:::${b}`),
    },
    { Sid: write ? "StateReadWrite" : "StateRead", Effect: "Allow", Action: write ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject", Resource: stateObjects },
    ...(write ? [{ Sid: "StateLockFiles", Effect: "Allow" as const, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: lockFiles }] : []),
    {
      Sid: "StateKeyThroughS3",
      Effect: "Allow",
      Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
      Resource: `arn:aws:kms:${where.region}:${where.accountId}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${where.region}.amazonaws.com` },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": write ? [...stateObjects, ...lockFiles] : stateObjects },
      },
    },
  ];
}
