import { Construct } from "constructs";
import type { AlarmsConfig, EnvironmentNames } from "../../config";
import type { ClusterRef } from "../compute/cluster";
import type { ServiceRef } from "../workload/daemon-service";
import { AlarmTopic } from "./alarm-topic";
import { PlatformDashboard } from "./dashboard";
import { PipelineFailureNotification } from "./pipeline-failure-notification";
import { ServiceAlarms } from "./service-alarms";

export interface ObservabilityProps {
  /** `<project>-<environment>`: the prefix of the alarms and rules the topic admits. */
  readonly namePrefix: string;
  /** Names of the topic, alarms, dashboard and failed-pipeline rule and queue (src/config/environment-names.ts). */
  readonly names: Pick<EnvironmentNames, "alarmTopic" | "alarms" | "dashboard" | "pipeline">;
  /** The account of the topic's publishers. */
  readonly accountId: string;
  /** The region of the topic, alarms and dashboard. */
  readonly region: string;
  /** The environment's key: encrypts the topic. */
  readonly kmsKeyArn: string;
  /** Thresholds, topic and subscriptions (config `alarms`). */
  readonly config: AlarmsConfig;
  /** The cluster the alarms and dashboard watch. */
  readonly cluster: ClusterRef;
  /** The DAEMON service the alarms and dashboard watch. */
  readonly service: ServiceRef;
  /** The group whose instances the alarms and dashboard watch. */
  readonly autoScalingGroupName: string;
  /** The group's minimum size: fewer registered container instances than this is an alarm. */
  readonly minInstances: number;
  /** The container's log group, named in the alarm descriptions as the place to look. */
  readonly logGroupName: string;
  /** The CPU the group's target-tracking policy holds, drawn on the dashboard. @default none (no policy) */
  readonly cpuTargetPercent?: number;
  /** @default no load balancer alarms or graphs */
  readonly loadBalancer?: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string; readonly healthCheckPath: string };
  /** @default no failed-pipeline notification */
  readonly pipeline?: { readonly pipelineName: string; readonly buildLogGroupName: string };
}

/**
 * What tells someone the platform is unwell, as one concern: the alarm topic (or an existing one), the
 * alarms, one dashboard, and failed pipeline runs announced on the same topic (docs/operations.md).
 */
export class Observability extends Construct {
  readonly topic: AlarmTopic;
  readonly alarms: ServiceAlarms;
  readonly dashboard: PlatformDashboard;
  /** Failed pipeline runs announced on the topic (with a pipeline). */
  readonly pipelineFailure?: PipelineFailureNotification;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = new AlarmTopic(this, "alarm_topic", {
      name: props.names.alarmTopic,
      existingTopicArn: props.config.topicArn,
      emailSubscriptions: props.config.emailSubscriptions,
      kmsKeyArn: props.kmsKeyArn,
      accountId: props.accountId,
      region: props.region,
      publisherNamePrefix: props.namePrefix,
    });
    this.alarms = new ServiceAlarms(this, "alarms", {
      alarmNames: props.names.alarms,
      topicArn: this.topic.arn,
      clusterName: props.cluster.name,
      serviceName: props.service.name,
      autoScalingGroupName: props.autoScalingGroupName,
      minInstances: props.minInstances,
      logGroupName: props.logGroupName,
      thresholds: props.config,
      loadBalancer: props.loadBalancer,
    });
    if (props.pipeline) {
      const names = props.names.pipeline;
      if (!names) throw new Error("Observability: a pipeline needs names.pipeline (its failure rule and dead-letter queue)");
      this.pipelineFailure = new PipelineFailureNotification(this, "pipeline_failure", {
        name: names.failureRule,
        deadLetter: { queueName: names.deadLetterQueue, alarmName: names.deadLetterAlarm },
        pipelineName: props.pipeline.pipelineName,
        topicArn: this.topic.arn,
        buildLogGroupName: props.pipeline.buildLogGroupName,
        accountId: props.accountId,
      });
    }
    this.dashboard = new PlatformDashboard(this, "dashboard", {
      name: props.names.dashboard,
      region: props.region,
      clusterName: props.cluster.name,
      serviceName: props.service.name,
      autoScalingGroupName: props.autoScalingGroupName,
      cpuTargetPercent: props.cpuTargetPercent,
      thresholds: props.config,
      alarmArns: [...this.alarms.alarmArns, ...(this.pipelineFailure ? [this.pipelineFailure.undelivered.arn] : [])],
      loadBalancer: props.loadBalancer,
      pipelineFailure: this.pipelineFailure
        ? { ruleName: this.pipelineFailure.rule.name, deadLetterQueueName: this.pipelineFailure.deadLetterQueue.name }
        : undefined,
    });
  }

  /** The alarms an instance refresh stops on: new instances that do not run (or do not pass health checks with) their task. */
  get refreshStopAlarmNames(): string[] {
    return [this.alarms.taskShortfall, ...(this.alarms.unhealthyTargets ? [this.alarms.unhealthyTargets] : [])].map((a) => a.alarmName);
  }
}
