import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the observability constructs needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts):
 * alarms, the dashboard and the alarm topic, all named under the environment's prefix.
 */

/** Alarms, dashboard and alarm topic. */
export function observabilityDeployStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  return [
    {
      Sid: "ObservabilityNamedByTheEnvironment",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "cloudwatch:PutDashboard",
        "cloudwatch:DeleteDashboards",
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: [
        arn("cloudwatch", `alarm:${scope.namePrefix}-*`),
        `arn:aws:cloudwatch::${scope.accountId}:dashboard/${scope.namePrefix}`,
        arn("sns", `${scope.namePrefix}-*`),
      ],
    },
  ];
}
