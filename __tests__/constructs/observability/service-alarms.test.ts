// GIVEN ServiceAlarms with explicit props, WHEN synthesized alone, THEN each alarm watches what it was given,
// notifies the given topic, and the load balancer alarms exist only with a load balancer.
import { ALARM_DEFAULTS } from "../../../src/config/operations";
import { ServiceAlarms } from "../../../src/constructs/observability/service-alarms";
import { all, synthConstruct } from "../../helpers";

const TOPIC = "arn:aws:sns:eu-west-1:111122223333:app-alarms";
const NAMES = {
  daemon_tasks_missing: "app-tasks-missing",
  container_instances_below_minimum: "app-instances-low",
  service_cpu_high: "app-cpu-high",
  instance_status_check_failed: "app-status-failed",
  target_5xx: "app-target-5xx",
  load_balancer_5xx: "app-lb-5xx",
  unhealthy_targets: "app-unhealthy",
  target_response_time: "app-slow",
};
const LOAD_BALANCER = { arnSuffix: "app/app-alb/123", targetGroupArnSuffix: "targetgroup/app/456", healthCheckPath: "/" };

function alarms(withLoadBalancer: boolean) {
  const { json } = synthConstruct((scope) => {
    new ServiceAlarms(scope, "alarms", {
      alarmNames: NAMES,
      topicArn: TOPIC,
      clusterName: "app-cluster",
      serviceName: "app-service",
      autoScalingGroupName: "app-group",
      minInstances: 2,
      logGroupName: "/ecs/app",
      thresholds: { ...ALARM_DEFAULTS, emailSubscriptions: [] },
      loadBalancer: withLoadBalancer ? LOAD_BALANCER : undefined,
    });
  });
  return all(json, "aws_cloudwatch_metric_alarm");
}

describe("ServiceAlarms (construct alone)", () => {
  test("THEN without a load balancer: the four service and instance alarms, each notifying the topic", () => {
    const found = alarms(false);
    expect(found.map((a) => a.alarm_name).sort()).toEqual(["app-cpu-high", "app-instances-low", "app-status-failed", "app-tasks-missing"]);
    for (const a of found) expect(a.alarm_actions).toEqual([TOPIC]);
  });

  test("THEN each watches the given cluster, service and group", () => {
    const byName = Object.fromEntries(alarms(false).map((a) => [a.alarm_name, a]));
    expect(byName["app-instances-low"].dimensions).toEqual({ ClusterName: "app-cluster" });
    expect(byName["app-instances-low"].threshold).toBe(2);
    expect(byName["app-cpu-high"].dimensions).toEqual({ ClusterName: "app-cluster", ServiceName: "app-service" });
    expect(byName["app-status-failed"].dimensions).toEqual({ AutoScalingGroupName: "app-group" });
  });

  test("THEN with a load balancer: its four alarms too, on the given load balancer and target group", () => {
    const byName = Object.fromEntries(alarms(true).map((a) => [a.alarm_name, a]));
    expect(Object.keys(byName).sort()).toEqual(Object.values(NAMES).sort());
    expect(byName["app-unhealthy"].dimensions).toEqual({ LoadBalancer: LOAD_BALANCER.arnSuffix, TargetGroup: LOAD_BALANCER.targetGroupArnSuffix });
  });
});
