// Whole-environment facts: the DAEMON service of staging (the spec's) and production.
import { DataAwsEcsTaskDefinition } from "@cdktf/provider-aws/lib/data-aws-ecs-task-definition";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { addressOf, only, productionEnvironment, ref, refNamed, stagingConfig, synthPlatform } from "../helpers";

const { synth, json } = synthPlatform();
const service = only(json, "aws_ecs_service");

describe("DAEMON service", () => {
  test("is named as in the spec and runs in the spec's cluster with the DAEMON strategy", () => {
    expect(synth).toHaveResourceWithProperties(EcsService, {
      name: "myslp-staging-service",
      cluster: ref(json, "aws_ecs_cluster", "arn"),
      scheduling_strategy: "DAEMON",
    });
  });

  test("sets launch type EC2 and no capacity provider strategy (ECS rejects one on DAEMON services)", () => {
    expect(service.launch_type).toBe("EC2");
    expect(service.capacity_provider_strategy).toBeUndefined();
  });

  test("uses the deployment limits ECS allows for DAEMON services", () => {
    expect(service.deployment_maximum_percent).toBe(100);
    expect(service.deployment_minimum_healthy_percent).toBe(0);
    expect(service.desired_count).toBeUndefined();
  });

  test("runs in the configured subnets with the task security group and no public IP", () => {
    expect(service.network_configuration).toEqual({
      subnets: ref(json, "aws_subnets", "ids", "data"),
      security_groups: [refNamed(json, "aws_security_group", "task_security_group", "id")],
      assign_public_ip: false,
    });
  });

  test("runs the newest revision of the slp_saas_staging family: Terraform's, or a newer one from the pipeline", () => {
    const taskDefinition = addressOf(json, "aws_ecs_task_definition");
    const latest = addressOf(json, "aws_ecs_task_definition", "data");
    expect(service.task_definition).toBe(`\${${taskDefinition}.family}:\${max(${taskDefinition}.revision, ${latest}.revision)}`);
    expect(synth).toHaveDataSourceWithProperties(DataAwsEcsTaskDefinition, {
      task_definition: `\${${taskDefinition}.family}`,
      depends_on: [taskDefinition],
    });
    expect(only(json, "aws_ecs_task_definition").family).toBe("slp_saas_staging");
  });
});

describe("deployments", () => {
  test("staging's single instance replaces its task in place (0%: anything else stalls)", () => {
    expect(service.deployment_minimum_healthy_percent).toBe(0);
  });

  test("production keeps half its daemon tasks running: one instance at a time at 2 instances", () => {
    const production = synthPlatform(productionEnvironment()).json;
    expect(only(production, "aws_ecs_service")).toMatchObject({ deployment_minimum_healthy_percent: 50, deployment_maximum_percent: 100 });
  });

  test("the percentage comes from config", () => {
    const j = synthPlatform(
      stagingConfig((r) => Object.assign(r.capacity, { minSize: 3, desiredCapacity: 3, maxSize: 4 }) && (r.service.deploymentMinimumHealthyPercent = 66)),
    ).json;
    expect(only(j, "aws_ecs_service").deployment_minimum_healthy_percent).toBe(66);
  });

  test("no deployment circuit breaker or deployment alarms: AWS documents neither for DAEMON services", () => {
    for (const j of [json, synthPlatform(productionEnvironment()).json]) {
      const s = only(j, "aws_ecs_service");
      expect(s.deployment_circuit_breaker).toBeUndefined();
      expect(s.alarms).toBeUndefined();
    }
  });
});
