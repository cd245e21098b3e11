// GIVEN a DaemonService with explicit props, WHEN built alone, THEN it refuses a minimum healthy percent that
// stalls its deployments and deploys with one that does not.
import type { Construct } from "constructs";
import { DaemonService, oneAtATimePercent, tasksStoppedAtOnce } from "../../../src/constructs/workload/daemon-service";
import { WordpressTaskDefinition } from "../../../src/constructs/workload/task-definition";
import { only, stagingConfig, synthConstruct } from "../../helpers";

describe("deployment arithmetic (ECS keeps ceil(instances x percent / 100) daemon tasks running)", () => {
  test.each([
    // instances, percent, stopped at once
    [1, 0, 1],
    [1, 1, 0],
    [1, 50, 0],
    [2, 0, 2],
    [2, 50, 1],
    [2, 51, 0],
    [3, 50, 1],
    [3, 66, 1],
    [3, 67, 0],
    [4, 50, 2],
    [4, 75, 1],
  ])("%i instances at %i%% stop %i at once", (instances, percent, stopped) => {
    expect(tasksStoppedAtOnce(instances, percent)).toBe(stopped);
  });

  test.each([
    [1, 0],
    [2, 50],
    [3, 66],
    [4, 75],
    [10, 90],
  ])("one at a time on %i instances is at most %i%%", (instances, percent) => {
    expect(oneAtATimePercent(instances)).toBe(percent);
    if (instances > 1) {
      expect(tasksStoppedAtOnce(instances, percent)).toBe(1);
      expect(tasksStoppedAtOnce(instances, percent + 1)).toBe(0);
    }
  });
});

describe("DaemonService refuses a minimum healthy percent that stalls its deployments", () => {
  /** GIVEN a task definition, WHEN a DaemonService with id "service" is built with these settings. */
  const build = (percent: number, instances: number) => () =>
    synthConstruct((scope: Construct) => {
      const env = stagingConfig();
      const taskDefinition = new WordpressTaskDefinition(scope, "task", {
        task: env.task,
        wordpress: env.wordpress,
        accountId: env.accountId,
        region: env.region,
        databasePasswordSecretArn: "arn:aws:secretsmanager:us-east-1:744590032041:secret:db-AbCdEf",
        kmsKeyArn: "arn:aws:kms:us-east-1:744590032041:key/1234",
      });
      new DaemonService(scope, "service", {
        name: "svc",
        cluster: { name: "c", arn: "arn:aws:ecs:us-east-1:744590032041:cluster/c" },
        taskDefinition,
        subnetIds: ["subnet-1"],
        securityGroupIds: ["sg-1"],
        deploymentMinimumHealthyPercent: percent,
        minimumInstances: instances,
      });
    });

  test.each([
    [50, 1, "allowed: 0 \\(a single instance replaces its task in place\\)"],
    [51, 2, "allowed: 0-50"],
    [67, 3, "allowed: 0-66"],
  ])("%i%% on %i instances: THEN it throws, naming the config field and what is allowed", (percent, instances, allowed) => {
    expect(build(percent, instances)).toThrow(new RegExp(`^service\\.deploymentMinimumHealthyPercent: ${percent} stalls deployments .*${allowed}`));
  });

  test.each([
    [0, 1],
    [50, 2],
    [66, 3],
  ])("%i%% on %i instances: THEN the service deploys with it", (percent, instances) => {
    const service = only(build(percent, instances)().json, "aws_ecs_service");
    expect(service.deployment_minimum_healthy_percent).toBe(percent);
  });
});
