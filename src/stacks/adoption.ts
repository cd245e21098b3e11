import { TerraformResource } from "cdktf";
import type { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import type { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import type { EcsCapacityProvider } from "@cdktf/provider-aws/lib/ecs-capacity-provider";
import type { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import type { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import type { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import type { EnvironmentConfig } from "../config";

/** The resources of a platform stack that can take over a live, console-built resource. */
export interface AdoptionTargets {
  readonly cluster: EcsCluster;
  readonly clusterCapacityProviders: EcsClusterCapacityProviders;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly capacityProvider: EcsCapacityProvider;
  readonly service: EcsService;
  /** Absent when another environment's stack manages the repository. */
  readonly imageRepository?: EcrRepository;
  readonly executionRole: IamRole;
}

/** One Terraform import: the resource to import into and the id its provider documents. */
export interface AdoptedResource {
  readonly resource: TerraformResource;
  readonly importId: string;
}

/**
 * The import ids, in the format the AWS provider (6.x) documents in each resource's "Import" section
 * (https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/<type>#import):
 * - aws_ecs_cluster: the cluster name; aws_ecs_cluster_capacity_providers: the cluster name
 * - aws_autoscaling_group: the group name; aws_launch_template: the template id (lt-...)
 * - aws_ecs_capacity_provider: the capacity provider ARN (6.x; it was the name before)
 * - aws_ecs_service: "<cluster name>/<service name>"
 * - aws_ecr_repository: the repository name; aws_iam_role: the role name
 */
export function adoptedResources(targets: AdoptionTargets, env: EnvironmentConfig): AdoptedResource[] {
  const live = env.adopt ?? {};
  const adopted: AdoptedResource[] = [];
  if (live.cluster) {
    const clusterName = live.cluster.startsWith("arn:") ? live.cluster.slice(live.cluster.indexOf("cluster/") + "cluster/".length) : live.cluster;
    adopted.push({ resource: targets.cluster, importId: clusterName });
    // The console cluster already has a capacity-providers association; take it over too.
    adopted.push({ resource: targets.clusterCapacityProviders, importId: clusterName });
  }
  if (live.autoScalingGroup) adopted.push({ resource: targets.autoScalingGroup, importId: live.autoScalingGroup });
  if (live.launchTemplate) adopted.push({ resource: targets.launchTemplate, importId: live.launchTemplate });
  if (live.capacityProvider) {
    adopted.push({
      resource: targets.capacityProvider,
      importId: `arn:aws:ecs:${env.region}:${env.accountId}:capacity-provider/${live.capacityProvider}`,
    });
  }
  if (live.service) adopted.push({ resource: targets.service, importId: live.service });
  if (live.imageRepository && targets.imageRepository) adopted.push({ resource: targets.imageRepository, importId: live.imageRepository });
  if (live.executionRole) adopted.push({ resource: targets.executionRole, importId: live.executionRole });
  return adopted;
}

/**
 * Emits an import block for every adopted resource, and protects each from destruction: a plan that would
 * replace or destroy a live console-built resource stops with an error instead of taking the site down.
 */
export function adoptLiveResources(targets: AdoptionTargets, env: EnvironmentConfig): AdoptedResource[] {
  const adopted = adoptedResources(targets, env);
  for (const { resource, importId } of adopted) {
    resource.importFrom(importId);
    resource.addOverride("lifecycle.prevent_destroy", true);
  }
  return adopted;
}
