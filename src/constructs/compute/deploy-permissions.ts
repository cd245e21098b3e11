import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, inRegion, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the compute constructs needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts):
 * the ECS cluster, capacity provider, service and task family, the launch template and the Auto Scaling group.
 */

/** The ECS cluster, capacity provider, service and task family; the launch template and Auto Scaling group. */
export function computeDeployStatements(scope: DeployScope): PolicyStatement[] {
  return [...ecsStatements(scope), ...computeStatements(scope)];
}

function ecsStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  const family = arn("ecs", `task-definition/${scope.taskFamily}:*`);
  return [
    {
      Sid: "EcsClusterServiceCapacity",
      Effect: "Allow",
      Action: [
        "ecs:CreateCluster",
        "ecs:UpdateCluster",
        "ecs:UpdateClusterSettings",
        "ecs:DeleteCluster",
        "ecs:PutClusterCapacityProviders",
        "ecs:CreateCapacityProvider",
        "ecs:UpdateCapacityProvider",
        "ecs:DeleteCapacityProvider",
        "ecs:CreateService",
        "ecs:UpdateService",
        "ecs:DeleteService",
        "ecs:TagResource",
        "ecs:UntagResource",
      ],
      Resource: [
        arn("ecs", `cluster/${scope.clusterName}`),
        arn("ecs", `service/${scope.clusterName}/${scope.serviceName}`),
        arn("ecs", `capacity-provider/${scope.capacityProviderName}`),
        family,
      ],
    },
    // RegisterTaskDefinition is scoped by family (its task-definition resource); Deregister takes no resource.
    { Sid: "EcsTaskDefinitionFamily", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: family },
    { Sid: "EcsDeregisterTaskDefinitions", Effect: "Allow", Action: "ecs:DeregisterTaskDefinition", Resource: "*", Condition: inRegion(scope) },
  ];
}

function computeStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  return [
    {
      Sid: "AutoScalingGroup",
      Effect: "Allow",
      Action: [
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteTags",
        "autoscaling:PutScalingPolicy",
        "autoscaling:DeletePolicy",
        "autoscaling:SetInstanceProtection",
        "autoscaling:StartInstanceRefresh",
        "autoscaling:CancelInstanceRefresh",
        "autoscaling:RollbackInstanceRefresh",
      ],
      Resource: arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${scope.autoScalingGroupName}`),
    },
    { Sid: "LaunchTemplateCreate", Effect: "Allow", Action: "ec2:CreateLaunchTemplate", Resource: arn("ec2", "launch-template/*"), Condition: creating },
    {
      Sid: "LaunchTemplateOfTheEnvironment",
      Effect: "Allow",
      Action: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions"],
      Resource: arn("ec2", "launch-template/*"),
      Condition: tagged,
    },
    // Auto Scaling checks that whoever creates or updates the group may launch from its template: only the
    // environment's own template, and the instance's other resources only when launched from a template.
    { Sid: "LaunchFromOwnTemplate", Effect: "Allow", Action: "ec2:RunInstances", Resource: arn("ec2", "launch-template/*"), Condition: tagged },
    {
      Sid: "LaunchResourcesViaTemplate",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: ["instance", "volume", "network-interface", "subnet", "security-group", "key-pair"]
        .map((t) => arn("ec2", `${t}/*`))
        .concat("arn:aws:ec2:*::image/*"),
      Condition: { ArnLike: { "ec2:LaunchTemplate": arn("ec2", "launch-template/*") } },
    },
  ];
}
