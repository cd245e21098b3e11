import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { DataAwsEcsTaskDefinition } from "@cdktf/provider-aws/lib/data-aws-ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { ClusterRef } from "../compute/cluster";
import type { WordpressTaskDefinition } from "./task-definition";

export interface DaemonServiceProps {
  /** The service's name (the spec's `myslp-staging-service` for staging). */
  readonly name: string;
  /** The cluster the service runs in. */
  readonly cluster: ClusterRef;
  /** The task definition whose family and revision the service runs. */
  readonly taskDefinition: WordpressTaskDefinition;
  /** The private subnets of the tasks' ENIs (awsvpc). */
  readonly subnetIds: string[];
  /** The tasks' security groups. */
  readonly securityGroupIds: string[];
  /**
   * Share of the daemon tasks ECS keeps running during a deployment (config
   * `service.deploymentMinimumHealthyPercent`): 0 on a single instance, at most oneAtATimePercent(instances)
   * on more; a value that lets no task stop is refused.
   * @default 0 (the DAEMON default of the CreateService API)
   */
  readonly deploymentMinimumHealthyPercent?: number;
  /** The fewest container instances the service runs on (config `capacity.minSize`). @default 1 */
  readonly minimumInstances?: number;
  /** Register each task with this target group (type ip); the listener must exist first. @default no load balancer */
  readonly loadBalancer?: { readonly targetGroupArn: string; readonly containerPort: number; readonly dependsOn: ITerraformDependable };
}

/** What other constructs read of a service: its name and ARN (a `DaemonService`, or one defined elsewhere). */
export interface ServiceRef {
  readonly name: string;
  readonly arn: string;
}

/**
 * How many daemon tasks ECS may stop at once during a deployment of a service running on `instances`
 * container instances with `minimumHealthyPercent`: ECS keeps ceil(instances x percent / 100) tasks RUNNING
 * (CreateService API, DeploymentConfiguration.minimumHealthyPercent: "rounded up to the nearest integer") and,
 * with DAEMON's maximumPercent of 100%, starts each new task only after the old one on that instance stopped.
 * 0 means the deployment can never stop an old task: it stalls.
 */
export function tasksStoppedAtOnce(instances: number, minimumHealthyPercent: number): number {
  return instances - Math.ceil((instances * minimumHealthyPercent) / 100);
}

/**
 * The highest minimum healthy percentage that still lets a deployment on `instances` instances stop one task,
 * so it replaces them one at a time at that size (50 for 2, 66 for 3, 75 for 4); 0 for a single instance,
 * which can only replace its one task in place.
 */
export function oneAtATimePercent(instances: number): number {
  return instances <= 1 ? 0 : Math.floor(((instances - 1) * 100) / instances);
}

/**
 * The service that runs one copy of the task on every container instance (DAEMON scheduling).
 *
 * It always runs the newest revision of the task family: Terraform's own, or a newer one the pipeline's ECS
 * deploy action registered with a new image. So a pipeline deploy leaves `cdktf plan` clean (no roll-back),
 * and a Terraform change to the task definition (a new revision) still rolls out.
 */
export class DaemonService extends Construct implements ServiceRef {
  readonly name: string;
  readonly arn: string;
  readonly resource: EcsService;

  constructor(scope: Construct, id: string, props: DaemonServiceProps) {
    super(scope, id);
    const task = props.taskDefinition;
    const percent = props.deploymentMinimumHealthyPercent ?? 0;
    const instances = props.minimumInstances ?? 1;
    if (percent > 0 && tasksStoppedAtOnce(instances, percent) === 0) {
      throw new Error(
        `${id}.deploymentMinimumHealthyPercent: ${percent} stalls deployments on ${instances} instance${instances > 1 ? "s" : ""} (capacity.minSize): ECS must keep ${Math.ceil((instances * percent) / 100)} of ${instances} daemon tasks running and cannot start a second task on an instance (DAEMON maximumPercent is 100%), so no old task ever stops; allowed: ${instances === 1 ? "0 (a single instance replaces its task in place)" : `0-${oneAtATimePercent(instances)}`}`,
      );
    }

    // The family's latest ACTIVE revision, read after Terraform's own revision exists.
    const latest = new DataAwsEcsTaskDefinition(this, "latest_revision", {
      taskDefinition: task.family,
      dependsOn: [task.resource],
    });
    const revision = Fn.max([Token.asNumber(task.revision), Token.asNumber(latest.revision)]);

    const service = new EcsService(this, "service", {
      name: props.name,
      cluster: props.cluster.arn,
      taskDefinition: `${task.family}:${Token.asString(revision)}`,
      schedulingStrategy: "DAEMON",
      // ECS rejects a capacity provider strategy on a DAEMON service ("Specifying a capacity provider strategy
      // is not supported when you create a service using the DAEMON scheduling strategy"), and it applies the
      // cluster's default strategy unless a launch type is given; CreateService: "If a launchType is specified,
      // the capacityProviderStrategy parameter must be omitted" (aws/containers-roadmap#692,
      // hashicorp/terraform-provider-aws#16772).
      launchType: "EC2",
      // DAEMON deployments replace the task on each instance in place: maximum must stay 100% (CreateService
      // API). The minimum decides how many instances lose their task at once: ECS keeps
      // ceil(instances x minimum / 100) running, so 0% on one instance (the only value that does not stall)
      // and 50% on two (one at a time). No deployment circuit breaker or deployment alarms: AWS documents them
      // for rolling updates without saying they apply to DAEMON services (docs/operations.md).
      deploymentMaximumPercent: 100,
      deploymentMinimumHealthyPercent: percent,
      networkConfiguration: {
        subnets: props.subnetIds,
        securityGroups: props.securityGroupIds,
        // Tasks on EC2 never get a public IP (awsvpc on EC2 does not support it).
        assignPublicIp: false,
      },
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      ...(props.loadBalancer
        ? {
            loadBalancer: [
              { targetGroupArn: props.loadBalancer.targetGroupArn, containerName: task.containerName, containerPort: props.loadBalancer.containerPort },
            ],
            // WordPress needs a moment (database connection, first PHP compile) before its first health check.
            healthCheckGracePeriodSeconds: 60,
            dependsOn: [props.loadBalancer.dependsOn],
          }
        : {}),
    });
    this.resource = service;
    this.name = service.name;
    // The service id is its ARN (both provider 5.x and 6.x; the separate `arn` attribute is 6.x only).
    this.arn = service.id;
  }
}
