// Whole-environment facts: the staging stack's task definition is the spec's (docs/spec.md), value by value.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { ContainerDefinition } from "../../src/constructs/workload/container-definition";
import { named, only, policy, ref, refNamed, stagingConfig, synthPlatform } from "../helpers";

/** The task definition block of the spec (docs/spec.md lists its values), copied verbatim into a fixture. */
const spec = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "spec-task-definition.json"), "utf8"));
const specContainer = spec.containerDefinitions[0];

const { synth, json } = synthPlatform();
const taskDefinition = only(json, "aws_ecs_task_definition");
const containers: ContainerDefinition[] = JSON.parse(taskDefinition.container_definitions);
const container = containers[0];

describe("task definition", () => {
  test("has the spec's family, EC2 compatibility, Linux/ARM64 platform and awsvpc", () => {
    expect(synth).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: spec.family,
      requires_compatibilities: spec.requiresCompatibilities,
      runtime_platform: { operating_system_family: "LINUX", cpu_architecture: "ARM64" },
      network_mode: spec.networkMode,
    });
  });

  test("reserves 3 vCPU and 6 GB written as the numbers ECS reads back", () => {
    expect(spec.cpu).toBe("3 vCPU");
    expect(spec.memory).toBe("6 GB");
    expect(taskDefinition.cpu).toBe(String(3 * 1024));
    expect(taskDefinition.memory).toBe(String(6 * 1024));
  });

  test("uses the execution role named in the spec and a task role of its own", () => {
    expect(spec.executionRoleArn).toBe("arn:aws:iam::744590032041:role/ecsTaskExecutionRole");
    expect(synth).toHaveResourceWithProperties(IamRole, { name: "ecsTaskExecutionRole" });
    expect(taskDefinition.execution_role_arn).toBe(refNamed(json, "aws_iam_role", "execution_role", "arn"));
    expect(taskDefinition.task_role_arn).toBe(refNamed(json, "aws_iam_role", "task_role", "arn"));
    expect(synth).toHaveResourceWithProperties(IamRole, { name: "myslp-staging-task" });
  });

  test("has exactly one container, the spec's essential slp_saas from the spec's image", () => {
    expect(containers).toHaveLength(1);
    expect(container.name).toBe(specContainer.name);
    expect(container.essential).toBe(true);
    expect(container.image).toBe(specContainer.image);
    expect(container.image).toBe("744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:staging");
  });

  test("maps port 80 with the host port equal to the container port (awsvpc)", () => {
    expect(container.portMappings).toEqual([{ containerPort: 80, hostPort: 80, protocol: "tcp" }]);
    expect(specContainer.portMappings).toEqual([{ containerPort: 80, hostPort: 80 }]);
  });

  test("passes every environment variable of the spec with the spec's exact value", () => {
    expect(specContainer.environment).toHaveLength(6);
    for (const variable of specContainer.environment) {
      expect(container.environment).toContainEqual({ name: variable.name, value: variable.value });
    }
  });

  test("passes WORDPRESS_CONFIG_EXTRA byte for byte", () => {
    const extra = container.environment.find((e) => e.name === "WORDPRESS_CONFIG_EXTRA");
    const specExtra = specContainer.environment.find((e: { name: string }) => e.name === "WORDPRESS_CONFIG_EXTRA");
    expect(Buffer.from(extra!.value)).toEqual(Buffer.from(specExtra.value));
    expect(extra!.value).toContain("getenv_docker('WP_HOSTURL', 'staging.storelocatorplus.com')");
  });

  test("adds the database name and user the image expects", () => {
    expect(container.environment).toContainEqual({ name: "WORDPRESS_DB_NAME", value: "myslp_dashboard" });
    expect(container.environment).toContainEqual({ name: "WORDPRESS_DB_USER", value: "myslp_genesis" });
    expect(container.environment.map((e) => e.name)).toEqual([
      "WP_HOSTURL",
      "WP_HOME",
      "WP_SITEURL",
      "WORDPRESS_DB_HOST",
      "WORDPRESS_DEBUG",
      "WORDPRESS_CONFIG_EXTRA",
      "WORDPRESS_DB_NAME",
      "WORDPRESS_DB_USER",
    ]);
  });

  test("takes WORDPRESS_DB_PASSWORD from the Secrets Manager secret, never as an environment value", () => {
    expect(container.environment.map((e) => e.name)).not.toContain("WORDPRESS_DB_PASSWORD");
    expect(container.secrets).toEqual([{ name: "WORDPRESS_DB_PASSWORD", valueFrom: ref(json, "aws_secretsmanager_secret", "arn") }]);
    expect(synth).toHaveResourceWithProperties(SecretsmanagerSecret, { name: "myslp/staging/wordpress-db-password" });
    expect(JSON.stringify(only(json, "aws_secretsmanager_secret"))).not.toMatch(/secret_string/);
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test("logs to a CloudWatch log group with retention", () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/ecs/slp_saas_staging", retention_in_days: 30 });
    expect(container.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: {
        "awslogs-group": refNamed(json, "aws_cloudwatch_log_group", "task_log_group", "name"),
        "awslogs-region": "us-east-1",
        "awslogs-stream-prefix": "slp_saas",
      },
    });
  });
});

describe("execution role", () => {
  const document = policy(named(json, "aws_iam_role_policy", "execution_role_policy").policy);
  const statement = (sid: string) => document.Statement.find((s) => s.Sid === sid);

  test("is assumed only by ECS tasks of this account", () => {
    const role = named(json, "aws_iam_role", "execution_role");
    expect(policy(role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "744590032041" } },
      },
    ]);
  });

  test("pulls only from the image repository", () => {
    expect(statement("EcrPullThisRepository")).toEqual({
      Sid: "EcrPullThisRepository",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: ref(json, "aws_ecr_repository", "arn"),
    });
    // The only unscoped action: ECR's login, which supports no resource (ECR IAM reference).
    expect(document.Statement.filter((s) => s.Resource === "*").map((s) => s.Action)).toEqual(["ecr:GetAuthorizationToken"]);
  });

  test("writes only to the task's log group", () => {
    expect(statement("WriteTaskLogs")).toMatchObject({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${refNamed(json, "aws_cloudwatch_log_group", "task_log_group", "arn")}:log-stream:*`,
    });
  });

  test("reads only the one database secret", () => {
    expect(statement("ReadDatabasePassword")).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: ref(json, "aws_secretsmanager_secret", "arn"),
    });
    expect(document.Statement.filter((s) => JSON.stringify(s.Action).includes("secretsmanager"))).toHaveLength(1);
  });

  test("grants no wildcard action", () => {
    for (const s of document.Statement) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/\*/);
    }
  });
});

describe("database password reference from config", () => {
  test("an existing secret by name is looked up, not created", () => {
    const { json: j } = synthPlatform(stagingConfig((r) => (r.wordpress.database.passwordSecret = { name: "myslp/staging/db", create: false })));
    expect(j.resource.aws_secretsmanager_secret).toBeUndefined();
    expect(only(j, "aws_secretsmanager_secret", "data").name).toBe("myslp/staging/db");
    const c: ContainerDefinition = JSON.parse(only(j, "aws_ecs_task_definition").container_definitions)[0];
    expect(c.secrets[0].valueFrom).toBe(ref(j, "aws_secretsmanager_secret", "arn", "data"));
  });

  test("a secret given by ARN is used as is", () => {
    const arn = "arn:aws:secretsmanager:us-east-1:744590032041:secret:myslp/staging/db-AbCdEf";
    const { json: j } = synthPlatform(stagingConfig((r) => (r.wordpress.database.passwordSecret = { arn })));
    const c: ContainerDefinition = JSON.parse(only(j, "aws_ecs_task_definition").container_definitions)[0];
    expect(c.secrets).toEqual([{ name: "WORDPRESS_DB_PASSWORD", valueFrom: arn }]);
    expect(policy(named(j, "aws_iam_role_policy", "execution_role_policy").policy).Statement).toContainEqual(
      expect.objectContaining({ Action: "secretsmanager:GetSecretValue", Resource: arn }),
    );
  });
});

describe("debug setting", () => {
  test("with debug off, WORDPRESS_DEBUG is absent (the image treats any value, even 'false', as on)", () => {
    const { json: j } = synthPlatform(stagingConfig((r) => (r.wordpress.debug = false)));
    const c: ContainerDefinition = JSON.parse(only(j, "aws_ecs_task_definition").container_definitions)[0];
    expect(c.environment.map((e) => e.name)).not.toContain("WORDPRESS_DEBUG");
  });
});
