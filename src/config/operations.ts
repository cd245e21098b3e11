import { z } from "zod";
import { snsTopicArn } from "./fields";

/*
 * Operating the platform safely: how a DAEMON service deploys, how its instances are replaced, and the alarms
 * that tell someone when it is not running. The schema fragments and the cross-field rules of this concern
 * live here, apart from the rest of the environment schema; docs/operations.md explains each rule.
 */

// An address SNS can email: no spaces, quotes, "$" or "%" (so nothing Terraform would read as a template).
const emailAddress = z
  .string()
  .max(254, "must be at most 254 characters")
  .regex(/^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, "must be an email address like ops@example.com");

/** Thresholds and where alarms go; every field has a default (docs/operations.md lists them). */
export const ALARM_DEFAULTS = {
  emailSubscriptions: [] as string[],
  taskShortfallMinutes: 5,
  serviceCpuPercent: 85,
  target5xxCount: 10,
  loadBalancer5xxCount: 10,
  unhealthyTargets: 1,
  targetResponseTimeSeconds: 2,
} as const;

export const alarmsSchema = z
  .strictObject({
    /** An existing SNS topic (same region) instead of the one the stack creates; its owner grants CloudWatch and EventBridge. */
    topicArn: snsTopicArn.optional(),
    /** Addresses subscribed to the topic; each confirms once from the email SNS sends. None by default. */
    emailSubscriptions: z.array(emailAddress).max(100, "must list at most 100 addresses").default(ALARM_DEFAULTS.emailSubscriptions),
    /**
     * Why nobody is subscribed, when nobody is: a production environment must name where its alarms go
     * (emailSubscriptions or topicArn) or say why not here. @default none
     */
    noSubscriberReason: z.string().trim().min(20, "must say why in a sentence (at least 20 characters)").max(500).optional(),
    /** Minutes a daemon task may be missing (fewer running than container instances) before the alarm. */
    taskShortfallMinutes: z
      .number()
      .int()
      .min(1)
      .max(30, "must be at most 30 (a longer outage is not an early warning; the refresh warm-up, at most 3600 s, must outlast it)")
      .default(ALARM_DEFAULTS.taskShortfallMinutes),
    /**
     * The service's CPU as a percentage of its tasks' CPU reservation (AWS/ECS CPUUtilization), over 15 minutes,
     * that raises the alarm. On EC2 the task's `cpu` caps the task (a CFS quota), so the task saturates at 100 %
     * of its reservation while the instance stays near task.cpu / instance CPU: an instance threshold above
     * that could never fire.
     */
    serviceCpuPercent: z
      .number()
      .int()
      .min(1)
      .max(99, "must be below 100: the task cannot use more than its reservation")
      .default(ALARM_DEFAULTS.serviceCpuPercent),
    /** HTTP 5XX answers from the tasks in 5 minutes that raise the alarm (load balancer only). */
    target5xxCount: z.number().int().min(1).default(ALARM_DEFAULTS.target5xxCount),
    /** HTTP 5XX answers from the load balancer itself in 5 minutes that raise the alarm. */
    loadBalancer5xxCount: z.number().int().min(1).default(ALARM_DEFAULTS.loadBalancer5xxCount),
    /** Unhealthy targets, for 5 minutes, that raise the alarm. */
    unhealthyTargets: z.number().int().min(1).default(ALARM_DEFAULTS.unhealthyTargets),
    /** 90th percentile of the tasks' response time, seconds, for 15 minutes, that raises the alarm. */
    targetResponseTimeSeconds: z
      .number()
      .positive()
      .max(60, "must be at most 60 (the load balancer's default idle timeout)")
      .default(ALARM_DEFAULTS.targetResponseTimeSeconds),
  })
  .prefault({});

export type AlarmsConfig = z.infer<typeof alarmsSchema>;

type Issue = (path: (string | number)[], message: string, input: unknown) => void;

/** The parts of an environment the operations rules read. */
interface OperationsView {
  readonly production: boolean;
  readonly loadBalancer?: unknown;
  readonly cluster: { readonly containerInsights: string };
  readonly capacity: { readonly minSize: number; readonly maxSize: number; readonly cpuTargetPercent: number; readonly instanceWarmupSeconds: number };
  readonly service: { readonly deploymentMinimumHealthyPercent: number };
  readonly alarms: AlarmsConfig;
}

/**
 * Minutes to allow for a metric to reach its alarm: Container Insights aggregates per minute and delivers
 * through CloudWatch Logs (embedded metric format), and CloudWatch documents that metrics can arrive minutes
 * late ("delayed metrics": an alarm evaluates the datapoints it has); five minutes covers the agent's
 * registration and a late datapoint. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
export const METRIC_DELIVERY_MINUTES = 5;

/**
 * Seconds an instance refresh must wait on a new instance so that the missing-task alarm can still stop it
 * (and roll it back): the alarm's evaluation window plus the metric delivery allowance.
 */
export function minimumInstanceWarmupSeconds(taskShortfallMinutes: number): number {
  return (taskShortfallMinutes + METRIC_DELIVERY_MINUTES) * 60;
}

/** The cross-field rules of deployments, scaling, instance refresh and alarms. */
export function checkOperations(env: OperationsView, issue: Issue): void {
  // ---- deployments of the DAEMON service (a value that stalls them: DaemonService refuses it) ----
  const { minSize } = env.capacity;
  const percent = env.service.deploymentMinimumHealthyPercent;
  if (env.production && minSize >= 2 && percent === 0) {
    issue(
      ["service", "deploymentMinimumHealthyPercent"],
      `must be above 0 in a production environment with ${minSize} instances: 0 lets ECS stop every daemon task at once, an outage on each deploy`,
      percent,
    );
  }

  // ---- scaling and instance refresh ----
  // A second instance's daemon task gets an address nothing routes to without a load balancer: there the
  // headroom above minSize is for the instance refresh only, and the group gets no CPU policy.
  // (The CPU target's ceiling, task.cpu / instance CPU, is checked with the instance type: schema.ts.)
  const warmup = minimumInstanceWarmupSeconds(env.alarms.taskShortfallMinutes);
  if (env.capacity.instanceWarmupSeconds < warmup) {
    issue(
      ["capacity", "instanceWarmupSeconds"],
      `must be at least ${warmup} ((alarms.taskShortfallMinutes + ${METRIC_DELIVERY_MINUTES}) x 60): an instance refresh waits this long on each new instance before it terminates an old one, and must still be waiting when the missing-task alarm (its evaluation window plus ${METRIC_DELIVERY_MINUTES} minutes of metric delivery) fires for a new instance that cannot run its task`,
      env.capacity.instanceWarmupSeconds,
    );
  }

  // ---- alarms ----
  if (env.cluster.containerInsights === "disabled") {
    issue(
      ["cluster", "containerInsights"],
      'must be "enabled" or "enhanced": the missing-task and container-instance alarms read Container Insights metrics',
      "disabled",
    );
  }
  // alarms.topicArn's partition, service and region: rules/aws.ts (checkArns), with the other ARNs.
  const subscribed = env.alarms.emailSubscriptions.length > 0 || env.alarms.topicArn !== undefined;
  if (env.production && !subscribed && env.alarms.noSubscriberReason === undefined) {
    issue(
      ["alarms", "emailSubscriptions"],
      "must name who is paged in a production environment: at least one address, or alarms.topicArn (the team's topic), or alarms.noSubscriberReason saying why nobody is; otherwise every alarm and failed pipeline run goes to an empty topic",
      env.alarms.emailSubscriptions,
    );
  }
  if (subscribed && env.alarms.noSubscriberReason !== undefined) {
    issue(
      ["alarms", "noSubscriberReason"],
      "must be left out when alarms.emailSubscriptions or alarms.topicArn names a subscriber",
      env.alarms.noSubscriberReason,
    );
  }
  env.alarms.emailSubscriptions.forEach((address, index) => {
    if (env.alarms.emailSubscriptions.findIndex((a) => a.toLowerCase() === address.toLowerCase()) !== index) {
      issue(["alarms", "emailSubscriptions", index], "is listed twice: SNS keeps one subscription per address", address);
    }
  });
}
