import { Construct } from "constructs";
import { Fn, ITerraformDependable, Token } from "cdktf";
import { DataAwsEcsTaskDefinition } from "@cdktf/provider-aws/lib/data-aws-ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import type { WordpressTaskDefinition } from "./task-definition";

export interface DaemonServiceProps {
  /** The service's name (the spec's `myslp-staging-service` for staging). */
  readonly name: string;
  /** The cluster the service runs in. */
  readonly clusterArn: string;
  /** The task definition whose family and revision the service runs. */
  readonly taskDefinition: WordpressTaskDefinition;
  /** The private subnets of the tasks' ENIs (awsvpc). */
  readonly subnetIds: string[];
  /** The tasks' security groups. */
  readonly securityGroupIds: string[];
  /**
   * Share of the daemon tasks ECS keeps running during a deployment (config validates it against the
   * instance count: 0 on a single instance, one instance at a time on 2+).
   * @default 0 (the DAEMON default of the CreateService API)
   */
  readonly deploymentMinimumHealthyPercent?: number;
  /** Register each task with this target group (type ip); the listener must exist first. @default no load balancer */
  readonly loadBalancer?: { readonly targetGroupArn: string; readonly containerPort: number; readonly dependsOn: ITerraformDependable };
}

/**
 * The service that runs one copy of the task on every container instance (DAEMON scheduling).
 *
 * It always runs the newest revision of the task family: Terraform's own, or a newer one the pipeline's ECS
 * deploy action registered with a new image. So a pipeline deploy leaves `cdktf plan` clean (no roll-back),
 * and a Terraform change to the task definition (a new revision) still rolls out.
 */
export class DaemonService extends Construct {
  readonly name: string;
  readonly arn: string;
  readonly resource: EcsService;

  constructor(scope: Construct, id: string, props: DaemonServiceProps) {
    super(scope, id);
    const task = props.taskDefinition;

    // The family's latest ACTIVE revision, read after Terraform's own revision exists.
    const latest = new DataAwsEcsTaskDefinition(this, "latest_revision", {
      taskDefinition: task.family,
      dependsOn: [task.resource],
    });
    const revision = Fn.max([Token.asNumber(task.revision), Token.asNumber(latest.revision)]);

    const service = new EcsService(this, "service", {
      name: props.name,
      cluster: props.clusterArn,
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
      deploymentMinimumHealthyPercent: props.deploymentMinimumHealthyPercent ?? 0,
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
