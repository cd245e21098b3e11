// Whole-environment facts: the alarms staging and production have, what each watches and where it notifies.
import { ALARM_DEFAULTS } from "../../src/config/operations";
import { validateEnvironment } from "../../src/config";
import { all, only, productionEnvironment, productionRaw, ref, refNamed, stagingConfig, synthPlatform, TerraformJson } from "../helpers";

const staging = synthPlatform().json;
const production = synthPlatform(productionEnvironment()).json;

/** The alarm with this name. */
function alarm(json: TerraformJson, name: string): Record<string, any> {
  const found = all(json, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name === name);
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0];
}

const service = (json: TerraformJson) => ({ ClusterName: ref(json, "aws_ecs_cluster", "name"), ServiceName: ref(json, "aws_ecs_service", "name") });

describe("alarms of every environment", () => {
  test("staging has the four service and instance alarms, and the undelivered-notification alarm", () => {
    expect(
      all(staging, "aws_cloudwatch_metric_alarm")
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual([
      "myslp-staging-container-instances-below-minimum",
      "myslp-staging-daemon-tasks-missing",
      "myslp-staging-instance-status-check-failed",
      "myslp-staging-pipeline-failed-undelivered",
      "myslp-staging-service-cpu-high",
    ]);
  });

  test("production adds the four load balancer alarms", () => {
    expect(
      all(production, "aws_cloudwatch_metric_alarm")
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual([
      "myslp-production-container-instances-below-minimum",
      "myslp-production-daemon-tasks-missing",
      "myslp-production-instance-status-check-failed",
      "myslp-production-load-balancer-5xx",
      "myslp-production-pipeline-failed-undelivered",
      "myslp-production-service-cpu-high",
      "myslp-production-target-5xx",
      "myslp-production-target-response-time",
      "myslp-production-unhealthy-targets",
    ]);
  });

  test.each([
    ["staging", staging],
    ["production", production],
  ])("%s: each alarm announces alarm and recovery on the topic and says what to check first", (_name, json) => {
    const topic = ref(json, "aws_sns_topic", "arn");
    for (const a of all(json, "aws_cloudwatch_metric_alarm")) {
      expect({ name: a.alarm_name, actions: a.alarm_actions, ok: a.ok_actions, enabled: a.actions_enabled }).toEqual({
        name: a.alarm_name,
        actions: [topic],
        ok: [topic],
        enabled: true,
      });
      expect({ name: a.alarm_name, description: a.alarm_description }).toEqual({ name: a.alarm_name, description: expect.stringContaining("Check first: ") });
      expect(a.alarm_description.length).toBeLessThanOrEqual(1024);
    }
  });

  test("missing data: silence from Container Insights is an alarm; from load balancer, EC2, ECS service and SQS metrics it is not", () => {
    const treatment = Object.fromEntries(
      all(production, "aws_cloudwatch_metric_alarm").map((a) => [a.alarm_name.replace("myslp-production-", ""), a.treat_missing_data]),
    );
    expect(treatment).toEqual({
      "daemon-tasks-missing": "breaching",
      "container-instances-below-minimum": "breaching",
      // AWS/ECS reports nothing for a service without a task: daemon-tasks-missing covers that.
      "service-cpu-high": "notBreaching",
      "instance-status-check-failed": "notBreaching",
      // An idle empty queue reports nothing: the good case.
      "pipeline-failed-undelivered": "notBreaching",
      "target-5xx": "notBreaching",
      "load-balancer-5xx": "notBreaching",
      "unhealthy-targets": "notBreaching",
      "target-response-time": "notBreaching",
    });
  });
});

describe("daemon tasks missing", () => {
  const a = alarm(staging, "myslp-staging-daemon-tasks-missing");

  test("compares running tasks with the tasks ECS wants (one per container instance), a missing count as zero", () => {
    expect(a.metric_query).toEqual([
      { id: "missing", expression: "desired - FILL(running, 0)", label: "Daemon tasks missing", return_data: true },
      {
        id: "desired",
        metric: { namespace: "ECS/ContainerInsights", metric_name: "DesiredTaskCount", dimensions: service(staging), period: 60, stat: "Maximum" },
      },
      {
        id: "running",
        metric: { namespace: "ECS/ContainerInsights", metric_name: "RunningTaskCount", dimensions: service(staging), period: 60, stat: "Minimum" },
      },
    ]);
    expect(a).toMatchObject({ comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 1, evaluation_periods: 5, datapoints_to_alarm: 5 });
    expect(a.metric_name).toBeUndefined();
  });

  test("waits the configured minutes", () => {
    const j = synthPlatform(stagingConfig((r) => (r.alarms = { taskShortfallMinutes: 3 }))).json;
    expect(alarm(j, "myslp-staging-daemon-tasks-missing")).toMatchObject({ evaluation_periods: 3, datapoints_to_alarm: 3 });
  });

  test("points at the service's events and the container's log group", () => {
    expect(a.alarm_description).toContain("the service's Events tab");
    expect(a.alarm_description).toContain("/ecs/slp_saas_staging");
  });
});

describe("instance alarms", () => {
  test("fewer registered container instances than the group's minimum", () => {
    expect(alarm(production, "myslp-production-container-instances-below-minimum")).toMatchObject({
      namespace: "ECS/ContainerInsights",
      metric_name: "ContainerInstanceCount",
      dimensions: { ClusterName: ref(production, "aws_ecs_cluster", "name") },
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 2,
    });
    expect(alarm(staging, "myslp-staging-container-instances-below-minimum").threshold).toBe(1);
  });

  test("the service's CPU against its reservation, above the configured threshold for 15 minutes (reachable: the task saturates at 100 %)", () => {
    expect(alarm(staging, "myslp-staging-service-cpu-high")).toMatchObject({
      namespace: "AWS/ECS",
      metric_name: "CPUUtilization",
      dimensions: { ClusterName: ref(staging, "aws_ecs_cluster", "name"), ServiceName: ref(staging, "aws_ecs_service", "name") },
      statistic: "Average",
      period: 300,
      evaluation_periods: 3,
      comparison_operator: "GreaterThanThreshold",
      threshold: ALARM_DEFAULTS.serviceCpuPercent,
      treat_missing_data: "notBreaching",
    });
    expect(ALARM_DEFAULTS.serviceCpuPercent).toBeLessThan(100);
    expect(alarm(staging, "myslp-staging-service-cpu-high").alarm_description).toMatch(/reservation/);
    expect(Object.values(staging.resource.aws_cloudwatch_metric_alarm).map((a) => a.alarm_name)).not.toContain("myslp-staging-instance-cpu-high");
    const j = synthPlatform(stagingConfig((r) => (r.alarms = { serviceCpuPercent: 95 }))).json;
    expect(alarm(j, "myslp-staging-service-cpu-high").threshold).toBe(95);
  });

  test("any instance failing its status checks for 3 minutes", () => {
    expect(alarm(staging, "myslp-staging-instance-status-check-failed")).toMatchObject({
      namespace: "AWS/EC2",
      metric_name: "StatusCheckFailed",
      // The configured name: the group is created after the alarms that stop its instance refresh.
      dimensions: { AutoScalingGroupName: only(staging, "aws_autoscaling_group").name },
      statistic: "Maximum",
      period: 60,
      evaluation_periods: 3,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
  });
});

describe("load balancer alarms (production)", () => {
  const balancer = { LoadBalancer: ref(production, "aws_lb", "arn_suffix") };

  test("5XX from the tasks and from the load balancer, summed over 5 minutes", () => {
    expect(alarm(production, "myslp-production-target-5xx")).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HTTPCode_Target_5XX_Count",
      dimensions: balancer,
      statistic: "Sum",
      period: 300,
      comparison_operator: "GreaterThanThreshold",
      threshold: 10,
    });
    expect(alarm(production, "myslp-production-load-balancer-5xx")).toMatchObject({
      metric_name: "HTTPCode_ELB_5XX_Count",
      dimensions: balancer,
      statistic: "Sum",
      threshold: 10,
    });
  });

  test("unhealthy targets of the task target group", () => {
    expect(alarm(production, "myslp-production-unhealthy-targets")).toMatchObject({
      metric_name: "UnHealthyHostCount",
      dimensions: { TargetGroup: ref(production, "aws_lb_target_group", "arn_suffix"), ...balancer },
      statistic: "Maximum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluation_periods: 5,
    });
    expect(alarm(production, "myslp-production-unhealthy-targets").alarm_description).toContain("(GET /, 200-399 expected)");
  });

  test("p90 response time over 15 minutes", () => {
    const a = alarm(production, "myslp-production-target-response-time");
    expect(a).toMatchObject({
      metric_name: "TargetResponseTime",
      dimensions: balancer,
      extended_statistic: "p90",
      period: 300,
      evaluation_periods: 3,
      threshold: 2,
    });
    expect(a.statistic).toBeUndefined();
  });

  test("thresholds come from config", () => {
    const raw = productionRaw();
    raw.alarms = { ...raw.alarms, target5xxCount: 25, loadBalancer5xxCount: 5, unhealthyTargets: 2, targetResponseTimeSeconds: 1.5 };
    const j = synthPlatform(validateEnvironment(raw)).json;
    expect(alarm(j, "myslp-production-target-5xx").threshold).toBe(25);
    expect(alarm(j, "myslp-production-load-balancer-5xx").threshold).toBe(5);
    expect(alarm(j, "myslp-production-unhealthy-targets").threshold).toBe(2);
    expect(alarm(j, "myslp-production-target-response-time").threshold).toBe(1.5);
  });

  test("an environment without a load balancer has none of them", () => {
    expect(all(staging, "aws_cloudwatch_metric_alarm").filter((a) => a.namespace === "AWS/ApplicationELB")).toEqual([]);
    expect(refNamed(production, "aws_cloudwatch_metric_alarm", "unhealthy_targets", "arn")).toMatch(/^\$\{aws_cloudwatch_metric_alarm\./);
  });
});

describe("alarm names", () => {
  test.each([
    ["staging", staging],
    ["production", production],
  ])("%s: every alarm is one the topic's policy lets publish", (_name, json) => {
    const pattern: string = JSON.parse(all(json, "aws_sns_topic_policy")[0].policy).Statement.find(
      (s: any) => s.Principal.Service === "cloudwatch.amazonaws.com",
    ).Condition.ArnLike["aws:SourceArn"];
    const prefix = pattern.replace(/\*$/, "");
    for (const a of all(json, "aws_cloudwatch_metric_alarm")) {
      expect(`arn:aws:cloudwatch:us-east-1:744590032041:alarm:${a.alarm_name}`.startsWith(prefix)).toBe(true);
    }
  });
});
