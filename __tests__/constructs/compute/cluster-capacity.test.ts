// GIVEN a ClusterCapacity with explicit props, WHEN synthesized alone, THEN it refuses what it cannot honour and
// guards its launch template with EC2's own description of the instance type.
import { ClusterCapacity } from "../../../src/constructs/compute/cluster-capacity";
import { addressOf, only, stagingConfig, synthConstruct } from "../../helpers";

describe("ClusterCapacity stops its instance refresh on the alarms it is given", () => {
  /** GIVEN a ClusterCapacity whose instance refresh stops on these alarms. */
  const withStopAlarms = (refreshStopAlarmNames?: string[]) =>
    synthConstruct((scope) => {
      new ClusterCapacity(scope, "capacity", {
        cluster: { name: "c", arn: "arn:aws:ecs:us-east-1:744590032041:cluster/c" },
        config: stagingConfig().capacity,
        launchTemplateName: "lt",
        vpcId: "vpc-1",
        subnetIds: ["subnet-1"],
        names: { instanceRole: "r", instanceProfile: "p", instanceSecurityGroup: "sg" },
        refreshStopAlarmNames,
      });
    }).json;

  test("THEN the refresh stops on the alarms given, and on none when none are given", () => {
    expect(only(withStopAlarms(["a", "b"]), "aws_autoscaling_group").instance_refresh.preferences.alarm_specification).toEqual({ alarms: ["a", "b"] });
    expect(only(withStopAlarms(), "aws_autoscaling_group").instance_refresh.preferences.alarm_specification).toBeUndefined();
  });

  test("refuses more alarms than the Auto Scaling API takes (10)", () => {
    expect(() => withStopAlarms(Array.from({ length: 11 }, (_, i) => `a${i}`))).toThrow("refreshStopAlarmNames: at most 10 alarms");
  });
});

describe("ClusterCapacity checks the instance type against EC2's own description, at plan time", () => {
  /** GIVEN a ClusterCapacity for the spec's daemon task (3072 CPU units, 6144 MiB), with or without a CPU policy. */
  const build = (scalingPolicyName?: string) =>
    synthConstruct((scope) => {
      const env = stagingConfig();
      new ClusterCapacity(scope, "capacity", {
        cluster: { name: "c", arn: "arn:aws:ecs:us-east-1:744590032041:cluster/c" },
        config: env.capacity,
        launchTemplateName: "lt",
        vpcId: "vpc-1",
        subnetIds: ["subnet-1"],
        names: { instanceRole: "r", instanceProfile: "p", instanceSecurityGroup: "sg" },
        scalingPolicyName,
        daemonTask: { cpu: 3072, memoryMiB: 6144 },
      });
    }).json;

  test("THEN it reads the configured type and guards the launch template with arm64, CPU and memory preconditions", () => {
    const json = build();
    const type = addressOf(json, "aws_ec2_instance_type", "data");
    expect(only(json, "aws_ec2_instance_type", "data").instance_type).toBe("c6g.xlarge");
    const checks = only(json, "aws_launch_template").lifecycle.precondition;
    expect(checks.map((c: { condition: string }) => c.condition)).toEqual([
      `\${contains(${type}.supported_architectures, "arm64")}`,
      `\${3072 <= ${type}.default_vcpus * 1024}`,
      `\${6144 <= floor(${type}.memory_size * 0.9) - 256}`,
    ]);
    expect(checks.map((c: { error_message: string }) => c.error_message.split(":")[0])).toEqual(["capacity.instanceType", "task.cpu", "task.memory"]);
  });

  test("THEN with a CPU policy, the target must stay below the daemon task's share of the instance", () => {
    const json = build("cpu-policy");
    const type = addressOf(json, "aws_ec2_instance_type", "data");
    const checks = only(json, "aws_launch_template").lifecycle.precondition;
    expect(checks[3]).toEqual({
      condition: `\${60 < floor(3072 * 100 / (${type}.default_vcpus * 1024))}`,
      error_message: expect.stringMatching(/^capacity\.cpuTargetPercent: 60 is never reached/),
    });
  });

  test.each([
    [{ minSize: 3, desiredCapacity: 2, maxSize: 2 }, /^capacity\.minSize: must be <= capacity\.maxSize \(2\)/],
    [{ minSize: 1, desiredCapacity: 1, maxSize: 1 }, /^capacity\.maxSize: must be above capacity\.minSize \(1\)/],
    [{ minSize: 1, desiredCapacity: 3, maxSize: 2 }, /^capacity\.desiredCapacity: must be between/],
  ])("sizes %j: THEN it refuses them, naming the config field", (sizes, message) => {
    expect(() => ClusterCapacity.checkSizes(sizes)).toThrow(message);
  });
});
