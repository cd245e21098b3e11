import type { PolicyStatement } from "../shared/iam-policy";

/*
 * What the deploy role of one environment may change: the resources the platform stack creates, named as the
 * environment's configuration names them. Reads (refresh, data sources) come from the AWS-managed
 * ReadOnlyAccess policy attached beside these statements.
 *
 * Scoped by ARN wherever the API takes the resource's name: ECS, Auto Scaling, IAM, CloudWatch Logs, ECR,
 * Secrets Manager, S3, CodeBuild, CodePipeline, CloudWatch alarms and dashboards, SNS.
 * Broad (Resource "*", only in the environment's region) where it must be, because the ARN holds an id AWS
 * assigns at creation, or the action takes no resource (Service Authorization Reference, per service):
 * - ECS RegisterTaskDefinition / DeregisterTaskDefinition: no resource-level permissions.
 * - EC2 launch templates, security groups and their rules, (new) VPC resources: ids are assigned by AWS, and
 *   the database's security group (not ours) receives an ingress rule; ec2:RunInstances because Auto Scaling
 *   checks the caller may launch from the template.
 * - KMS CreateKey (no key exists yet); the key's later management is limited to keys tagged with the
 *   environment (aws:ResourceTag/Environment, set by the provider's default tags).
 * - Elastic Load Balancing, ACM, WAF: ids are assigned by AWS (load balancer and target group names are
 *   shortened to 32 characters).
 * - CodeConnections: the connection id is assigned by AWS.
 * What stays open by design: the role writes the inline policies of the environment's own roles (the stack
 * defines them); attaching managed policies is limited to the two the instance role uses.
 */

/** The names an environment's resources carry, from its configuration. */
export interface DeployScope {
  readonly accountId: string;
  readonly region: string;
  /** The environment's name, the value of its Environment tag. */
  readonly environment: string;
  /** `<project>-<environment>`: the prefix of every derived name. */
  readonly namePrefix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly capacityProviderName: string;
  readonly autoScalingGroupName: string;
  /** Roles named outside the prefix (e.g. staging's adopted ecsTaskExecutionRole). */
  readonly roleNames: readonly string[];
  readonly logGroupNames: readonly string[];
  readonly bucketNames: readonly string[];
  /** The ECR repository, when this environment manages it. @default none */
  readonly repositoryName?: string;
  /** The database secret, when this environment creates it. @default none */
  readonly secretName?: string;
  /** The image pipeline's CodePipeline and CodeBuild names, and whether a failure notification rule exists. @default none */
  readonly pipeline?: { readonly name: string; readonly buildProjectName: string; readonly notifications: boolean };
  /** Creates a VPC with subnets, gateways and routes (network mode "new"). */
  readonly createsNetwork: boolean;
  /** Has a load balancer, certificate and WAF; the hosted zones it writes records to. */
  readonly loadBalancer?: { readonly hostedZoneIds: readonly string[] };
  /** The managed policies the stack attaches to its roles (the only ones the role may attach). */
  readonly attachablePolicyArns: readonly string[];
}

/** The services the environment's roles are passed to (iam:PassedToService). */
const PASSED_TO = ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "codebuild.amazonaws.com", "codepipeline.amazonaws.com"];

/** Service-linked roles the first deploy in an account may need (ECS, Auto Scaling, Elastic Load Balancing). */
const SERVICE_LINKED = ["ecs.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"];

export function deployStatements(scope: DeployScope): PolicyStatement[] {
  const { accountId: account, region, namePrefix: prefix } = scope;
  const arn = (service: string, resource: string, where = region) => `arn:aws:${service}:${where}:${account}:${resource}`;
  const inRegion = { StringEquals: { "aws:RequestedRegion": region } };
  const roles = [`arn:aws:iam::${account}:role/${prefix}-*`, ...scope.roleNames.map((n) => `arn:aws:iam::${account}:role/${n}`)];
  const statements: PolicyStatement[] = [
    {
      Sid: "EcsClusterServiceCapacity",
      Effect: "Allow",
      Action: [
        "ecs:CreateCluster",
        "ecs:UpdateCluster",
        "ecs:UpdateClusterSettings",
        "ecs:DeleteCluster",
        "ecs:PutClusterCapacityProviders",
        "ecs:CreateCapacityProvider",
        "ecs:UpdateCapacityProvider",
        "ecs:DeleteCapacityProvider",
        "ecs:CreateService",
        "ecs:UpdateService",
        "ecs:DeleteService",
        "ecs:TagResource",
        "ecs:UntagResource",
      ],
      Resource: [
        arn("ecs", `cluster/${scope.clusterName}`),
        arn("ecs", `service/${scope.clusterName}/${scope.serviceName}`),
        arn("ecs", `capacity-provider/${scope.capacityProviderName}`),
        arn("ecs", `task-definition/${scope.taskFamily}:*`),
      ],
    },
    // RegisterTaskDefinition and DeregisterTaskDefinition support no resource-level permissions.
    { Sid: "EcsTaskDefinitions", Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition"], Resource: "*", Condition: inRegion },
    {
      Sid: "AutoScalingGroup",
      Effect: "Allow",
      Action: [
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:UpdateAutoScalingGroup",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteTags",
        "autoscaling:PutScalingPolicy",
        "autoscaling:DeletePolicy",
        "autoscaling:SetInstanceProtection",
        "autoscaling:StartInstanceRefresh",
        "autoscaling:CancelInstanceRefresh",
      ],
      Resource: arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${scope.autoScalingGroupName}`),
    },
    {
      Sid: "Ec2LaunchTemplatesSecurityGroups",
      Effect: "Allow",
      Action: [
        "ec2:CreateLaunchTemplate",
        "ec2:CreateLaunchTemplateVersion",
        "ec2:ModifyLaunchTemplate",
        "ec2:DeleteLaunchTemplate",
        "ec2:DeleteLaunchTemplateVersions",
        "ec2:RunInstances",
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateTags",
        "ec2:DeleteTags",
        ...(scope.createsNetwork
          ? [
              "ec2:CreateVpc",
              "ec2:DeleteVpc",
              "ec2:ModifyVpcAttribute",
              "ec2:CreateSubnet",
              "ec2:DeleteSubnet",
              "ec2:ModifySubnetAttribute",
              "ec2:CreateInternetGateway",
              "ec2:AttachInternetGateway",
              "ec2:DetachInternetGateway",
              "ec2:DeleteInternetGateway",
              "ec2:AllocateAddress",
              "ec2:ReleaseAddress",
              "ec2:DisassociateAddress",
              "ec2:CreateNatGateway",
              "ec2:DeleteNatGateway",
              "ec2:CreateRouteTable",
              "ec2:DeleteRouteTable",
              "ec2:CreateRoute",
              "ec2:DeleteRoute",
              "ec2:ReplaceRoute",
              "ec2:AssociateRouteTable",
              "ec2:DisassociateRouteTable",
            ]
          : []),
      ],
      Resource: "*",
      Condition: inRegion,
    },
    {
      Sid: "IamRolesOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [...roles, `arn:aws:iam::${account}:instance-profile/${prefix}-*`],
    },
    {
      Sid: "IamAttachOnlyTheStacksManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: roles,
      Condition: { ArnEquals: { "iam:PolicyARN": [...scope.attachablePolicyArns] } },
    },
    {
      Sid: "IamPassRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": PASSED_TO } },
    },
    {
      Sid: "IamServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:aws:iam::${account}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } },
    },
    // CreateKey has no key to name yet; later changes only to keys carrying this environment's tag.
    {
      Sid: "KmsCreateKey",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": region, "aws:RequestTag/Environment": scope.environment } },
    },
    {
      Sid: "KmsKeysOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "kms:PutKeyPolicy",
        "kms:EnableKeyRotation",
        "kms:DisableKeyRotation",
        "kms:UpdateKeyDescription",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:CreateAlias",
        "kms:UpdateAlias",
        "kms:DeleteAlias",
      ],
      Resource: arn("kms", "key/*"),
      Condition: { StringEquals: { "aws:ResourceTag/Environment": scope.environment } },
    },
    { Sid: "KmsAlias", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: arn("kms", `alias/${prefix}`) },
    {
      Sid: "LogGroups",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:AssociateKmsKey",
        "logs:DisassociateKmsKey",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
      ],
      Resource: scope.logGroupNames.flatMap((name) => [arn("logs", `log-group:${name}`), arn("logs", `log-group:${name}:*`)]),
    },
    {
      Sid: "Buckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketVersioning",
        "s3:PutEncryptionConfiguration",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketLogging",
        "s3:PutBucketTagging",
      ],
      Resource: scope.bucketNames.map((b) => `arn:aws:s3:::${b}`),
    },
    {
      Sid: "ObservabilityNamedByTheEnvironment",
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricAlarm",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:TagResource",
        "cloudwatch:UntagResource",
        "cloudwatch:PutDashboard",
        "cloudwatch:DeleteDashboards",
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
        "sns:TagResource",
        "sns:UntagResource",
      ],
      Resource: [arn("cloudwatch", `alarm:${prefix}-*`), `arn:aws:cloudwatch::${account}:dashboard/${prefix}*`, arn("sns", `${prefix}-*`)],
    },
  ];
  if (scope.repositoryName) {
    statements.push({
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
      Resource: arn("ecr", `repository/${scope.repositoryName}`),
    });
  }
  if (scope.secretName) {
    // The secret's metadata only: never GetSecretValue or PutSecretValue (the value is an operator's).
    statements.push({
      Sid: "DatabaseSecretMetadata",
      Effect: "Allow",
      Action: [
        "secretsmanager:CreateSecret",
        "secretsmanager:UpdateSecret",
        "secretsmanager:DeleteSecret",
        "secretsmanager:TagResource",
        "secretsmanager:UntagResource",
      ],
      Resource: arn("secretsmanager", `secret:${scope.secretName}-??????`),
    });
  }
  if (scope.pipeline) {
    statements.push(
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
      {
        Sid: "SourceConnection",
        Effect: "Allow",
        Action: [
          "codestar-connections:CreateConnection",
          "codestar-connections:DeleteConnection",
          "codestar-connections:TagResource",
          "codestar-connections:UntagResource",
          "codestar-connections:PassConnection",
          "codeconnections:CreateConnection",
          "codeconnections:DeleteConnection",
          "codeconnections:TagResource",
          "codeconnections:UntagResource",
          "codeconnections:PassConnection",
        ],
        Resource: [arn("codestar-connections", "connection/*"), arn("codeconnections", "connection/*")],
      },
    );
    if (scope.pipeline.notifications) {
      statements.push({
        Sid: "PipelineNotifications",
        Effect: "Allow",
        Action: [
          "codestar-notifications:CreateNotificationRule",
          "codestar-notifications:UpdateNotificationRule",
          "codestar-notifications:DeleteNotificationRule",
          "codestar-notifications:TagResource",
        ],
        Resource: arn("codestar-notifications", "notificationrule/*"),
      });
    }
  }
  if (scope.loadBalancer) {
    statements.push({
      Sid: "PublicEntry",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "acm:RequestCertificate",
        "acm:DeleteCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "wafv2:CreateWebACL",
        "wafv2:UpdateWebACL",
        "wafv2:DeleteWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:TagResource",
        "wafv2:UntagResource",
      ],
      Resource: "*",
      Condition: inRegion,
    });
    if (scope.loadBalancer.hostedZoneIds.length > 0) {
      statements.push({
        Sid: "DnsRecords",
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
        Resource: [...scope.loadBalancer.hostedZoneIds.map((z) => `arn:aws:route53:::hostedzone/${z}`), "arn:aws:route53:::change/*"],
      });
    }
  }
  return statements;
}

/**
 * Terraform's S3 backend with S3-native locking: list the bucket, read and write the state object, and
 * create and delete its lock file `<key>.tflock` (use_lockfile). `write: false` gives read-only state access
 * but keeps the lock file writable, since a plan takes the lock too.
 * Reference: https://developer.hashicorp.com/terraform/language/backend/s3 (permissions required).
 */
export function stateAccessStatements(states: readonly { bucket: string; key: string }[], write: boolean): PolicyStatement[] {
  const buckets = [...new Set(states.map((s) => s.bucket))];
  return [
    {
      Sid: "StateBucketList",
      Effect: "Allow",
      Action: "s3:ListBucket",
      // No s3:prefix condition: init also lists the workspace prefix (env:/); listing shows key names only.
      Resource: buckets.map((b) => `arn:aws:s3:::${b}`),
    },
    {
      Sid: write ? "StateReadWrite" : "StateRead",
      Effect: "Allow",
      Action: write ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject",
      Resource: states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}`),
    },
    {
      Sid: "StateLockFiles",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}.tflock`),
    },
  ];
}
