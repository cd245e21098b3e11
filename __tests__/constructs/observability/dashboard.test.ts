// GIVEN a PlatformDashboard with explicit props, WHEN synthesized alone, THEN it draws what it was given.
import { ALARM_DEFAULTS } from "../../../src/config/operations";
import { PlatformDashboard } from "../../../src/constructs/observability/dashboard";
import { only, synthConstruct } from "../../helpers";

function dashboard(extra: { cpuTargetPercent?: number; loadBalancer?: { arnSuffix: string; targetGroupArnSuffix: string } } = {}) {
  const { json } = synthConstruct((scope) => {
    new PlatformDashboard(scope, "dashboard", {
      name: "app-dashboard",
      region: "eu-west-1",
      clusterName: "app-cluster",
      serviceName: "app-service",
      autoScalingGroupName: "app-group",
      thresholds: { ...ALARM_DEFAULTS, emailSubscriptions: [] },
      alarmArns: ["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:app-tasks-missing"],
      ...extra,
    });
  });
  const resource = only(json, "aws_cloudwatch_dashboard");
  return { name: resource.dashboard_name, body: JSON.parse(resource.dashboard_body) };
}

const metrics = (body: any): any[][] => body.widgets.flatMap((w: any) => w.properties.metrics ?? []);

describe("PlatformDashboard (construct alone)", () => {
  test("THEN it is named as given, in the given region, and shows the given alarms", () => {
    const { name, body } = dashboard();
    expect(name).toBe("app-dashboard");
    expect(new Set(body.widgets.map((w: any) => w.properties.region).filter(Boolean))).toEqual(new Set(["eu-west-1"]));
    expect(body.widgets.flatMap((w: any) => w.properties.alarms ?? [])).toEqual(["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:app-tasks-missing"]);
  });

  test("THEN its metrics are the given cluster's, service's and group's", () => {
    const dimensions = metrics(dashboard().body).map((m) => m.filter((v) => typeof v === "string").join(" "));
    expect(dimensions.some((d) => d.includes("ClusterName app-cluster ServiceName app-service"))).toBe(true);
    expect(dimensions.some((d) => d.includes("AutoScalingGroupName app-group"))).toBe(true);
    expect(dimensions.some((d) => d.includes("LoadBalancer"))).toBe(false);
  });

  test("THEN a load balancer adds its graphs, on the given load balancer", () => {
    const dimensions = metrics(dashboard({ loadBalancer: { arnSuffix: "app/app-alb/123", targetGroupArnSuffix: "targetgroup/app/456" } }).body).map((m) =>
      m.filter((v) => typeof v === "string").join(" "),
    );
    expect(dimensions.some((d) => d.includes("LoadBalancer app/app-alb/123"))).toBe(true);
  });
});
