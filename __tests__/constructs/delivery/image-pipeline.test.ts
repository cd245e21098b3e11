// GIVEN an ImagePipeline with explicit props, WHEN synthesized alone, THEN it deploys to the service it was
// given and its role reaches that service, that task family and those roles only.
import { ImagePipeline } from "../../../src/constructs/delivery/image-pipeline";
import { AccessLogBucket } from "../../../src/constructs/shared/hardened-bucket";
import { named, only, policy, stagingConfig, synthConstruct } from "../../helpers";

const ECS = "arn:aws:ecs:eu-west-1:111122223333";
const ROLES = ["arn:aws:iam::111122223333:role/app-exec", "arn:aws:iam::111122223333:role/app-task"];

const { json } = synthConstruct((scope) => {
  new ImagePipeline(scope, "pipeline", {
    config: { ...stagingConfig().pipeline!, name: "app-pipeline", artifactBucket: "app-artifacts-111122223333" },
    accountId: "111122223333",
    region: "eu-west-1",
    names: { buildRole: "app-build", pipelineRole: "app-pipeline", buildLogGroup: "/codebuild/app" },
    imageRepository: {
      name: "app",
      arn: "arn:aws:ecr:eu-west-1:111122223333:repository/app",
      repositoryUrl: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app",
    },
    movingTag: "test",
    containerName: "web",
    cluster: { name: "app-cluster", arn: `${ECS}:cluster/app-cluster` },
    service: { name: "app-service", arn: `${ECS}:service/app-cluster/app-service` },
    taskFamily: "app_task",
    taskRoleArns: ROLES,
    kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
    accessLogBucket: new AccessLogBucket(scope, "logs", {
      bucketName: "app-logs-111122223333",
      accountId: "111122223333",
      region: "eu-west-1",
      retentionDays: 30,
    }),
  });
});
const pipeline = only(json, "aws_codepipeline");
const pipelineRole = named(json, "aws_iam_role_policy", "pipeline_policy");
const statements: any[] = policy(pipelineRole.policy).Statement;
const sid = (id: string) => statements.find((s) => s.Sid === id);

describe("ImagePipeline (construct alone)", () => {
  test("THEN the deploy stage updates the given cluster and service with the given container's image", () => {
    const deploy = pipeline.stage.find((s: { name: string }) => s.name === "Deploy").action[0];
    expect(deploy.configuration).toMatchObject({ ClusterName: "app-cluster", ServiceName: "app-service" });
    expect(pipeline.name).toBe("app-pipeline");
  });

  test("THEN its role updates only that service, registers only that family and passes only those roles", () => {
    expect(sid("DeployThisService").Resource).toBe(`${ECS}:service/app-cluster/app-service`);
    expect(sid("RegisterTaskRevisions").Resource).toBe(`${ECS}:task-definition/app_task:*`);
    expect(sid("PassTaskRolesToEcs").Resource).toEqual(ROLES);
  });

  test("THEN the build pushes the moving tag to the given repository", () => {
    const build = only(json, "aws_codebuild_project");
    expect(JSON.stringify(build)).toContain("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app");
    expect(JSON.stringify(build)).toContain("test");
  });
});
