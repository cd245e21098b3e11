import type { PolicyStatement } from "../shared/iam-policy";
import { type DeployScope, scopeHelpers } from "../shared/deploy-scope";

/*
 * What deploying the delivery constructs needs (the CI deploy role, src/constructs/ci/deploy-permissions.ts):
 * the image repository where the environment manages it, and the image pipeline.
 */

/** The image repository, when this environment manages it. */
export function imageRepositoryDeployStatements(scope: DeployScope): PolicyStatement[] {
  if (!scope.managesImageRepository) return [];
  const { arn } = scopeHelpers(scope);
  return [
    {
      Sid: "ImageRepository",
      Effect: "Allow",
      Action: [
        "ecr:CreateRepository",
        "ecr:DeleteRepository",
        "ecr:PutImageTagMutability",
        "ecr:PutImageScanningConfiguration",
        "ecr:PutLifecyclePolicy",
        "ecr:DeleteLifecyclePolicy",
        "ecr:TagResource",
        "ecr:UntagResource",
      ],
      Resource: arn("ecr", `repository/${scope.imageRepositoryName}`),
    },
  ];
}

/** The image pipeline: CodeBuild, CodePipeline, the connection, the failure rule and its dead-letter queue. */
export function pipelineDeployStatements(scope: DeployScope): PolicyStatement[] {
  if (!scope.pipeline) return [];
  const { arn, creating, tagged } = scopeHelpers(scope);
  const connections = [arn("codestar-connections", "connection/*"), arn("codeconnections", "connection/*")];
  return [
    {
      Sid: "ImagePipeline",
      Effect: "Allow",
      Action: [
        "codebuild:CreateProject",
        "codebuild:UpdateProject",
        "codebuild:DeleteProject",
        "codepipeline:CreatePipeline",
        "codepipeline:UpdatePipeline",
        "codepipeline:DeletePipeline",
        "codepipeline:TagResource",
        "codepipeline:UntagResource",
      ],
      Resource: [arn("codebuild", `project/${scope.pipeline.buildProjectName}`), arn("codepipeline", scope.pipeline.name)],
    },
    // The pipeline-failure notification: an EventBridge rule that sends to the alarm topic, and the
    // dead-letter queue of what it could not deliver.
    {
      Sid: "PipelineFailureRule",
      Effect: "Allow",
      Action: ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"],
      Resource: arn("events", `rule/${scope.pipeline.failureRuleName}`),
    },
    {
      Sid: "PipelineFailureDeadLetterQueue",
      Effect: "Allow",
      Action: ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"],
      Resource: arn("sqs", scope.pipeline.deadLetterQueueName),
    },
    {
      Sid: "SourceConnectionCreate",
      Effect: "Allow",
      Action: ["codestar-connections:CreateConnection", "codeconnections:CreateConnection", "codestar-connections:TagResource", "codeconnections:TagResource"],
      Resource: connections,
      Condition: creating,
    },
    {
      Sid: "SourceConnectionOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "codestar-connections:DeleteConnection",
        "codestar-connections:TagResource",
        "codestar-connections:UntagResource",
        "codestar-connections:PassConnection",
        "codeconnections:DeleteConnection",
        "codeconnections:TagResource",
        "codeconnections:UntagResource",
        "codeconnections:PassConnection",
      ],
      Resource: connections,
      Condition: tagged,
    },
  ];
}
