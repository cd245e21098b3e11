import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { TaskConfig, WordpressConfig } from "../../config";
import { wordpressContainer } from "./container-definition";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../shared/iam-policy";
import { acceptShortRetention } from "../shared/policy-exceptions";

export interface WordpressTaskDefinitionProps {
  /** Family, CPU, memory, image, roles and log group (config `task`). */
  readonly task: TaskConfig;
  /** The WordPress settings of the container (config `wordpress`). */
  readonly wordpress: WordpressConfig;
  /** The account of the roles and the log group. */
  readonly accountId: string;
  /** The region of the log group and the image registry. */
  readonly region: string;
  /** The secret the execution role reads and the container gets as WORDPRESS_DB_PASSWORD. */
  readonly databasePasswordSecretArn: string;
  /**
   * The ECR repository the image comes from, when it is ours: the execution role may pull only from it.
   * @default none: an image from elsewhere, no ECR permission
   */
  readonly imageRepositoryArn?: string;
  /** The environment's KMS key: encrypts the log group, and the secret when this stack creates it. */
  readonly kmsKeyArn: string;
}

/**
 * The WordPress task: its log group, execution role (pull, log, read the one secret), task role, and the
 * EC2/ARM64/awsvpc task definition with the single essential container.
 */
export class WordpressTaskDefinition extends Construct {
  readonly family: string;
  readonly arn: string;
  /** The revision Terraform registered (the pipeline may register newer ones). */
  readonly revision: number;
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
  readonly logGroupName: string;
  readonly containerName: string;
  /** The task definition resource, for dependencies. */
  readonly resource: EcsTaskDefinition;
  readonly executionRole: IamRole;

  constructor(scope: Construct, id: string, props: WordpressTaskDefinitionProps) {
    super(scope, id);
    const { task } = props;

    const logGroup = new CloudwatchLogGroup(this, "log_group", {
      name: task.logGroupName,
      retentionInDays: task.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    acceptShortRetention(logGroup, task.logRetentionDays);

    const executionRole = new IamRole(this, "execution_role", {
      name: task.executionRoleName,
      description: `ECS task execution for ${task.family}: pull the image, write logs, read the database secret`,
      assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", props.accountId),
    });
    new IamRolePolicy(this, "execution_role_policy", {
      name: `${task.family}-execution`,
      role: executionRole.id,
      policy: policyDocument(executionStatements(props, logGroup.arn)),
    });

    // The application's own AWS permissions: none yet. A role of its own keeps it from borrowing the instance's.
    const taskRole = new IamRole(this, "task_role", {
      name: task.taskRoleName,
      description: `ECS task ${task.family}: the application's AWS permissions`,
      assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", props.accountId),
    });

    const container = wordpressContainer({
      name: task.containerName,
      image: task.image,
      port: task.containerPort,
      wordpress: props.wordpress,
      databasePasswordSecretArn: props.databasePasswordSecretArn,
      logGroupName: logGroup.name,
      region: props.region,
    });

    const definition = new EcsTaskDefinition(this, "task_definition", {
      family: task.family,
      requiresCompatibilities: ["EC2"],
      networkMode: "awsvpc",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: task.cpuArchitecture },
      // Numbers, not "3 vCPU" / "6 GB": ECS reads both back as numbers, so strings would show a diff every plan.
      cpu: String(task.cpu),
      memory: String(task.memory),
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
    });

    this.resource = definition;
    this.executionRole = executionRole;
    this.family = definition.family;
    this.arn = definition.arn;
    this.revision = definition.revision;
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;
    this.logGroupName = logGroup.name;
    this.containerName = task.containerName;
  }
}

/** Least privilege for the ECS agent acting for this task. */
function executionStatements(props: WordpressTaskDefinitionProps, logGroupArn: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (props.imageRepositoryArn) {
    statements.push(
      // GetAuthorizationToken is account-wide and supports no resource scoping (ECR IAM reference).
      { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "EcrPullThisRepository",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: props.imageRepositoryArn,
      },
    );
  }
  statements.push(
    {
      Sid: "WriteTaskLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:log-stream:*`,
    },
    {
      Sid: "ReadDatabasePassword",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: props.databasePasswordSecretArn,
    },
    {
      // The secret is encrypted with the environment's key; Secrets Manager decrypts it for this role.
      Sid: "DecryptDatabasePassword",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
    },
  );
  return statements;
}
