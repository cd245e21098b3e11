import { Construct, IConstruct } from "constructs";
import { IAspect } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { CI_IAM_PATH } from "../../config/naming";
import { policyDocument, PolicyStatement } from "../shared/iam-policy";
import { DeployScope, ENVIRONMENT_TAG, scopeHelpers } from "../shared/deploy-scope";
import { environmentRoleArns } from "./deploy-permissions";

/*
 * The permissions boundary of every role an environment's stack creates (task, execution, instance, pipeline
 * and build roles). A role's effective permissions are the intersection of its own policies and its
 * boundary, so whatever policy a deploy role writes into a role of its environment (it may only create and
 * change roles that carry this boundary, ./deploy-permissions.ts), that role can reach only what the
 * environment's workloads need, on the environment's own resources.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 *
 * What the workloads need, by role:
 * - execution role: pull the image, write the task's logs, read the database secret (and decrypt it);
 * - instance role: the ECS agent (AmazonEC2ContainerServiceforEC2Role) and the SSM agent
 *   (AmazonSSMManagedInstanceCore), without that policy's ssm:GetParameter* on every parameter;
 * - pipeline role: artifacts, the source connection, the build, register the task definition, pass the two
 *   task roles to ECS, update the service;
 * - build role: artifacts, its log group, push to the environment's image repository.
 * A test evaluates every statement of every role the stacks synthesize against this boundary
 * (__tests__/stacks/ci-permissions.test.ts).
 */

export function workloadBoundaryStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, tagged } = scopeHelpers(scope);
  const cluster = arn("ecs", `cluster/${scope.clusterName}`);
  const containerInstances = arn("ecs", `container-instance/${scope.clusterName}/*`);
  const repository = arn("ecr", `repository/${scope.imageRepositoryName}`);
  const statements: PolicyStatement[] = [
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "ImageRepositoryOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:DescribeImages",
        ...(scope.pipeline ? ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"] : []),
      ],
      Resource: repository,
    },
    {
      Sid: "LogsOfTheEnvironment",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: scope.logGroupNames.map((name) => arn("logs", `log-group:${name}:log-stream:*`)),
    },
    { Sid: "DatabaseSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: scope.secretArn },
    {
      Sid: "KeysOfTheEnvironment",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: arn("kms", "key/*"),
      Condition: tagged,
    },
    {
      Sid: "EcsAgent",
      Effect: "Allow",
      Action: [
        "ecs:RegisterContainerInstance",
        "ecs:DeregisterContainerInstance",
        "ecs:Poll",
        "ecs:StartTelemetrySession",
        "ecs:SubmitAttachmentStateChanges",
        "ecs:SubmitContainerStateChange",
        "ecs:SubmitTaskStateChange",
        "ecs:UpdateContainerInstancesState",
      ],
      Resource: [cluster, containerInstances],
    },
    {
      Sid: "EcsAgentTagsItsInstance",
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: containerInstances,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterContainerInstance" } },
    },
    { Sid: "EcsAgentDiscovery", Effect: "Allow", Action: ["ecs:DiscoverPollEndpoint", "ec2:DescribeTags"], Resource: "*" },
    {
      Sid: "SsmAgentSessions",
      Effect: "Allow",
      Action: [
        "ssm:DescribeAssociation",
        "ssm:DescribeDocument",
        "ssm:GetDeployablePatchSnapshotForInstance",
        "ssm:GetDocument",
        "ssm:GetManifest",
        "ssm:ListAssociations",
        "ssm:ListInstanceAssociations",
        "ssm:PutComplianceItems",
        "ssm:PutConfigurePackageResult",
        "ssm:PutInventory",
        "ssm:UpdateAssociationStatus",
        "ssm:UpdateInstanceAssociationStatus",
        "ssm:UpdateInstanceInformation",
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
        "ec2messages:AcknowledgeMessage",
        "ec2messages:DeleteMessage",
        "ec2messages:FailMessage",
        "ec2messages:GetEndpoint",
        "ec2messages:GetMessages",
        "ec2messages:SendReply",
      ],
      Resource: "*",
    },
  ];
  if (scope.pipeline) statements.push(...pipelineBoundary(scope));
  return statements;
}

function pipelineBoundary(scope: DeployScope): PolicyStatement[] {
  const { arn, tagged } = scopeHelpers(scope);
  const pipeline = scope.pipeline!;
  const family = arn("ecs", `task-definition/${scope.taskFamily}:*`);
  return [
    {
      Sid: "PipelineArtifacts",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
      Resource: scope.bucketNames.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]),
    },
    {
      Sid: "PipelineSource",
      Effect: "Allow",
      Action: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
      Resource: [arn("codestar-connections", "connection/*"), arn("codeconnections", "connection/*")],
      Condition: tagged,
    },
    {
      Sid: "PipelineBuild",
      Effect: "Allow",
      Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
      Resource: arn("codebuild", `project/${pipeline.buildProjectName}`),
    },
    { Sid: "PipelineReadsTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
    {
      Sid: "PipelineDeploysTheService",
      Effect: "Allow",
      Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeServices", "ecs:UpdateService", "ecs:DescribeTasks", "ecs:ListTasks"],
      Resource: [
        family,
        arn("ecs", `service/${scope.clusterName}/${scope.serviceName}`),
        arn("ecs", `task/${scope.clusterName}/*`),
        arn("ecs", `container-instance/${scope.clusterName}/*`),
      ],
    },
    {
      Sid: "PipelineTagsTaskDefinitions",
      Effect: "Allow",
      Action: "ecs:TagResource",
      Resource: family,
      Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
    },
    {
      Sid: "PipelinePassesTaskRoles",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: environmentRoleArns(scope),
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
  ];
}

export interface WorkloadBoundaryProps {
  /** The environment the boundary is for: its names, from its configuration. */
  readonly scope: DeployScope;
  /** The policy name: the last part of scope.boundaryArn. */
  readonly name: string;
}

/**
 * One environment's permissions boundary, as a customer-managed policy under /ci/. Created by the identities
 * stack (applied by an administrator), before the environment's first deploy: every role of the environment
 * names it, and IAM refuses a boundary that does not exist.
 */
export class WorkloadBoundary extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: WorkloadBoundaryProps) {
    super(scope, id);
    const expected = `arn:aws:iam::${props.scope.accountId}:policy${CI_IAM_PATH}${props.name}`;
    if (expected !== props.scope.boundaryArn) {
      throw new Error(`WorkloadBoundary ${props.name}: scope.boundaryArn is ${props.scope.boundaryArn}, but this policy's ARN is ${expected}`);
    }
    const policy = new IamPolicy(this, "policy", {
      name: props.name,
      path: CI_IAM_PATH,
      description: `Permissions boundary of every role of ${props.scope.environment}: its workloads' needs, on its own resources (${ENVIRONMENT_TAG}=${props.scope.environment})`,
      policy: policyDocument(workloadBoundaryStatements(props.scope)),
    });
    this.arn = policy.arn;
  }
}

/**
 * Puts the environment's boundary on every IAM role in a stack (an aspect: roles added by any construct,
 * now or later, carry it without each construct knowing). The deploy roles may create and change roles only
 * with this boundary, so a role without it would be a deploy CI cannot do.
 */
export class BoundEveryRole implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}
