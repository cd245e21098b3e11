// GIVEN a WordpressTaskDefinition with explicit props, WHEN synthesized alone, THEN it holds what it was given
// and the database password only as a secret reference.
import { WordpressTaskDefinition } from "../../../src/constructs/workload/task-definition";
import type { ContainerDefinition } from "../../../src/constructs/workload/container-definition";
import { only, policy, stagingConfig, synthConstruct } from "../../helpers";

const SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-AbCdEf";

function synthTask(change: (task: ReturnType<typeof stagingConfig>["task"]) => void = () => {}) {
  const env = stagingConfig();
  const task = { ...env.task, family: "app_test", cpu: 1024, memory: 2048, image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:test" };
  change(task);
  return synthConstruct((scope) => {
    new WordpressTaskDefinition(scope, "task", {
      task,
      wordpress: env.wordpress,
      accountId: "111122223333",
      region: "eu-west-1",
      databasePasswordSecretArn: SECRET,
      kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
    });
  }).json;
}

describe("WordpressTaskDefinition (construct alone)", () => {
  const json = synthTask();
  const definition = only(json, "aws_ecs_task_definition");
  const [container]: ContainerDefinition[] = JSON.parse(definition.container_definitions);

  test("THEN the family, CPU, memory and image are the props'", () => {
    expect([definition.family, definition.cpu, definition.memory, container.image]).toEqual([
      "app_test",
      "1024",
      "2048",
      "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:test",
    ]);
  });

  test("THEN the password reaches the container as a secret from the given ARN, never as a variable", () => {
    expect(container.secrets).toEqual([{ name: "WORDPRESS_DB_PASSWORD", valueFrom: SECRET }]);
    expect(JSON.stringify(container.environment)).not.toMatch(/PASSWORD/);
  });

  test("THEN only the execution role may read that secret", () => {
    const statements = Object.values(json.resource.aws_iam_role_policy ?? {}).flatMap((p: any) => policy(p.policy).Statement);
    const readers = statements.filter((s: any) => [s.Action].flat().includes("secretsmanager:GetSecretValue"));
    expect(readers.map((s: any) => s.Resource)).toEqual([SECRET]);
  });
});
