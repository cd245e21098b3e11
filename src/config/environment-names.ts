import { createHash } from "node:crypto";
import { environmentPrefix, resourceName, workloadBoundaryArn } from "./naming";
import type { EnvironmentShape } from "./shape";

/*
 * Every name an environment's resources carry, derived once from its configuration: the stack passes them to
 * the constructs, and the CI deploy permissions are scoped by them (src/stacks/ci-identities-stack.ts). A new
 * named resource is added here, and everything else reads it. Every name here starts with the environment's
 * prefix (`<project>-<name>`, at most 43 characters), so each fits its AWS limit and two environments can
 * share one only if they share the prefix, which the stack id already forbids (./rules/clashes.ts).
 * Names the spec gives (cluster, service, task family, ...) are the configuration's own values.
 */

/**
 * A load balancer or target group name AWS accepts: at most 32 characters (CreateLoadBalancer,
 * CreateTargetGroup). A longer name is cut to 25 and ends in 6 hex digits of its hash, so two long names
 * with one beginning stay two names.
 */
export function awsLbName(name: string): string {
  if (name.length <= 32) return name;
  return `${name.slice(0, 25).replace(/-+$/, "")}-${createHash("sha256").update(name).digest("hex").slice(0, 6)}`;
}

/** The alarms every environment has, by construct id. */
export const SERVICE_ALARMS = {
  daemon_tasks_missing: "daemon-tasks-missing",
  container_instances_below_minimum: "container-instances-below-minimum",
  service_cpu_high: "service-cpu-high",
  instance_status_check_failed: "instance-status-check-failed",
} as const;
/** The alarms an environment with a load balancer adds, by construct id. */
export const LOAD_BALANCER_ALARMS = {
  target_5xx: "target-5xx",
  load_balancer_5xx: "load-balancer-5xx",
  unhealthy_targets: "unhealthy-targets",
  target_response_time: "target-response-time",
} as const;

export type ServiceAlarmId = keyof typeof SERVICE_ALARMS;
export type LoadBalancerAlarmId = keyof typeof LOAD_BALANCER_ALARMS;

export interface EnvironmentNames {
  /** `<project>-<environment>`: the prefix of every derived name (and of the names CI may manage). */
  readonly prefix: string;
  readonly capacity: {
    readonly instanceRole: string;
    readonly instanceProfile: string;
    readonly instanceSecurityGroup: string;
    /** Undefined keeps an adopted template's live name (a name would replace it). */
    readonly launchTemplate?: string;
    /** The CPU target-tracking policy, where the group scales (a load balancer, maxSize > minSize). */
    readonly scalingPolicy?: string;
  };
  readonly taskSecurityGroup: string;
  readonly keyAlias: string;
  /** The permissions boundary every role of the environment carries: its policy name (under /ci/) and ARN. */
  readonly boundaryName: string;
  readonly boundaryArn: string;
  readonly alarmTopic?: string;
  readonly alarms: Readonly<Record<ServiceAlarmId, string>> & Partial<Readonly<Record<LoadBalancerAlarmId, string>>>;
  readonly dashboard: string;
  readonly pipeline?: {
    readonly buildLogGroup: string;
    readonly buildRole: string;
    readonly pipelineRole: string;
    readonly failureRule: string;
    readonly deadLetterQueue: string;
    readonly deadLetterAlarm: string;
  };
  readonly loadBalancer?: {
    readonly securityGroup: string;
    readonly loadBalancer: string;
    readonly targetGroup: string;
    readonly webAcl: string;
  };
}

/** The environment's names (pure: the same configuration always gives the same names). */
export function environmentNames(env: EnvironmentShape): EnvironmentNames {
  const prefix = environmentPrefix(env.project, env.name);
  const name = (purpose: string) => resourceName(env.project, env.name, purpose);
  const alarm = (what: string) => `${prefix}-${what}`;
  const alarms = Object.fromEntries(
    Object.entries({ ...SERVICE_ALARMS, ...(env.loadBalancer ? LOAD_BALANCER_ALARMS : {}) }).map(([id, what]) => [id, alarm(what)]),
  ) as EnvironmentNames["alarms"];
  const failureRule = name("pipeline-failed");
  return {
    prefix,
    capacity: {
      instanceRole: name("ecs-instance"),
      instanceProfile: name("ecs-instance"),
      instanceSecurityGroup: name("ecs-instances"),
      launchTemplate: env.capacity.launchTemplateName ?? (env.adopt?.launchTemplate ? undefined : name("ecs-arm64")),
      scalingPolicy: env.loadBalancer && env.capacity.maxSize > env.capacity.minSize ? name("instance-cpu-target") : undefined,
    },
    taskSecurityGroup: name("task"),
    keyAlias: prefix,
    boundaryName: name("workload-boundary"),
    boundaryArn: workloadBoundaryArn(env.project, env.name, env.accountId),
    alarmTopic: env.alarms.topicArn === undefined ? name("alarms") : undefined,
    alarms,
    dashboard: prefix,
    pipeline: env.pipeline
      ? {
          buildLogGroup: `/codebuild/${env.pipeline.build.projectName}`,
          buildRole: name("image-build"),
          pipelineRole: name("image-pipeline"),
          failureRule,
          deadLetterQueue: `${failureRule}-undelivered`,
          deadLetterAlarm: `${failureRule}-undelivered`,
        }
      : undefined,
    loadBalancer: env.loadBalancer
      ? { securityGroup: name("alb"), loadBalancer: awsLbName(name("alb")), targetGroup: awsLbName(name("tasks")), webAcl: name("alb") }
      : undefined,
  };
}
