import { Construct } from "constructs";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmsConfig, EnvironmentNames } from "../../config";

export interface ServiceAlarmsProps {
  /**
   * Each alarm's name, by construct id (src/config/environment-names.ts; the alarm topic admits the
   * environment's prefix). The load balancer alarms' names are required with a load balancer.
   */
  readonly alarmNames: EnvironmentNames["alarms"];
  /** Where each alarm and its recovery are announced. */
  readonly topicArn: string;
  /** The cluster of the ECS and Container Insights metrics. */
  readonly clusterName: string;
  /** The service of the task metrics. */
  readonly serviceName: string;
  /** The group of the EC2 metrics. */
  readonly autoScalingGroupName: string;
  /** The group's minimum size: fewer registered container instances than this is an alarm. */
  readonly minInstances: number;
  /** The container's log group, named in the descriptions as the place to look. */
  readonly logGroupName: string;
  /** Thresholds and windows (config `alarms`). */
  readonly thresholds: AlarmsConfig;
  /**
   * The load balancer in front of the tasks (ARN suffixes: the dimensions of AWS/ApplicationELB metrics).
   * @default no load balancer alarms
   */
  readonly loadBalancer?: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string; readonly healthCheckPath: string };
}

/** What each alarm watches, how it treats a period without data, and what to check first. */
type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions" | "actionsEnabled">;

/**
 * The alarms of one environment, each announcing both the alarm and the recovery on the alarm topic, each
 * with a description that says what it means and what to check first (docs/operations.md lists them).
 *
 * Missing data is decided per metric: Container Insights stops reporting a service that has no task, so the
 * task and instance alarms treat silence as breaching; load balancer counts and latency report nothing
 * without traffic, and EC2 metrics nothing without instances (the instance alarm covers that), so those
 * treat silence as fine.
 * Metrics: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export class ServiceAlarms extends Construct {
  /** Every alarm, by its construct id. */
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};
  /** Fewer daemon tasks running than ECS wants: the alarm an instance refresh must stop on. */
  readonly taskShortfall: CloudwatchMetricAlarm;
  /** Targets failing the load balancer's health check (with a load balancer). */
  readonly unhealthyTargets?: CloudwatchMetricAlarm;
  private readonly alarmNames: EnvironmentNames["alarms"];
  private readonly topicArn: string;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.alarmNames = props.alarmNames;
    this.topicArn = props.topicArn;
    this.taskShortfall = this.serviceAndInstanceAlarms(props);
    if (props.loadBalancer) this.unhealthyTargets = this.loadBalancerAlarms(props, props.loadBalancer);
  }

  /** The service's tasks and CPU, and the group's instances; returns the missing-task alarm. */
  private serviceAndInstanceAlarms(props: ServiceAlarmsProps): CloudwatchMetricAlarm {
    const t = props.thresholds;
    const service = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const group = { AutoScalingGroupName: props.autoScalingGroupName };

    const taskShortfall = this.alarm("daemon_tasks_missing", {
      alarmDescription:
        `Fewer daemon tasks of ${props.serviceName} are running than ECS wants (one per container instance) for ${t.taskShortfallMinutes} minutes, ` +
        "or Container Insights reports nothing for the service. Check first: the service's Events tab and its stopped tasks' stopped reason " +
        `(image pull, failing health check, out of memory), then the log group ${props.logGroupName}.`,
      // DesiredTaskCount of a DAEMON service is the number of active container instances it should run on.
      metricQuery: [
        { id: "missing", expression: "desired - FILL(running, 0)", label: "Daemon tasks missing", returnData: true },
        { id: "desired", metric: { namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", dimensions: service, period: 60, stat: "Maximum" } },
        { id: "running", metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: service, period: 60, stat: "Minimum" } },
      ],
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: t.taskShortfallMinutes,
      datapointsToAlarm: t.taskShortfallMinutes,
      treatMissingData: "breaching",
    });

    this.alarm("container_instances_below_minimum", {
      alarmDescription:
        `Fewer than ${props.minInstances} container instances are registered with ${props.clusterName} for 5 minutes (the group's minimum). ` +
        `Check first: the activity history of Auto Scaling group ${props.autoScalingGroupName} (launch failures, capacity, AMI), then the ECS agent ` +
        "on a new instance through Session Manager (systemctl status ecs, /var/log/ecs/ecs-agent.log).",
      namespace: "ECS/ContainerInsights",
      metricName: "ContainerInstanceCount",
      dimensions: { ClusterName: props.clusterName },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: "LessThanThreshold",
      threshold: props.minInstances,
      treatMissingData: "breaching",
    });

    // The service's CPU against its reservation, not the instance's: on EC2 the task's cpu is a CFS quota, so
    // a saturated task reads ~100 % here while its instance stays near task.cpu / instance CPU (3072 of 4096:
    // ~75 %), where an instance threshold of 85 % could never fire. AWS/ECS reports nothing for a service
    // without a running task: the missing-task alarm covers that, so silence is fine here.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/viewing_cloudwatch_metrics.html
    this.alarm("service_cpu_high", {
      alarmDescription:
        `${props.serviceName} used more than ${t.serviceCpuPercent}% of its tasks' CPU reservation (AWS/ECS CPUUtilization, which a task on EC2 ` +
        "cannot exceed: its cpu is a hard limit) on average for 15 minutes: WordPress is CPU-starved. Check first: whether the group is at " +
        `capacity.maxSize or has no load balancer to spread load (then raise task.cpu or the instance size), then the container log ${props.logGroupName} ` +
        "(runaway PHP workers, a crawler).",
      namespace: "AWS/ECS",
      metricName: "CPUUtilization",
      dimensions: service,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.serviceCpuPercent,
      treatMissingData: "notBreaching",
    });

    this.alarm("instance_status_check_failed", {
      alarmDescription:
        `An instance of ${props.autoScalingGroupName} failed its EC2 status checks for 3 minutes. Check first: the instance's status checks in the ` +
        "EC2 console (system check: AWS hardware, stop and start moves it; instance check: the OS, e.g. memory or a full disk). The group " +
        "replaces an instance that stays impaired.",
      namespace: "AWS/EC2",
      metricName: "StatusCheckFailed",
      dimensions: group,
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
    });
    return taskShortfall;
  }

  /** The load balancer's answers, targets and response time; returns the unhealthy-targets alarm. */
  private loadBalancerAlarms(props: ServiceAlarmsProps, lb: NonNullable<ServiceAlarmsProps["loadBalancer"]>): CloudwatchMetricAlarm {
    const t = props.thresholds;
    const balancer = { LoadBalancer: lb.arnSuffix };
    this.alarm("target_5xx", {
      alarmDescription:
        `The WordPress tasks answered more than ${t.target5xxCount} requests with HTTP 5XX in 5 minutes. Check first: the container log ` +
        `${props.logGroupName} (PHP fatal errors, "Error establishing a database connection"), then the database cluster.`,
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions: balancer,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.target5xxCount,
      treatMissingData: "notBreaching",
    });
    this.alarm("load_balancer_5xx", {
      alarmDescription:
        `The load balancer itself answered more than ${t.loadBalancer5xxCount} requests with HTTP 5XX in 5 minutes (502/503/504: no healthy target, ` +
        "or tasks resetting or timing out connections). Check first: the unhealthy-targets and daemon-tasks-missing alarms, then target response time.",
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_ELB_5XX_Count",
      dimensions: balancer,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.loadBalancer5xxCount,
      treatMissingData: "notBreaching",
    });
    const unhealthyTargets = this.alarm("unhealthy_targets", {
      alarmDescription:
        `${t.unhealthyTargets} or more tasks failed the load balancer's health check (GET ${lb.healthCheckPath}, 200-399 expected) for 5 minutes. ` +
        `Check first: the target group's health status reasons, then the container log ${props.logGroupName}; ECS replaces a task the load balancer keeps failing.`,
      namespace: "AWS/ApplicationELB",
      metricName: "UnHealthyHostCount",
      dimensions: { TargetGroup: lb.targetGroupArnSuffix, LoadBalancer: lb.arnSuffix },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.unhealthyTargets,
      treatMissingData: "notBreaching",
    });
    this.alarm("target_response_time", {
      alarmDescription:
        `The slowest 10% of requests took longer than ${t.targetResponseTimeSeconds} s (p90 of the tasks' response time) for 15 minutes. Check first: ` +
        "instance and service CPU on the dashboard, then the database cluster (slow queries, connections).",
      namespace: "AWS/ApplicationELB",
      metricName: "TargetResponseTime",
      dimensions: balancer,
      extendedStatistic: "p90",
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.targetResponseTimeSeconds,
      treatMissingData: "notBreaching",
    });
    return unhealthyTargets;
  }

  /** Every alarm's ARN (the dashboard's alarm widget). */
  get alarmArns(): string[] {
    return Object.values(this.alarms).map((a) => a.arn);
  }

  private alarm(id: keyof EnvironmentNames["alarms"], spec: AlarmSpec): CloudwatchMetricAlarm {
    const alarmName = this.alarmNames[id];
    if (!alarmName) throw new Error(`ServiceAlarms: no name for alarm ${id} (alarmNames must name every alarm the construct creates)`);
    const alarm = new CloudwatchMetricAlarm(this, id, {
      ...spec,
      alarmName,
      actionsEnabled: true,
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
    });
    this.alarms[id] = alarm;
    return alarm;
  }
}
