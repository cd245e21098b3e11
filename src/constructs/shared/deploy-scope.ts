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

/** Any resource, in the environment's region only (for APIs that take no resource). */
export function inRegion(scope: DeployScope) {
  return { StringEquals: { "aws:RequestedRegion": scope.region } };
}
