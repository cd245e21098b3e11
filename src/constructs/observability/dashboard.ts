import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { AlarmsConfig } from "../../config";

export interface PlatformDashboardProps {
  /** The dashboard's name (letters, digits, - and _). */
  readonly name: string;
  /** The region of the metrics the widgets draw. */
  readonly region: string;
  /** The cluster of the ECS and Container Insights metrics. */
  readonly clusterName: string;
  /** The service of the task metrics. */
  readonly serviceName: string;
  /** The group of the EC2 metrics. */
  readonly autoScalingGroupName: string;
  /** The CPU the group's target-tracking policy holds, drawn on the CPU graph. @default none (no policy) */
  readonly cpuTargetPercent?: number;
  /** The alarm thresholds drawn on their graphs (config `alarms`). */
  readonly thresholds: AlarmsConfig;
  /** The alarms whose state the dashboard's first row shows. */
  readonly alarmArns: string[];
  /** @default no load balancer graphs */
  readonly loadBalancer?: { readonly arnSuffix: string; readonly targetGroupArnSuffix: string };
  /** The failed-pipeline rule and its dead-letter queue. @default no graph of them */
  readonly pipelineFailure?: { readonly ruleName: string; readonly deadLetterQueueName: string };
}

type Metric = (string | Record<string, unknown>)[];
interface Widget {
  type: "metric" | "alarm";
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/**
 * One CloudWatch dashboard per environment: the state of every alarm, then the metrics those alarms watch
 * (daemon tasks against container instances, instance CPU and status checks, the service's CPU and memory,
 * and with a load balancer its requests, 5XX answers, unhealthy targets and response time), with each
 * alarm's threshold drawn on its graph.
 * Body format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export class PlatformDashboard extends Construct {
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: PlatformDashboardProps) {
    super(scope, id);
    const t = props.thresholds;
    const graph = (title: string, metrics: Metric[], extra: Record<string, unknown> = {}): Widget => ({
      type: "metric",
      width: 12,
      height: 6,
      properties: { title, region: props.region, view: "timeSeries", stacked: false, period: 60, metrics, ...extra },
    });
    const line = (label: string, value: number) => ({ label, value });
    const service = ["ClusterName", props.clusterName, "ServiceName", props.serviceName];
    const group = ["AutoScalingGroupName", props.autoScalingGroupName];

    const widgets: Widget[] = [
      { type: "alarm", width: 24, height: 3, properties: { title: "Alarms", alarms: props.alarmArns } },
      graph("Daemon tasks and container instances", [
        ["ECS/ContainerInsights", "DesiredTaskCount", ...service, { stat: "Maximum", label: "tasks wanted (one per instance)" }],
        ["ECS/ContainerInsights", "RunningTaskCount", ...service, { stat: "Minimum", label: "tasks running" }],
        ["ECS/ContainerInsights", "ContainerInstanceCount", "ClusterName", props.clusterName, { stat: "Minimum", label: "container instances" }],
      ]),
      graph("Instance CPU (%)", [["AWS/EC2", "CPUUtilization", ...group, { stat: "Average", label: "average of the group" }]], {
        period: 300,
        yAxis: { left: { min: 0, max: 100 } },
        annotations: { horizontal: props.cpuTargetPercent ? [line("scaling target", props.cpuTargetPercent)] : [] },
      }),
      graph(
        "Service CPU and memory (% of the task's reservation)",
        [
          ["AWS/ECS", "CPUUtilization", ...service, { stat: "Average", label: "CPU" }],
          ["AWS/ECS", "MemoryUtilization", ...service, { stat: "Average", label: "memory" }],
        ],
        { annotations: { horizontal: [line("CPU alarm", t.serviceCpuPercent)] } },
      ),
      graph("Instance status checks failed", [["AWS/EC2", "StatusCheckFailed", ...group, { stat: "Maximum", label: "any instance failing" }]], {
        annotations: { horizontal: [line("alarm", 1)] },
      }),
    ];

    const lb = props.loadBalancer;
    if (lb) {
      const balancer = ["LoadBalancer", lb.arnSuffix];
      widgets.push(
        graph(
          "Requests and 5XX answers (per 5 minutes)",
          [
            ["AWS/ApplicationELB", "RequestCount", ...balancer, { stat: "Sum", label: "requests" }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...balancer, { stat: "Sum", label: "5XX from the tasks" }],
            ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...balancer, { stat: "Sum", label: "5XX from the load balancer" }],
          ],
          { period: 300, annotations: { horizontal: [line("task 5XX alarm", t.target5xxCount), line("load balancer 5XX alarm", t.loadBalancer5xxCount)] } },
        ),
        graph("Target response time p90 (s)", [["AWS/ApplicationELB", "TargetResponseTime", ...balancer, { stat: "p90", label: "p90" }]], {
          period: 300,
          annotations: { horizontal: [line("alarm", t.targetResponseTimeSeconds)] },
        }),
        graph(
          "Healthy and unhealthy targets",
          [
            ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", lb.targetGroupArnSuffix, ...balancer, { stat: "Minimum", label: "healthy" }],
            ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", lb.targetGroupArnSuffix, ...balancer, { stat: "Maximum", label: "unhealthy" }],
          ],
          { annotations: { horizontal: [line("unhealthy alarm", t.unhealthyTargets)] } },
        ),
      );
    }

    const failure = props.pipelineFailure;
    if (failure) {
      widgets.push(
        graph(
          "Failed-pipeline announcements not delivered",
          [
            ["AWS/Events", "FailedInvocations", "RuleName", failure.ruleName, { stat: "Sum", label: "deliveries that failed (retried)" }],
            [
              "AWS/SQS",
              "ApproximateNumberOfMessagesVisible",
              "QueueName",
              failure.deadLetterQueueName,
              { stat: "Maximum", label: "given up: in the dead-letter queue" },
            ],
          ],
          { period: 300, annotations: { horizontal: [line("dead-letter alarm", 1)] } },
        ),
      );
    }

    const dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: JSON.stringify({ widgets: layout(widgets) }),
    });
    this.dashboardName = dashboard.dashboardName;
  }
}

/** Places widgets left to right on CloudWatch's 24-column grid, wrapping to a new row. */
function layout(widgets: Widget[]): (Widget & { x: number; y: number })[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    if (x + widget.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...widget, x, y };
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
    return placed;
  });
}
