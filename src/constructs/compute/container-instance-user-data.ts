/**
 * The user data of a container instance: the ECS agent reads /etc/ecs/ecs.config at start to learn its
 * cluster, and the other settings make the instance safer for awsvpc tasks.
 * Reference: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html
 */
export interface ContainerInstanceSettings {
  readonly clusterName: string;
  /** MiB the agent keeps back from tasks for the OS and itself. */
  readonly reservedMemoryMiB: number;
}

export function ecsAgentConfig(settings: ContainerInstanceSettings): Record<string, string> {
  return {
    ECS_CLUSTER: settings.clusterName,
    // awsvpc tasks must not reach the instance metadata service (and with it the instance role's credentials).
    ECS_AWSVPC_BLOCK_IMDS: "true",
    // No task on these instances may run a privileged container.
    ECS_DISABLE_PRIVILEGED: "true",
    ECS_RESERVED_MEMORY: String(settings.reservedMemoryMiB),
    // Tasks can read their own metadata file (task ARN, ports) without reaching IMDS.
    ECS_ENABLE_CONTAINER_METADATA: "true",
    // The container instance carries the EC2 instance's tags, so both show the environment.
    ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM: "ec2_instance",
  };
}

export function containerInstanceUserData(settings: ContainerInstanceSettings): string {
  const lines = Object.entries(ecsAgentConfig(settings)).map(([key, value]) => `${key}=${value}`);
  return [
    "#!/bin/bash",
    "# Register this instance with its ECS cluster; the ECS agent reads this file when it starts.",
    "set -euo pipefail",
    "cat >> /etc/ecs/ecs.config <<'ECS_CONFIG'",
    ...lines,
    "ECS_CONFIG",
    "",
  ].join("\n");
}
