import { CI_IAM_PATH } from "../../config/naming";
import type { PolicyStatement } from "../shared/iam-policy";
import { DATABASE_ACCESS_TAG, ENVIRONMENT_TAG } from "../shared/deploy-scope";

/*
 * Explicit denies on every CI role, whatever its allows say (an explicit deny wins in IAM's evaluation):
 * the privilege-escalation paths a future allow could open by mistake, and the tags that decide which
 * environment owns a resource. Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** Every action that writes tags on a resource type the stacks create. */
export const TAG_WRITE_ACTIONS: readonly string[] = [
  "acm:AddTagsToCertificate",
  "acm:RemoveTagsFromCertificate",
  "autoscaling:CreateOrUpdateTags",
  "autoscaling:DeleteTags",
  "cloudwatch:TagResource",
  "cloudwatch:UntagResource",
  "codeconnections:TagResource",
  "codeconnections:UntagResource",
  "codepipeline:TagResource",
  "codepipeline:UntagResource",
  "codestar-connections:TagResource",
  "codestar-connections:UntagResource",
  "ec2:CreateTags",
  "ec2:DeleteTags",
  "ecr:TagResource",
  "ecr:UntagResource",
  "ecs:TagResource",
  "ecs:UntagResource",
  "elasticloadbalancing:AddTags",
  "elasticloadbalancing:RemoveTags",
  "events:TagResource",
  "events:UntagResource",
  "iam:TagInstanceProfile",
  "iam:TagRole",
  "iam:UntagInstanceProfile",
  "iam:UntagRole",
  "kms:TagResource",
  "kms:UntagResource",
  "logs:TagLogGroup",
  "logs:TagResource",
  "logs:UntagLogGroup",
  "logs:UntagResource",
  "secretsmanager:TagResource",
  "secretsmanager:UntagResource",
  "sns:TagResource",
  "sns:UntagResource",
  "sqs:TagQueue",
  "sqs:UntagQueue",
  "wafv2:TagResource",
  "wafv2:UntagResource",
];

export interface GuardrailProps {
  /** The account whose CI roles and policies the denies name. */
  readonly accountId: string;
  /**
   * The environment whose Environment tag the role may write (as the provider's default tags do on every
   * create). @default none: the role may write no Environment tag at all (the plan role)
   */
  readonly environment?: string;
}

export function guardrailStatements(props: GuardrailProps): PolicyStatement[] {
  const iam = (resource: string) => `arn:aws:iam::${props.accountId}:${resource}`;
  return [
    {
      Sid: "NoUsersKeysOrGroups",
      Effect: "Deny",
      Action: [
        "iam:CreateUser",
        "iam:CreateAccessKey",
        "iam:UpdateAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:CreateServiceSpecificCredential",
        "iam:UploadSSHPublicKey",
        "iam:AttachUserPolicy",
        "iam:PutUserPolicy",
        "iam:AddUserToGroup",
        "iam:CreateGroup",
        "iam:AttachGroupPolicy",
        "iam:PutGroupPolicy",
      ],
      Resource: "*",
    },
    // Customer-managed policies: the stacks create none, and a new default version of an attached policy (or
    // of a boundary) would widen every role that uses it.
    {
      Sid: "NoManagedPolicyWrites",
      Effect: "Deny",
      Action: ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion"],
      Resource: "*",
    },
    { Sid: "NoBoundaryRemoval", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    // The CI identities (roles and boundaries under /ci/, the OIDC providers) are an administrator's.
    {
      Sid: "NoChangesToCiIdentities",
      Effect: "Deny",
      NotAction: ["iam:Get*", "iam:List*"],
      Resource: [iam(`role${CI_IAM_PATH}*`), iam(`policy${CI_IAM_PATH}*`), iam("oidc-provider/*"), iam(`instance-profile${CI_IAM_PATH}*`)],
    },
    { Sid: "NoRoleChaining", Effect: "Deny", Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"], Resource: "*" },
    // Which environment owns a resource is its Environment tag: it may be set (to this role's environment)
    // when the resource is created, never changed or removed afterwards.
    {
      Sid: "NoEnvironmentTagChanges",
      Effect: "Deny",
      Action: [...TAG_WRITE_ACTIONS],
      Resource: "*",
      Condition: props.environment
        ? { "ForAnyValue:StringEquals": { "aws:TagKeys": [ENVIRONMENT_TAG] }, StringNotEquals: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: props.environment } }
        : { "ForAnyValue:StringEquals": { "aws:TagKeys": [ENVIRONMENT_TAG] } },
    },
    // The database's security group admits an environment only when an administrator tags it so.
    {
      Sid: "NoDatabaseAccessTag",
      Effect: "Deny",
      Action: [...TAG_WRITE_ACTIONS],
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [DATABASE_ACCESS_TAG] } },
    },
  ];
}
