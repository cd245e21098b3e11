import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope } from "../shared/deploy-scope";

/*
 * What deploying the workload constructs needs beyond ECS (src/constructs/compute/deploy-permissions.ts): the
 * database secret's metadata (the CI deploy role, src/constructs/ci/deploy-permissions.ts).
 */

/** The database secret, when this environment creates it. */
export function databaseSecretDeployStatements(scope: DeployScope): PolicyStatement[] {
  if (!scope.createsSecret) return [];
  // The secret's metadata only: never GetSecretValue or PutSecretValue (the value is an operator's).
  return [
    {
      Sid: "DatabaseSecretMetadata",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:TagResource",
        "secretsmanager:UntagResource",
      ],
      Resource: scope.secretArn,
    },
  ];
}
