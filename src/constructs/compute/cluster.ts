import { Construct } from "constructs";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";

export interface ClusterProps {
  /** The cluster's name (the spec's `myslp-staging-cluster` for staging). */
  readonly name: string;
  /** CloudWatch Container Insights: "enabled", "enhanced" or "disabled". */
  readonly containerInsights: "enabled" | "enhanced" | "disabled";
}

/** What other constructs read of a cluster: its name and ARN (a `Cluster`, or one defined elsewhere). */
export interface ClusterRef {
  readonly name: string;
  readonly arn: string;
}

/** The ECS cluster (`Cluster`, not the provider's `EcsCluster` resource class it wraps). Its capacity comes from ClusterCapacity. */
export class Cluster extends Construct implements ClusterRef {
  readonly name: string;
  readonly arn: string;
  readonly resource: EcsClusterResource;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const cluster = new EcsClusterResource(this, "cluster", {
      name: props.name,
      setting: [{ name: "containerInsights", value: props.containerInsights }],
    });
    this.resource = cluster;
    this.name = cluster.name;
    this.arn = cluster.arn;
  }
}
