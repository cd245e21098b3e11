// Whole-environment facts: the staging stack's image pipeline (source, build, deploy, its roles and bucket) and the pipeline config rules.
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { CodestarnotificationsNotificationRule } from "@cdktf/provider-aws/lib/codestarnotifications-notification-rule";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { Buildspec } from "../../src/constructs/delivery/buildspec";
import { all, expectConfigError, named, only, policy, problemsOf, ref, refNamed, stagingConfig, stagingRaw, synthPlatform } from "../helpers";

const { synth, json } = synthPlatform();
const pipeline = only(json, "aws_codepipeline");
const stage = (name: string) => pipeline.stage.find((s: { name: string }) => s.name === name);
const action = (stageName: string) => {
  const actions = stage(stageName).action;
  expect(actions).toHaveLength(1);
  return actions[0];
};
const project = only(json, "aws_codebuild_project");
const buildspec: Buildspec = JSON.parse(project.source.buildspec);
const allCommands = Object.values(buildspec.phases).flatMap((p) => p.commands);

describe("pipeline stages", () => {
  test("are Source, Build and Deploy, in that order, on a V2 pipeline", () => {
    expect(pipeline.stage.map((s: { name: string }) => s.name)).toEqual(["Source", "Build", "Deploy"]);
    expect(pipeline.name).toBe("myslp-staging-image");
    expect(pipeline.pipeline_type).toBe("V2");
    expect(pipeline.role_arn).toBe(refNamed(json, "aws_iam_role", "pipeline_role", "arn"));
  });

  test("Source reads the configured repository and branch through the connection, starting on every push", () => {
    expect(action("Source")).toMatchObject({
      category: "Source",
      owner: "AWS",
      provider: "CodeStarSourceConnection",
      version: "1",
      namespace: "SourceVariables",
      output_artifacts: ["source"],
      configuration: {
        ConnectionArn: ref(json, "aws_codestarconnections_connection", "arn"),
        FullRepositoryId: "storelocatorplus/myslp_aws_ecs_kit",
        BranchName: "main",
        DetectChanges: "true",
      },
    });
    expect(synth).toHaveResourceWithProperties(CodestarconnectionsConnection, { name: "myslp-staging-git", provider_type: "GitHub" });
  });

  test("Build runs the CodeBuild project and hands it the commit id", () => {
    const build = action("Build");
    expect(build).toMatchObject({
      category: "Build",
      provider: "CodeBuild",
      input_artifacts: ["source"],
      output_artifacts: ["image_definitions"],
      configuration: { ProjectName: ref(json, "aws_codebuild_project", "name") },
    });
    expect(JSON.parse(build.configuration.EnvironmentVariables)).toEqual([{ name: "COMMIT_ID", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" }]);
  });

  test("Deploy is the standard ECS action on the environment's cluster and service", () => {
    expect(action("Deploy")).toMatchObject({
      category: "Deploy",
      owner: "AWS",
      provider: "ECS",
      input_artifacts: ["image_definitions"],
      configuration: {
        ClusterName: ref(json, "aws_ecs_cluster", "name"),
        ServiceName: ref(json, "aws_ecs_service", "name"),
        FileName: "imagedefinitions.json",
      },
    });
    expect(only(json, "aws_ecs_cluster").name).toBe("myslp-staging-cluster");
    expect(only(json, "aws_ecs_service").name).toBe("myslp-staging-service");
  });

  test("stores artifacts in the artifact bucket with the KMS key", () => {
    expect(pipeline.artifact_store).toEqual([
      {
        location: refNamed(json, "aws_s3_bucket", "pipeline_artifacts", "bucket"),
        type: "S3",
        encryption_key: { id: ref(json, "aws_kms_key", "arn"), type: "KMS" },
      },
    ]);
  });
});

describe("build project", () => {
  test("builds on an ARM container with the Amazon Linux aarch64 image, privileged for Docker", () => {
    expect(synth).toHaveResourceWithProperties(CodebuildProject, {
      name: "myslp-staging-image",
      environment: {
        type: "ARM_CONTAINER",
        image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
        compute_type: "BUILD_GENERAL1_SMALL",
        privileged_mode: true,
        image_pull_credentials_type: "CODEBUILD",
      },
      source: expect.objectContaining({ type: "CODEPIPELINE" }),
      artifacts: { type: "CODEPIPELINE" },
      encryption_key: ref(json, "aws_kms_key", "arn"),
    });
  });

  test("logs to a CloudWatch log group with retention", () => {
    expect(project.logs_config).toEqual({
      cloudwatch_logs: { group_name: refNamed(json, "aws_cloudwatch_log_group", "build_log_group", "name"), status: "ENABLED" },
    });
    expect(named(json, "aws_cloudwatch_log_group", "build_log_group")).toMatchObject({ name: "/codebuild/myslp-staging-image", retention_in_days: 30 });
  });

  test("buildspec logs in to the account's ECR registry", () => {
    expect(buildspec.version).toBe("0.2");
    expect(buildspec.env.variables.REGISTRY).toBe("744590032041.dkr.ecr.us-east-1.amazonaws.com");
    expect(buildspec.phases.pre_build.commands[0]).toBe(
      "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $REGISTRY",
    );
  });

  test("buildspec builds the configured Dockerfile for linux/arm64 with both tags", () => {
    expect(buildspec.env.variables).toMatchObject({ DOCKERFILE: "Dockerfile", BUILD_CONTEXT: ".", MOVING_TAG: "staging" });
    expect(buildspec.env.variables.REPOSITORY_URI).toBe(ref(json, "aws_ecr_repository", "repository_url"));
    expect(buildspec.phases.build.commands).toEqual([
      'docker build --platform linux/arm64 --file "$DOCKERFILE" --tag "$REPOSITORY_URI:$COMMIT_TAG" --tag "$REPOSITORY_URI:$MOVING_TAG" "$BUILD_CONTEXT"',
    ]);
  });

  test("buildspec pushes the staging tag and the immutable commit tag", () => {
    expect(allCommands).toContain('docker push "$REPOSITORY_URI:$MOVING_TAG"');
    expect(allCommands.some((c) => c.includes('docker push "$REPOSITORY_URI:$COMMIT_TAG"'))).toBe(true);
    expect(allCommands).toContain('COMMIT_TAG="$(echo "$COMMIT_ID" | cut -c 1-12)"');
  });

  test("buildspec writes imagedefinitions.json naming container slp_saas with the commit's image", () => {
    expect(buildspec.env.variables.CONTAINER_NAME).toBe("slp_saas");
    expect(allCommands).toContain(`printf '[{"name":"%s","imageUri":"%s"}]' "$CONTAINER_NAME" "$REPOSITORY_URI:$COMMIT_TAG" > imagedefinitions.json`);
    expect(buildspec.artifacts.files).toEqual(["imagedefinitions.json"]);
  });

  test("buildspec stops at the first failed phase", () => {
    expect(Object.values(buildspec.phases).map((p) => p["on-failure"])).toEqual(["ABORT", "ABORT", "ABORT"]);
  });

  test("buildspec holds no Terraform template syntax of its own", () => {
    const withoutReferences = project.source.buildspec.replace(/\$\{aws_[a-z0-9_]+\.[A-Za-z0-9_]+\.[a-z_]+\}/g, "");
    expect(withoutReferences).not.toMatch(/\$\{|%\{/);
  });

  test("can use the repository's own buildspec instead", () => {
    const j = synthPlatform(stagingConfig((r) => (r.pipeline!.build.buildspec = { repositoryPath: "ci/buildspec.yml" }))).json;
    expect(only(j, "aws_codebuild_project").source.buildspec).toBe("ci/buildspec.yml");
  });
});

describe("pipeline IAM", () => {
  const pipelinePolicy = policy(named(json, "aws_iam_role_policy", "pipeline_policy").policy);
  const buildPolicy = policy(named(json, "aws_iam_role_policy", "build_policy").policy);
  const statement = (doc: { Statement: any[] }, sid: string) => {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const kmsKey = ref(json, "aws_kms_key", "arn");
  const bucketArn = refNamed(json, "aws_s3_bucket", "pipeline_artifacts", "arn");

  test("uses one role for the pipeline and one for the build, each trusted by its own service", () => {
    expect(policy(named(json, "aws_iam_role", "pipeline_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "codepipeline.amazonaws.com" });
    expect(policy(named(json, "aws_iam_role", "build_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "codebuild.amazonaws.com" });
    expect(project.service_role).toBe(refNamed(json, "aws_iam_role", "build_role", "arn"));
  });

  test("grants no wildcard action in either role", () => {
    for (const doc of [pipelinePolicy, buildPolicy]) {
      for (const s of doc.Statement) for (const a of [s.Action].flat()) expect(a).not.toContain("*");
    }
  });

  test("pipeline: the connection only", () => {
    expect(statement(pipelinePolicy, "UseSourceConnection")).toEqual({
      Sid: "UseSourceConnection",
      Effect: "Allow",
      Action: ["codeconnections:UseConnection", "codestar-connections:UseConnection"],
      Resource: ref(json, "aws_codestarconnections_connection", "arn"),
    });
  });

  test("pipeline: start and watch this build project only", () => {
    expect(statement(pipelinePolicy, "RunImageBuild")).toMatchObject({
      Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
      Resource: "arn:aws:codebuild:us-east-1:744590032041:project/myslp-staging-image",
    });
  });

  test("pipeline: update this service only, register revisions of its own family only", () => {
    expect(statement(pipelinePolicy, "DeployThisService")).toMatchObject({
      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
      Resource: ref(json, "aws_ecs_service", "id"),
    });
    expect(statement(pipelinePolicy, "RegisterTaskRevisions")).toMatchObject({
      Action: "ecs:RegisterTaskDefinition",
      Resource: "arn:aws:ecs:us-east-1:744590032041:task-definition/slp_saas_staging:*",
    });
    // DescribeTaskDefinition takes no resource: the only unscoped statement.
    expect(pipelinePolicy.Statement.filter((s) => s.Resource === "*").map((s) => s.Sid)).toEqual(["ReadTaskDefinitions"]);
  });

  test("pipeline: passes only the task's two roles, and only to ECS tasks", () => {
    expect(statement(pipelinePolicy, "PassTaskRolesToEcs")).toEqual({
      Sid: "PassTaskRolesToEcs",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: [refNamed(json, "aws_iam_role", "execution_role", "arn"), refNamed(json, "aws_iam_role", "task_role", "arn")],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    });
  });

  test("both: the artifact bucket and its key only", () => {
    for (const doc of [pipelinePolicy, buildPolicy]) {
      expect(statement(doc, "ReadWriteArtifacts")).toMatchObject({
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
        Resource: `${bucketArn}/*`,
      });
      expect(statement(doc, "ReadWriteArtifactsBucket").Resource).toBe(bucketArn);
      expect(statement(doc, "ReadWriteArtifactsKey")).toMatchObject({ Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: kmsKey });
      const s3Resources = doc.Statement.filter((s) => [s.Action].flat().some((a: string) => a.startsWith("s3:"))).flatMap((s) => [s.Resource].flat());
      expect(s3Resources.every((r: string) => r.startsWith(bucketArn))).toBe(true);
    }
  });

  test("build: push to this repository only, and write its own logs", () => {
    expect(statement(buildPolicy, "EcrPushThisRepository")).toMatchObject({
      Action: expect.arrayContaining(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]),
      Resource: ref(json, "aws_ecr_repository", "arn"),
    });
    expect(buildPolicy.Statement.filter((s) => s.Resource === "*").map((s) => s.Action)).toEqual(["ecr:GetAuthorizationToken"]);
    expect(statement(buildPolicy, "WriteBuildLogs").Resource).toBe(`${refNamed(json, "aws_cloudwatch_log_group", "build_log_group", "arn")}:log-stream:*`);
  });
});

describe("artifact bucket", () => {
  const bucket = refNamed(json, "aws_s3_bucket", "pipeline_artifacts", "id");
  const forBucket = (type: string) => all(json, type).find((r) => r.bucket === bucket);

  test("is named from config, versioned and encrypted with the rotating KMS key", () => {
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "myslp-staging-pipeline-artifacts-744590032041" });
    expect(synth).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(forBucket("aws_s3_bucket_versioning")!.versioning_configuration).toEqual({ status: "Enabled" });
    expect(forBucket("aws_s3_bucket_server_side_encryption_configuration")!.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: ref(json, "aws_kms_key", "arn") }, bucket_key_enabled: true },
    ]);
  });

  test("blocks public access and denies plain HTTP", () => {
    expect(forBucket("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const deny = policy(forBucket("aws_s3_bucket_policy")!.policy).Statement[0];
    expect(deny).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("expires old artifacts", () => {
    expect(forBucket("aws_s3_bucket_lifecycle_configuration")!.rule[0].expiration).toEqual([{ days: 30 }]);
  });
});

describe("pipeline options", () => {
  test("an existing connection is used by ARN, none created", () => {
    const arn = "arn:aws:codestar-connections:us-east-1:744590032041:connection/0123abcd-0123-4567-89ab-0123456789ab";
    const j = synthPlatform(stagingConfig((r) => (r.pipeline!.source.connection = { arn }))).json;
    expect(j.resource.aws_codestarconnections_connection).toBeUndefined();
    expect(only(j, "aws_codepipeline").stage[0].action[0].configuration.ConnectionArn).toBe(arn);
  });

  test("failed runs are announced on the alarm topic by an EventBridge rule, not by a separate topic setting", () => {
    expect(synth).not.toHaveResource(CodestarnotificationsNotificationRule);
    expect(only(json, "aws_cloudwatch_event_target").arn).toBe(ref(json, "aws_sns_topic", "arn"));
    const problems = problemsOf(
      Object.assign(stagingRaw(), { pipeline: { ...stagingRaw().pipeline, failureTopicArn: "arn:aws:sns:us-east-1:744590032041:x" } }),
    );
    expect(problems).toContainEqual(expect.stringContaining('pipeline: Unrecognized key: "failureTopicArn"'));
  });

  test("an environment without a pipeline has none", () => {
    const j = synthPlatform(stagingConfig((r) => delete r.pipeline)).json;
    expect(j.resource.aws_codepipeline).toBeUndefined();
    expect(j.resource.aws_codebuild_project).toBeUndefined();
  });
});

describe("pipeline config validation", () => {
  const cases: [string, (r: any) => void, string, string][] = [
    ["empty repository id", (r) => (r.pipeline!.source.repositoryId = ""), "pipeline.source.repositoryId", "must not be empty"],
    ["repository id without owner", (r) => (r.pipeline!.source.repositoryId = "myslp_aws_ecs_kit"), "pipeline.source.repositoryId", "<owner>/<repository>"],
    ["empty branch", (r) => (r.pipeline!.source.branch = ""), "pipeline.source.branch", "must not be empty"],
    ["branch with ..", (r) => (r.pipeline!.source.branch = "a..b"), "pipeline.source.branch", "git branch name"],
    ["unknown git provider", (r) => (r.pipeline!.source.connection.providerType = "SVN"), "pipeline.source.connection", "{ name, providerType }"],
    ["x86 build image", (r) => (r.pipeline!.build.image = "aws/codebuild/standard:7.0"), "pipeline.build.image", "aarch64"],
    ["absolute Dockerfile path", (r) => (r.pipeline!.build.dockerfile = "/etc/passwd"), "pipeline.build.dockerfile", "relative path"],
    ["artifacts in the state bucket", (r) => (r.pipeline!.artifactBucket = r.state.bucket), "pipeline.artifactBucket", "must differ from state.bucket"],
    ["connection name over 32 characters", (r) => (r.pipeline!.source.connection.name = "c".repeat(33)), "pipeline.source.connection.name", "at most 32"],
  ];
  expectConfigError(cases.map(([label, change, field, says]) => ({ case: `rejects ${label}`, change, field, says })));
});
