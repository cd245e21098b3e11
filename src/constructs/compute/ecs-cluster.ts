import { Construct } from "constructs";
import { EcsCluster as EcsClusterResource } from "@cdktf/provider-aws/lib/ecs-cluster";

export interface EcsClusterProps {
  readonly name: string;
  /** CloudWatch Container Insights: "enabled", "enhanced" or "disabled". */
  readonly containerInsights: "enabled" | "enhanced" | "disabled";
}

/** The ECS cluster. Its capacity comes from ClusterCapacity. */
export class EcsCluster extends Construct {
  readonly name: string;
  readonly arn: string;
  readonly resource: EcsClusterResource;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
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
