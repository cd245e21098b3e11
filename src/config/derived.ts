import { resourceName, taskFamily } from "./naming";
import { ALARM_DEFAULTS, minimumInstanceWarmupSeconds } from "./operations";

/*
 * Settings shared by the environments whose names derive from the naming helper (all but staging, whose
 * names the spec gives). Each environment file still states everything that differs between environments.
 */

/** The spec's instance shape, and how the group scales and replaces instances. */
export const GRAVITON_CAPACITY = {
  instanceType: "c6g.xlarge",
  rootVolumeGiB: 30,
  reservedMemoryMiB: 256,
  // Scale out before the one WordPress task per instance runs out of CPU (3 of the 4 vCPUs are reserved to it).
  cpuTargetPercent: 60,
  // The missing-task alarm's window plus metric delivery: it must fire while an instance refresh still waits
  // on a new instance (docs/operations.md).
  instanceWarmupSeconds: minimumInstanceWarmupSeconds(ALARM_DEFAULTS.taskShortfallMinutes),
} as const;

/** The Auto Scaling group and capacity provider names of an environment. */
export function derivedCapacityNames(project: string, environment: string) {
  return {
    autoScalingGroupName: resourceName(project, environment, "ecs"),
    capacityProviderName: resourceName(project, environment, "arm64"),
  } as const;
}

/**
 * The WordPress task of an environment: the spec's shape, the environment's names, the image (tag = the
 * environment's name, in `repository`) and log retention.
 */
export function derivedTask(project: string, environment: string, accountId: string, region: string, logRetentionDays: number, repository: string) {
  return {
    family: taskFamily(environment),
    containerName: "slp_saas",
    image: `${accountId}.dkr.ecr.${region}.amazonaws.com/${repository}:${environment}`,
    cpuArchitecture: "ARM64",
    cpu: 3072,
    memory: 6144,
    containerPort: 80,
    executionRoleName: resourceName(project, environment, "task-execution"),
    taskRoleName: resourceName(project, environment, "task"),
    logGroupName: `/ecs/${taskFamily(environment)}`,
    logRetentionDays,
  } as const;
}
