import type { PolicyStatement } from "../shared/iam-policy";

/*
 * What the deploy role of one environment may change: the resources the platform stack creates, and nothing of
 * another environment's or of resources no environment owns. Reads (refresh, data sources) come from
 * readStatements (./read-permissions.ts); the guardrails (./guardrails.ts) deny what no allow may ever add.
 *
 * How each resource is scoped (Service Authorization Reference, per service):
 * - By ARN where the API takes the resource's name and the configuration names it: ECS, Auto Scaling, IAM,
 *   CloudWatch Logs, ECR, Secrets Manager, S3, CodeBuild, CodePipeline, EventBridge, alarms, dashboards, SNS.
 * - By tag where AWS assigns the id (EC2 security groups and launch templates, KMS keys, load balancers,
 *   certificates, web ACLs, CodeConnections): created only with `Environment=<env>` in the request
 *   (aws:RequestTag), changed and deleted only when the resource carries it (aws:ResourceTag). The provider's
 *   default_tags put that tag on every create. The guardrails deny changing or removing the Environment tag
 *   of anything, so nothing can be re-tagged into or out of an environment.
 * - IAM roles: only under the environment's prefix, and only with the environment's permissions boundary
 *   (iam:PermissionsBoundary on create, policy writes and boundary changes): a role CI creates can never do
 *   more than the boundary allows (./workload-boundary.ts), whatever policy CI writes into it.
 *   Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * - The database's security group (not ours): only its ingress rules, and only when an administrator has
 *   tagged the group `DatabaseAccessFrom=<env>` (docs/ci-and-deploy.md); CI can never set that tag.
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
  /** The ECR repository the environment runs its image from (and its pipeline pushes to). */
  readonly imageRepositoryName: string;
  /** Whether this environment's stack creates and manages that repository. */
  readonly managesImageRepository: boolean;
  /** The database secret's ARN (pattern), which the task's execution role reads. */
  readonly secretArn: string;
  /** Whether this environment's stack creates the secret (else it only reads an existing one). */
  readonly createsSecret: boolean;
  /** The image pipeline's CodePipeline and CodeBuild names, its failure rule and dead-letter queue. @default none */
  readonly pipeline?: { readonly name: string; readonly buildProjectName: string; readonly failureRuleName: string; readonly deadLetterQueueName: string };
  /** Creates a VPC with subnets, gateways and routes (network mode "new"). */
  readonly createsNetwork: boolean;
  /** Opens the database's security group to the tasks (wordpress.database.allowTaskAccess). */
  readonly databaseAccess: boolean;
  /** Has a load balancer, certificate and WAF; the hosted zones it writes records to. @default none */
  readonly loadBalancer?: { readonly hostedZoneIds: readonly string[] };
  /** The managed policies the stack attaches to its roles (the only ones the role may attach). */
  readonly attachablePolicyArns: readonly string[];
  /** The permissions boundary every role of the environment must carry (./workload-boundary.ts). */
  readonly boundaryArn: string;
}

/** The tag that scopes everything whose id AWS assigns; the provider's default_tags set it. */
export const ENVIRONMENT_TAG = "Environment";
/** The tag an administrator puts on a database's security group to let one environment add its ingress rule. */
export const DATABASE_ACCESS_TAG = "DatabaseAccessFrom";

/** The services the environment's roles are passed to (iam:PassedToService). */
export const PASSED_TO = ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com", "codebuild.amazonaws.com", "codepipeline.amazonaws.com"];

/** Service-linked roles the first deploy in an account may need (ECS, Auto Scaling, Elastic Load Balancing). */
const SERVICE_LINKED = ["ecs.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"];

/** Helpers every concern below shares: ARNs in the environment's account and region, tag conditions. */
export function scopeHelpers(scope: DeployScope) {
  const { accountId: account, region, environment } = scope;
  return {
    arn: (service: string, resource: string) => `arn:aws:${service}:${region}:${account}:${resource}`,
    iam: (resource: string) => `arn:aws:iam::${account}:${resource}`,
    /** A create: the request must tag the new resource with this environment, in this region. */
    creating: { StringEquals: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: environment, "aws:RequestedRegion": region } },
    /** A change or delete: the resource must already carry this environment's tag. */
    tagged: { StringEquals: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: environment } },
  };
}

export function deployStatements(scope: DeployScope): PolicyStatement[] {
  return [
    ...ecsStatements(scope),
    ...computeStatements(scope),
    ...networkStatements(scope),
    ...iamStatements(scope),
    ...kmsStatements(scope),
    ...storageStatements(scope),
    ...observabilityStatements(scope),
    ...pipelineStatements(scope),
    ...entryStatements(scope),
  ];
}

function ecsStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  const family = arn("ecs", `task-definition/${scope.taskFamily}:*`);
  return [
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
        family,
      ],
    },
    // RegisterTaskDefinition is scoped by family (its task-definition resource); Deregister takes no resource.
    { Sid: "EcsTaskDefinitionFamily", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: family },
    { Sid: "EcsDeregisterTaskDefinitions", Effect: "Allow", Action: "ecs:DeregisterTaskDefinition", Resource: "*", Condition: inRegion(scope) },
  ];
}

function computeStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  return [
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
        "autoscaling:RollbackInstanceRefresh",
      ],
      Resource: arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${scope.autoScalingGroupName}`),
    },
    { Sid: "LaunchTemplateCreate", Effect: "Allow", Action: "ec2:CreateLaunchTemplate", Resource: arn("ec2", "launch-template/*"), Condition: creating },
    {
      Sid: "LaunchTemplateOfTheEnvironment",
      Effect: "Allow",
      Action: ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions"],
      Resource: arn("ec2", "launch-template/*"),
      Condition: tagged,
    },
    // Auto Scaling checks that whoever creates or updates the group may launch from its template: only the
    // environment's own template, and the instance's other resources only when launched from a template.
    { Sid: "LaunchFromOwnTemplate", Effect: "Allow", Action: "ec2:RunInstances", Resource: arn("ec2", "launch-template/*"), Condition: tagged },
    {
      Sid: "LaunchResourcesViaTemplate",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: ["instance", "volume", "network-interface", "subnet", "security-group", "key-pair"]
        .map((t) => arn("ec2", `${t}/*`))
        .concat("arn:aws:ec2:*::image/*"),
      Condition: { ArnLike: { "ec2:LaunchTemplate": arn("ec2", "launch-template/*") } },
    },
  ];
}

function networkStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  const ruleChanges = [
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    "ec2:ModifySecurityGroupRules",
  ];
  const statements: PolicyStatement[] = [
    { Sid: "SecurityGroupCreate", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: arn("ec2", "security-group/*"), Condition: creating },
    // The VPC a group is created in is not ours when the network is discovered; the group still is.
    { Sid: "SecurityGroupCreateInVpc", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: arn("ec2", "vpc/*"), Condition: inRegion(scope) },
    {
      Sid: "SecurityGroupsOfTheEnvironment",
      Effect: "Allow",
      Action: [
        ...ruleChanges,
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      ],
      Resource: arn("ec2", "security-group/*"),
      Condition: tagged,
    },
    // aws_vpc_security_group_*_rule resources are tagged on creation (a security-group-rule resource).
    {
      Sid: "SecurityGroupRuleCreate",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress"],
      Resource: arn("ec2", "security-group-rule/*"),
      Condition: creating,
    },
    {
      Sid: "SecurityGroupRulesOfTheEnvironment",
      Effect: "Allow",
      Action: ["ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress"],
      Resource: arn("ec2", "security-group-rule/*"),
      Condition: tagged,
    },
    {
      Sid: "TagOnCreateOnly",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: { ...creating, "ForAnyValue:StringEquals": { "ec2:CreateAction": ec2CreateActions(scope) } },
    },
    { Sid: "TagsOfTheEnvironment", Effect: "Allow", Action: ["ec2:CreateTags", "ec2:DeleteTags"], Resource: "*", Condition: tagged },
  ];
  if (scope.databaseAccess) {
    statements.push({
      Sid: "DatabaseIngressWhereAdministratorAllowed",
      Effect: "Allow",
      Action: ruleChanges,
      Resource: arn("ec2", "security-group/*"),
      Condition: { StringEquals: { [`aws:ResourceTag/${DATABASE_ACCESS_TAG}`]: scope.environment } },
    });
  }
  if (scope.createsNetwork) statements.push(...newNetworkStatements(scope));
  return statements;
}

/** A new VPC (network mode "new"): created with the environment's tag, changed only when it carries it. */
function newNetworkStatements(scope: DeployScope): PolicyStatement[] {
  const { creating, tagged } = scopeHelpers(scope);
  return [
    {
      Sid: "NetworkCreate",
      Effect: "Allow",
      Action: [
        "ec2:CreateVpc",
        "ec2:CreateSubnet",
        "ec2:CreateInternetGateway",
        "ec2:AllocateAddress",
        "ec2:CreateNatGateway",
        "ec2:CreateRouteTable",
        "ec2:CreateSecurityGroup",
      ],
      Resource: "*",
      Condition: creating,
    },
    {
      Sid: "NetworkOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
        "ec2:CreateSubnet",
        "ec2:DeleteSubnet",
        "ec2:ModifySubnetAttribute",
        "ec2:AttachInternetGateway",
        "ec2:DetachInternetGateway",
        "ec2:DeleteInternetGateway",
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
      ],
      Resource: "*",
      Condition: tagged,
    },
  ];
}

/** The EC2 creates whose tag-on-create the environment may do (ec2:CreateAction). */
function ec2CreateActions(scope: DeployScope): string[] {
  const base = ["CreateSecurityGroup", "CreateLaunchTemplate", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"];
  return scope.createsNetwork
    ? [...base, "CreateVpc", "CreateSubnet", "CreateInternetGateway", "AllocateAddress", "CreateNatGateway", "CreateRouteTable"]
    : base;
}

function iamStatements(scope: DeployScope): PolicyStatement[] {
  const { iam } = scopeHelpers(scope);
  const roles = environmentRoleArns(scope);
  const bounded = { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } };
  return [
    // Writes that could widen a role: only with the environment's boundary on it (the condition key is the
    // boundary the role has, or gets, in the request).
    {
      Sid: "IamRoleWritesWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: bounded,
    },
    {
      Sid: "IamAttachOnlyTheStacksManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: roles,
      Condition: { ...bounded, ArnEquals: { "iam:PolicyARN": [...scope.attachablePolicyArns] } },
    },
    // Changes that cannot widen what a bounded role may do. Trust changes (UpdateAssumeRolePolicy) have no
    // boundary condition key: a role of the environment stays limited by its boundary whoever assumes it.
    {
      Sid: "IamRolesOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [...roles, iam(`instance-profile/${scope.namePrefix}-*`)],
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
      Resource: iam("role/aws-service-role/*"),
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } },
    },
  ];
}

/** The roles an environment's stack creates: every name under its prefix, plus the adopted ones. */
export function environmentRoleArns(scope: DeployScope): string[] {
  const iam = (name: string) => `arn:aws:iam::${scope.accountId}:role/${name}`;
  return [iam(`${scope.namePrefix}-*`), ...scope.roleNames.map(iam)];
}

function kmsStatements(scope: DeployScope): PolicyStatement[] {
  const { arn, creating, tagged } = scopeHelpers(scope);
  return [
    { Sid: "KmsCreateKey", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: creating },
    // Tags given to CreateKey are authorized as kms:TagResource on "all KMS keys in the account and Region"
    // (KMS developer guide, "Controlling access to tags"): allowed only on a key without an Environment tag,
    // which at creation is the new key; an existing key of another environment already carries one.
    {
      Sid: "KmsTagOnCreate",
      Effect: "Allow",
      Action: "kms:TagResource",
      Resource: arn("kms", "key/*"),
      Condition: { ...creating, Null: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: "true" } },
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
      Condition: tagged,
    },
    { Sid: "KmsAlias", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: arn("kms", `alias/${scope.namePrefix}`) },
  ];
}

function storageStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  const statements: PolicyStatement[] = [
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
  ];
  if (scope.managesImageRepository) {
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
      Resource: arn("ecr", `repository/${scope.imageRepositoryName}`),
    });
  }
  if (scope.createsSecret) {
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
      Resource: scope.secretArn,
    });
  }
  return statements;
}

function observabilityStatements(scope: DeployScope): PolicyStatement[] {
  const { arn } = scopeHelpers(scope);
  return [
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
      Resource: [
        arn("cloudwatch", `alarm:${scope.namePrefix}-*`),
        `arn:aws:cloudwatch::${scope.accountId}:dashboard/${scope.namePrefix}`,
        arn("sns", `${scope.namePrefix}-*`),
      ],
    },
  ];
}

function pipelineStatements(scope: DeployScope): PolicyStatement[] {
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

function entryStatements(scope: DeployScope): PolicyStatement[] {
  if (!scope.loadBalancer) return [];
  const { arn, creating, tagged } = scopeHelpers(scope);
  const elb = ["loadbalancer/app/*", "targetgroup/*", "listener/app/*", "listener-rule/app/*"].map((r) => arn("elasticloadbalancing", r));
  const statements: PolicyStatement[] = [
    {
      Sid: "PublicEntryCreate",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:AddTags",
        "acm:RequestCertificate",
        "acm:AddTagsToCertificate",
        "wafv2:CreateWebACL",
        "wafv2:TagResource",
      ],
      Resource: [...elb, arn("acm", "certificate/*"), arn("wafv2", "regional/webacl/*"), arn("wafv2", "regional/managedruleset/*")],
      Condition: creating,
    },
    {
      Sid: "PublicEntryOfTheEnvironment",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
        "acm:DeleteCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "wafv2:UpdateWebACL",
        "wafv2:DeleteWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "wafv2:TagResource",
        "wafv2:UntagResource",
      ],
      Resource: [...elb, arn("acm", "certificate/*"), arn("wafv2", "regional/webacl/*")],
      Condition: tagged,
    },
    // A web ACL references AWS's managed rule groups (no tags of ours); creating or updating it names them.
    {
      Sid: "WafManagedRuleGroups",
      Effect: "Allow",
      Action: ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"],
      Resource: arn("wafv2", "regional/managedruleset/*"),
    },
  ];
  if (scope.loadBalancer.hostedZoneIds.length > 0) {
    statements.push({
      Sid: "DnsRecords",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets", "route53:GetChange"],
      Resource: [...scope.loadBalancer.hostedZoneIds.map((z) => `arn:aws:route53:::hostedzone/${z}`), "arn:aws:route53:::change/*"],
    });
  }
  return statements;
}

function inRegion(scope: DeployScope) {
  return { StringEquals: { "aws:RequestedRegion": scope.region } };
}

/**
 * Terraform's S3 backend with S3-native locking: list the bucket, read (and with `write`, write) each state
 * object, and with `write` create and delete its lock file `<key>.tflock` (use_lockfile). A reader plans with
 * `-lock=false` and may neither take nor break a lock. The state bucket is encrypted with the state key
 * (src/stacks/state-bootstrap-stack.ts): S3 uses it on the caller's behalf, for these objects only
 * (kms:ViaService and the object ARN S3 puts in the encryption context).
 * Reference: https://developer.hashicorp.com/terraform/language/backend/s3 (permissions required);
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html (encryption context).
 */
export function stateAccessStatements(
  states: readonly { bucket: string; key: string }[],
  write: boolean,
  where: { accountId: string; region: string },
): PolicyStatement[] {
  const buckets = [...new Set(states.map((s) => s.bucket))];
  const stateObjects = states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}`);
  const lockFiles = states.map((s) => `arn:aws:s3:::${s.bucket}/${s.key}.tflock`);
  return [
    {
      Sid: "StateBucketList",
      Effect: "Allow",
      Action: "s3:ListBucket",
      // No s3:prefix condition: init also lists the workspace prefix (env:/); listing shows key names only.
      Resource: buckets.map((b) => `arn:aws:s3:::${b}`),
    },
    { Sid: write ? "StateReadWrite" : "StateRead", Effect: "Allow", Action: write ? ["s3:GetObject", "s3:PutObject"] : "s3:GetObject", Resource: stateObjects },
    ...(write ? [{ Sid: "StateLockFiles", Effect: "Allow" as const, Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: lockFiles }] : []),
    {
      Sid: "StateKeyThroughS3",
      Effect: "Allow",
      Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt",
      Resource: `arn:aws:kms:${where.region}:${where.accountId}:key/*`,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${where.region}.amazonaws.com` },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": write ? [...stateObjects, ...lockFiles] : stateObjects },
      },
    },
  ];
}
