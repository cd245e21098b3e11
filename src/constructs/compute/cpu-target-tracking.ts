import { Construct } from "constructs";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";

export interface CpuTargetTrackingProps {
  /** The Auto Scaling group whose size the policy sets. */
  readonly autoScalingGroupName: string;
  /** Average CPU utilization of the group's instances to hold, percent. */
  readonly targetPercent: number;
  /** Seconds before a new instance's CPU counts towards the average (it is still starting its task). */
  readonly instanceWarmupSeconds: number;
  /** The policy's name. */
  readonly name: string;
}

/**
 * Scales a daemon-only cluster's Auto Scaling group on its own CPU: a target-tracking policy on
 * ASGAverageCPUUtilization. ECS capacity-provider scaling cannot do this: it ignores daemon tasks and would
 * hold the group at its minimum (ECS developer guide, "Amazon ECS cluster auto scaling"). Each new instance
 * gets its own daemon task, so adding instances adds WordPress capacity.
 * Reference: https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
 */
export class CpuTargetTracking extends Construct {
  readonly policy: AutoscalingPolicy;

  constructor(scope: Construct, id: string, props: CpuTargetTrackingProps) {
    super(scope, id);
    this.policy = new AutoscalingPolicy(this, "policy", {
      name: props.name,
      autoscalingGroupName: props.autoScalingGroupName,
      policyType: "TargetTrackingScaling",
      estimatedInstanceWarmup: props.instanceWarmupSeconds,
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: props.targetPercent,
      },
    });
  }
}
