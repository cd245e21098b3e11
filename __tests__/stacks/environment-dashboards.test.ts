// Whole-environment facts: the dashboards of staging and production, widget by widget.
import { ALARM_DEFAULTS } from "../../src/config/operations";
import { all, only, productionEnvironment, ref, synthPlatform, TerraformJson } from "../helpers";

const staging = synthPlatform().json;
const production = synthPlatform(productionEnvironment()).json;

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title: string; region?: string; metrics?: any[][]; alarms?: string[]; annotations?: { horizontal: { label: string; value: number }[] } };
}

/** The dashboard's widgets (the body is JSON with Terraform interpolations inside its strings). */
function widgets(json: TerraformJson): Widget[] {
  return JSON.parse(only(json, "aws_cloudwatch_dashboard").dashboard_body).widgets;
}
const byTitle = (json: TerraformJson, title: string) => {
  const found = widgets(json).filter((w) => w.properties.title === title);
  if (found.length !== 1) throw new Error(`expected one widget "${title}", found ${found.length}`);
  return found[0];
};
/** [namespace, metric name] of every metric drawn. */
const drawn = (json: TerraformJson) => widgets(json).flatMap((w) => (w.properties.metrics ?? []).map((m) => `${m[0]} ${m[1]}`));

describe("dashboard", () => {
  test("one per environment, named after it", () => {
    expect(only(staging, "aws_cloudwatch_dashboard").dashboard_name).toBe("myslp-staging");
    expect(only(production, "aws_cloudwatch_dashboard").dashboard_name).toBe("myslp-production");
  });

  test.each([
    ["staging", staging],
    ["production", production],
  ])("%s: the first row shows the state of every alarm", (_name, json) => {
    const first = widgets(json)[0];
    expect(first).toMatchObject({ type: "alarm", x: 0, y: 0, width: 24 });
    expect(first.properties.alarms!.sort()).toEqual(
      Object.keys(json.resource.aws_cloudwatch_metric_alarm)
        .map((id) => `\${aws_cloudwatch_metric_alarm.${id}.arn}`)
        .sort(),
    );
  });

  test("draws every metric an alarm watches", () => {
    const alarmed = all(production, "aws_cloudwatch_metric_alarm").flatMap((a) =>
      a.metric_query
        ? a.metric_query.filter((q: any) => q.metric).map((q: any) => `${q.metric.namespace} ${q.metric.metric_name}`)
        : [`${a.namespace} ${a.metric_name}`],
    );
    expect(alarmed.length).toBe(10);
    for (const metric of alarmed) expect({ metric, drawn: drawn(production).includes(metric) }).toEqual({ metric, drawn: true });
  });

  test("draws the tasks of the service against its container instances", () => {
    const metrics = byTitle(staging, "Daemon tasks and container instances").properties.metrics!;
    const cluster = ref(staging, "aws_ecs_cluster", "name");
    const service = ref(staging, "aws_ecs_service", "name");
    expect(metrics.map((m) => m.slice(0, -1))).toEqual([
      ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", cluster, "ServiceName", service],
      ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", cluster, "ServiceName", service],
      ["ECS/ContainerInsights", "ContainerInstanceCount", "ClusterName", cluster],
    ]);
  });

  test("marks the alarm thresholds and the scaling target on their graphs", () => {
    expect(byTitle(production, "Instance CPU (%)").properties.annotations!.horizontal).toEqual([{ label: "scaling target", value: 60 }]);
    expect(byTitle(staging, "Service CPU and memory (% of the task's reservation)").properties.annotations!.horizontal).toEqual([
      { label: "CPU alarm", value: ALARM_DEFAULTS.serviceCpuPercent },
    ]);
    expect(byTitle(production, "Target response time p90 (s)").properties.annotations!.horizontal).toEqual([{ label: "alarm", value: 2 }]);
    // No load balancer: no CPU policy, so no scaling target to draw.
    expect(byTitle(staging, "Instance CPU (%)").properties.annotations!.horizontal).toEqual([]);
  });

  test("draws the failed-pipeline rule's failed deliveries and its dead-letter queue", () => {
    const metrics = byTitle(production, "Failed-pipeline announcements not delivered").properties.metrics!;
    expect(metrics.map((m) => m.slice(0, 4))).toEqual([
      ["AWS/Events", "FailedInvocations", "RuleName", ref(production, "aws_cloudwatch_event_rule", "name")],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", ref(production, "aws_sqs_queue", "name")],
    ]);
  });

  test("load balancer graphs only where there is a load balancer", () => {
    expect(drawn(staging).filter((m) => m.startsWith("AWS/ApplicationELB"))).toEqual([]);
    expect(
      drawn(production)
        .filter((m) => m.startsWith("AWS/ApplicationELB"))
        .sort(),
    ).toEqual([
      "AWS/ApplicationELB HTTPCode_ELB_5XX_Count",
      "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
      "AWS/ApplicationELB HealthyHostCount",
      "AWS/ApplicationELB RequestCount",
      "AWS/ApplicationELB TargetResponseTime",
      "AWS/ApplicationELB UnHealthyHostCount",
    ]);
  });

  test.each([
    ["staging", staging],
    ["production", production],
  ])("%s: widgets fit the 24-column grid without overlapping, each metric graph in the environment's region", (_name, json) => {
    const ws = widgets(json);
    for (const w of ws) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      if (w.type === "metric") expect(w.properties.region).toBe("us-east-1");
    }
    for (const [i, a] of ws.entries()) {
      for (const b of ws.slice(i + 1)) {
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect({ a: a.properties.title, b: b.properties.title, overlap }).toEqual({ a: a.properties.title, b: b.properties.title, overlap: false });
      }
    }
  });
});
