import { addressOf, expectConfigError, only, stagingConfig, synthPlatform } from "../helpers";

const seed = {
  cluster: "arn:aws:ecs:us-east-1:744590032041:cluster/myslp-staging-cluster",
  autoScalingGroup: "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-ECSAutoScalingGroup-zoFBNbZvjeFk",
  launchTemplate: "lt-07e8f4ebedbe1c2ff",
  service: "myslp-staging-cluster/myslp-staging-service",
  imageRepository: "myslp2024-aarch64",
  executionRole: "ecsTaskExecutionRole",
};

describe("adopting the console-built staging environment", () => {
  const { json } = synthPlatform();
  const imports = json.import ?? [];
  const importTo = (type: string) => imports.filter((i) => i.to.startsWith(`${type}.`));

  test.each([
    ["aws_ecs_cluster", "myslp-staging-cluster"],
    ["aws_ecs_cluster_capacity_providers", "myslp-staging-cluster"],
    ["aws_autoscaling_group", seed.autoScalingGroup],
    ["aws_launch_template", "lt-07e8f4ebedbe1c2ff"],
    ["aws_ecs_service", "myslp-staging-cluster/myslp-staging-service"],
    ["aws_ecr_repository", "myslp2024-aarch64"],
  ])("emits one import block for %s with id %s", (type, id) => {
    expect(importTo(type)).toEqual([{ to: addressOf(json, type), id }]);
  });

  test("imports the execution role by name into the execution role resource", () => {
    const roleImports = importTo("aws_iam_role");
    expect(roleImports).toHaveLength(1);
    expect(roleImports[0].id).toBe("ecsTaskExecutionRole");
    expect(json.resource.aws_iam_role[roleImports[0].to.split(".")[1]].name).toBe("ecsTaskExecutionRole");
  });

  test("emits exactly these imports and nothing else", () => {
    expect(imports).toHaveLength(7);
  });

  test("protects every adopted resource from destruction and replacement", () => {
    for (const { to } of imports) {
      const [type, id] = to.split(".");
      expect({ to, lifecycle: json.resource[type][id].lifecycle }).toEqual({ to, lifecycle: expect.objectContaining({ prevent_destroy: true }) });
    }
    expect(only(json, "aws_ecr_lifecycle_policy").lifecycle).toBeUndefined();
  });

  test("keeps the adopted launch template's live name (no name in config)", () => {
    expect(only(json, "aws_launch_template").name).toBeUndefined();
  });

  test("keeps the names that would otherwise force a replacement", () => {
    expect(only(json, "aws_ecs_cluster").name).toBe("myslp-staging-cluster");
    expect(only(json, "aws_autoscaling_group").name).toBe(seed.autoScalingGroup);
    expect(only(json, "aws_ecs_service").name).toBe("myslp-staging-service");
    expect(only(json, "aws_ecr_repository").name).toBe("myslp2024-aarch64");
  });

  test("imports the capacity provider by ARN when its live name is configured", () => {
    const j = synthPlatform(
      stagingConfig((r) => {
        r.adopt!.capacityProvider = "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-AsgCapacityProvider";
        r.capacity.capacityProviderName = "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-AsgCapacityProvider";
      }),
    ).json;
    expect((j.import ?? []).filter((i) => i.to.startsWith("aws_ecs_capacity_provider."))).toEqual([
      {
        to: addressOf(j, "aws_ecs_capacity_provider"),
        id: "arn:aws:ecs:us-east-1:744590032041:capacity-provider/Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-AsgCapacityProvider",
      },
    ]);
  });
});

describe("without adopt", () => {
  const { json } = synthPlatform(stagingConfig((r) => delete r.adopt));

  test("no import block is emitted and nothing is protected", () => {
    expect(json.import).toBeUndefined();
    expect(only(json, "aws_ecs_cluster").lifecycle).toBeUndefined();
  });

  test("the launch template gets the derived name", () => {
    expect(only(json, "aws_launch_template").name).toBe("myslp-staging-ecs-arm64");
  });
});

describe("adopt validation", () => {
  const cases: [string, (r: any) => void, string, string][] = [
    ["malformed launch template id", (r) => (r.adopt.launchTemplate = "lt-123"), "adopt.launchTemplate", "lt- and 17 hex digits"],
    ["service without its cluster", (r) => (r.adopt.service = "myslp-staging-service"), "adopt.service", "<cluster name>/<service name>"],
    [
      "cluster ARN of another service",
      (r) => (r.adopt.cluster = "arn:aws:ecs:us-east-1:744590032041:service/x"),
      "adopt.cluster",
      "cluster name or an ECS cluster ARN",
    ],
    [
      "cluster in another account",
      (r) => (r.adopt.cluster = "arn:aws:ecs:us-east-1:111111111111:cluster/myslp-staging-cluster"),
      "adopt.cluster",
      "is in us-east-1/111111111111",
    ],
    ["empty role name", (r) => (r.adopt.executionRole = ""), "adopt.executionRole", "at least 1"],
    ["unknown key", (r) => (r.adopt.vpc = "vpc-1"), "adopt", 'Unrecognized key: "vpc"'],
    ["a cluster name other than the live one", (r) => (r.cluster.name = "myslp-staging"), "cluster.name", "would replace the live cluster"],
    [
      "an ASG name other than the live one",
      (r) => (r.capacity.autoScalingGroupName = "myslp-staging-asg"),
      "capacity.autoScalingGroupName",
      "would replace the live Auto Scaling group",
    ],
    [
      "a launch template name while adopting one",
      (r) => (r.capacity.launchTemplateName = "myslp-staging-ecs-arm64"),
      "capacity.launchTemplateName",
      "must be left unset when adopting launch template lt-07e8f4ebedbe1c2ff",
    ],
    ["a service name other than the live one", (r) => (r.service.name = "myslp-staging-web"), "service.name", "would replace the live service"],
    [
      "an execution role name other than the live one",
      (r) => (r.task.executionRoleName = "myslp-staging-execution"),
      "task.executionRoleName",
      "would replace the live execution role",
    ],
    [
      "an ECR repository name other than the live one",
      (r) => (r.adopt.imageRepository = "myslp2024"),
      "imageRepository.name",
      "would replace the live ECR repository",
    ],
    [
      "a capacity provider name other than the live one",
      (r) => (r.adopt!.capacityProvider = "console-cp"),
      "capacity.capacityProviderName",
      "would replace the live capacity provider",
    ],
    [
      "the console's task definition revision",
      (r) => (r.adopt.taskDefinition = "arn:aws:ecs:us-east-1:744590032041:task-definition/slp_saas_staging:3"),
      "adopt.taskDefinition",
      "task definitions are immutable",
    ],
  ];
  expectConfigError(cases.map(([label, change, field, says]) => ({ case: `rejects ${label}`, change, field, says })));
});
