import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { Codepipeline } from "@cdktf/provider-aws/lib/codepipeline";
import { CodestarconnectionsConnection } from "@cdktf/provider-aws/lib/codestarconnections-connection";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { PipelineConfig } from "../../config";
import type { ClusterRef } from "../compute/cluster";
import type { ServiceRef } from "../workload/daemon-service";
import { IMAGE_DEFINITIONS_FILE, imageBuildspec } from "./buildspec";
import { AccessLogBucket, HardenedBucket } from "../shared/hardened-bucket";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../shared/iam-policy";
import { acceptFinding, acceptShortRetention } from "../shared/policy-exceptions";

export interface ImagePipelineProps {
  /** Source, build and artifact settings (config `pipeline`). */
  readonly config: PipelineConfig;
  /** The account of the pipeline, its roles and the image repository. */
  readonly accountId: string;
  /** The region of the pipeline and its resources. */
  readonly region: string;
  /** The names the configuration does not give (src/config/environment-names.ts). */
  readonly names: { readonly buildRole: string; readonly pipelineRole: string; readonly buildLogGroup: string };
  /** The repository the build pushes to (its name, ARN and URL). */
  readonly imageRepository: { readonly name: string; readonly arn: string; readonly repositoryUrl: string };
  /** The tag the task definition runs (pushed on every build). */
  readonly movingTag: string;
  /** The container whose image the deploy action replaces (imagedefinitions.json). */
  readonly containerName: string;
  /** The cluster of the service the pipeline deploys to. */
  readonly cluster: ClusterRef;
  /** The service the deploy action updates (the pipeline role may update only it). */
  readonly service: ServiceRef;
  /** The task definition family the deploy action registers revisions of. */
  readonly taskFamily: string;
  /** The task's execution and task roles: the ECS deploy action registers revisions that name them. */
  readonly taskRoleArns: readonly string[];
  /** The environment's KMS key: artifacts, build logs and build output are encrypted with it. */
  readonly kmsKeyArn: string;
  /** Bucket that receives the artifact bucket's S3 access logs. */
  readonly accessLogBucket: AccessLogBucket;
}

/** The artifact bucket and its key, as the roles' policies need them. */
interface ArtifactStore {
  readonly bucketArn: string;
  readonly keyArn: string;
}

/**
 * The delivery pipeline: a push to the repository's branch starts it (CodeConnections source with change
 * detection), CodeBuild builds the ARM64 image on an ARM container and pushes it to ECR, and the standard
 * ECS deploy action rolls it out to the service.
 */
export class ImagePipeline extends Construct {
  readonly pipelineName: string;
  readonly connectionArn: string;
  /** The build's CloudWatch log group. */
  readonly buildLogGroupName: string;

  constructor(scope: Construct, id: string, props: ImagePipelineProps) {
    super(scope, id);
    const { config } = props;

    const connectionArn =
      "arn" in config.source.connection
        ? config.source.connection.arn
        : new CodestarconnectionsConnection(this, "connection", {
            // Created PENDING: an administrator approves it once in the console (see README).
            name: config.source.connection.name,
            providerType: config.source.connection.providerType,
          }).arn;
    this.connectionArn = connectionArn;

    const artifactBucket = new HardenedBucket(this, "artifacts", {
      bucketName: config.artifactBucket,
      encryption: { kind: "kms", keyArn: props.kmsKeyArn },
      accessLogs: { target: props.accessLogBucket, prefix: `${config.artifactBucket}/` },
      currentVersionExpiryDays: config.artifactExpiryDays,
      noncurrentVersionExpiryDays: 7,
      acceptedFindings: {
        CKV_AWS_144: "Pipeline artifacts are rebuilt from git on every run; a replica in a second region would never be read.",
        CKV2_AWS_62: "CodePipeline reads and writes this bucket itself; nothing else consumes its object events.",
      },
    });
    const artifacts: ArtifactStore = { bucketArn: artifactBucket.arn, keyArn: props.kmsKeyArn };

    const buildLogGroup = new CloudwatchLogGroup(this, "build_log_group", {
      name: props.names.buildLogGroup,
      retentionInDays: config.build.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    acceptShortRetention(buildLogGroup, config.build.logRetentionDays);
    this.buildLogGroupName = buildLogGroup.name;

    const project = this.build(props, artifacts, buildLogGroup);
    const pipeline = this.pipeline(props, { ...artifacts, bucketName: artifactBucket.bucketName }, connectionArn, project);
    // Failed runs are announced by observability/pipeline-failure-notification.ts, on the alarm topic.
    this.pipelineName = pipeline.name;
  }

  /** The build: its role (artifacts, logs, push to the repository), the buildspec and the CodeBuild project. */
  private build(props: ImagePipelineProps, artifacts: ArtifactStore, buildLogGroup: CloudwatchLogGroup): CodebuildProject {
    const { config } = props;
    const buildRole = new IamRole(this, "build_role", {
      name: props.names.buildRole,
      description: `CodeBuild ${config.build.projectName}: build the image and push it to ${props.imageRepository.name}`,
      assumeRolePolicy: serviceTrustPolicy("codebuild.amazonaws.com", props.accountId),
    });
    new IamRolePolicy(this, "build_policy", {
      name: "image-build",
      role: buildRole.id,
      policy: policyDocument([
        {
          Sid: "WriteBuildLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${buildLogGroup.arn}:log-stream:*`,
        },
        ...artifactAccess(artifacts, "ReadWriteArtifacts"),
        // GetAuthorizationToken is account-wide and supports no resource scoping (ECR IAM reference).
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "EcrPushThisRepository",
          Effect: "Allow",
          Action: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:DescribeImages",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart",
          ],
          Resource: props.imageRepository.arn,
        },
      ]),
    });

    const buildspec =
      config.build.buildspec === "inline"
        ? JSON.stringify(
            imageBuildspec({
              registry: `${props.accountId}.dkr.ecr.${props.region}.amazonaws.com`,
              repositoryName: props.imageRepository.name,
              repositoryUrl: props.imageRepository.repositoryUrl,
              movingTag: props.movingTag,
              containerName: props.containerName,
              dockerfile: config.build.dockerfile,
              context: config.build.context,
            }),
            null,
            2,
          )
        : config.build.buildspec.repositoryPath;

    const project = new CodebuildProject(this, "build_project", {
      name: config.build.projectName,
      description: `Builds the ARM64 image of ${config.source.repositoryId} into ${props.imageRepository.name}`,
      serviceRole: buildRole.arn,
      buildTimeout: config.build.timeoutMinutes,
      encryptionKey: artifacts.keyArn,
      source: { type: "CODEPIPELINE", buildspec },
      artifacts: { type: "CODEPIPELINE" },
      environment: {
        type: "ARM_CONTAINER",
        image: config.build.image,
        computeType: config.build.computeType,
        // Docker builds need the Docker daemon, which needs a privileged build container.
        privilegedMode: true,
        imagePullCredentialsType: "CODEBUILD",
      },
      logsConfig: { cloudwatchLogs: { groupName: buildLogGroup.name, status: "ENABLED" } },
    });
    acceptFinding(project, "CKV_AWS_316", "Privileged mode runs the Docker daemon that builds the image; the build runs only this repository's Dockerfile.");
    return project;
  }

  /** The pipeline: its role, and Source (CodeConnections) -> Build (CodeBuild) -> Deploy (ECS). */
  private pipeline(
    props: ImagePipelineProps,
    artifacts: ArtifactStore & { readonly bucketName: string },
    connectionArn: string,
    project: CodebuildProject,
  ): Codepipeline {
    const { config } = props;
    const buildProjectArn = `arn:aws:codebuild:${props.region}:${props.accountId}:project/${config.build.projectName}`;
    const pipelineRole = new IamRole(this, "pipeline_role", {
      name: props.names.pipelineRole,
      description: `CodePipeline ${config.name}: source, build, deploy to ${props.service.name}`,
      assumeRolePolicy: serviceTrustPolicy("codepipeline.amazonaws.com", props.accountId),
    });
    new IamRolePolicy(this, "pipeline_policy", {
      name: "image-pipeline",
      role: pipelineRole.id,
      policy: policyDocument(pipelineStatements(props, artifacts, connectionArn, buildProjectArn)),
    });

    return new Codepipeline(this, "pipeline", {
      name: config.name,
      roleArn: pipelineRole.arn,
      pipelineType: "V2",
      // A newer push waits for the running deployment instead of superseding it mid-rollout.
      executionMode: "QUEUED",
      artifactStore: [
        {
          location: artifacts.bucketName,
          type: "S3",
          encryptionKey: { id: artifacts.keyArn, type: "KMS" },
        },
      ],
      stage: [
        {
          name: "Source",
          action: [
            {
              name: "Source",
              category: "Source",
              owner: "AWS",
              provider: "CodeStarSourceConnection",
              version: "1",
              namespace: "SourceVariables",
              outputArtifacts: ["source"],
              configuration: {
                ConnectionArn: connectionArn,
                FullRepositoryId: config.source.repositoryId,
                BranchName: config.source.branch,
                // A push to the branch starts the pipeline.
                DetectChanges: "true",
                OutputArtifactFormat: "CODE_ZIP",
              },
            },
          ],
        },
        {
          name: "Build",
          action: [
            {
              name: "BuildImage",
              category: "Build",
              owner: "AWS",
              provider: "CodeBuild",
              version: "1",
              inputArtifacts: ["source"],
              outputArtifacts: ["image_definitions"],
              configuration: {
                ProjectName: project.name,
                EnvironmentVariables: JSON.stringify([{ name: "COMMIT_ID", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" }]),
              },
            },
          ],
        },
        {
          name: "Deploy",
          action: [
            {
              name: "DeployToService",
              category: "Deploy",
              owner: "AWS",
              provider: "ECS",
              version: "1",
              inputArtifacts: ["image_definitions"],
              configuration: {
                ClusterName: props.cluster.name,
                ServiceName: props.service.name,
                FileName: IMAGE_DEFINITIONS_FILE,
                DeploymentTimeout: "20",
              },
            },
          ],
        },
      ],
    });
  }
}

/** Read and write objects in the artifact bucket, with its KMS key. */
function artifactAccess(artifacts: ArtifactStore, sid: string): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      Resource: `${artifacts.bucketArn}/*`,
    },
    {
      Sid: `${sid}Bucket`,
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:GetBucketVersioning"],
      Resource: artifacts.bucketArn,
    },
    {
      Sid: `${sid}Key`,
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: artifacts.keyArn,
    },
  ];
}

/**
 * The pipeline role: use the connection, run the build, deploy to the one service.
 * ECS deploy action permissions: https://docs.aws.amazon.com/codepipeline/latest/userguide/how-to-custom-role.html
 * Resource types per ECS action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 */
function pipelineStatements(props: ImagePipelineProps, artifacts: ArtifactStore, connectionArn: string, buildProjectArn: string): PolicyStatement[] {
  const ecs = `arn:aws:ecs:${props.region}:${props.accountId}`;
  return [
    ...artifactAccess(artifacts, "ReadWriteArtifacts"),
    // AWS renamed CodeStar Connections to CodeConnections (2024); newer connection ARNs use the new prefix,
    // so both spellings of the one action are granted, on this connection only.
    {
      Sid: "UseSourceConnection",
      Effect: "Allow",
      Action: ["codeconnections:UseConnection", "codestar-connections:UseConnection"],
      Resource: connectionArn,
    },
    { Sid: "RunImageBuild", Effect: "Allow", Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], Resource: buildProjectArn },
    // DescribeTaskDefinition supports no resource-level permissions; RegisterTaskDefinition is scoped by family
    // (its task-definition resource, Service Authorization Reference for ECS), so no other family gets a revision.
    { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
    { Sid: "RegisterTaskRevisions", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: `${ecs}:task-definition/${props.taskFamily}:*` },
    {
      Sid: "TagNewTaskRevisions",
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: `${ecs}:task-definition/${props.taskFamily}:*`,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    },
    { Sid: "DeployThisService", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:UpdateService"], Resource: props.service.arn },
    {
      Sid: "WatchDeployment",
      Effect: "Allow",
      Action: ["ecs:DescribeTasks", "ecs:ListTasks"],
      Resource: [`${ecs}:task/${props.cluster.name}/*`, `${ecs}:container-instance/${props.cluster.name}/*`],
    },
    {
      Sid: "PassTaskRolesToEcs",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: [...props.taskRoleArns],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}
