import { Construct } from "constructs";
import { Aspects, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig, EnvironmentNames, environmentNames, imageTag } from "../config";
import { terraformLiterals } from "./terraform-literal";
import { adoptLiveResources } from "./adoption";
import {
  AccessLogBucket,
  BoundEveryRole,
  Cluster,
  ClusterCapacity,
  DaemonService,
  ENVIRONMENT_TAG,
  DatabasePasswordSecret,
  ImagePipeline,
  ImageRepository,
  LoadBalancer,
  Network,
  Observability,
  PlatformKey,
  TaskSecurityGroup,
  WordpressTaskDefinition,
} from "../constructs";

/** S3-native state locking (use_lockfile) is generally available from Terraform 1.11. */
export const MINIMUM_TERRAFORM_VERSION = "1.11.0";

/** The tags every resource of an environment carries (provider default_tags, not per resource). */
export function defaultTags(env: EnvironmentConfig): Record<string, string> {
  // The Environment tag is what the CI deploy permissions scope by (src/constructs/shared/deploy-scope.ts).
  return { Project: env.project, [ENVIRONMENT_TAG]: env.name, ManagedBy: "cdktf" };
}

/**
 * The hashicorp/aws version an environment runs with: provider.version, else the version the installed
 * provider bindings were generated from and pin in required_providers (@cdktf/provider-aws 21.22.1: 6.25.0).
 */
export function providerVersion(env: EnvironmentConfig, provider: AwsProvider): string {
  return env.provider?.version ?? provider.terraformGeneratorMetadata?.providerVersion ?? "6.0.0";
}

/**
 * The AWS provider for an environment: its region, its account only, and the default tags. At a local
 * endpoint (moto, named by AWS_ENDPOINT_URL at run time) S3 is addressed path-style (no bucket subdomains on
 * 127.0.0.1) and the provider skips the credential and instance-metadata checks that only AWS answers.
 */
export function environmentProvider(scope: TerraformStack, env: EnvironmentConfig): AwsProvider {
  const local = env.provider?.endpoint === "local";
  const provider = new AwsProvider(scope, "aws", {
    region: env.region,
    // Refuses to run against any other account, e.g. with a production profile active by mistake.
    allowedAccountIds: [env.accountId],
    defaultTags: [{ tags: defaultTags(env) }],
    ...(local ? { s3UsePathStyle: true, skipCredentialsValidation: true, skipMetadataApiCheck: "true" } : {}),
  });
  // cdktf writes @cdktf/provider-aws's own pin into required_providers; an environment whose engine has
  // another provider installed (the local tier: 5.100.0) states its version here.
  if (env.provider?.version) scope.addOverride("terraform.required_providers.aws.version", env.provider.version);
  return provider;
}

/**
 * Where an environment's state lives: S3 with S3-native locking (Terraform >= 1.11, no DynamoDB table),
 * or Terraform Cloud, whose runs then use this same synthesized JSON.
 */
export function environmentBackend(scope: TerraformStack, env: EnvironmentConfig): S3Backend | CloudBackend | LocalBackend {
  const { state } = env;
  if (state.backend === "cloud") {
    return new CloudBackend(scope, { organization: state.organization, workspaces: new NamedCloudWorkspace(state.workspace, state.project) });
  }
  if (state.backend === "local") {
    // Beside the stack's cdk.tf.json (cdktf.out/stacks/<stack>/), like the bootstrap stack's own state.
    return new LocalBackend(scope, { path: `terraform.${scope.node.id}.tfstate` });
  }
  const backend = new S3Backend(scope, { bucket: state.bucket, key: state.key, region: state.region, encrypt: true });
  // cdktf 0.21's S3Backend has no typed use_lockfile; the override is merged into the backend block.
  backend.addOverride("use_lockfile", true);
  return backend;
}

export interface PlatformStackOptions {
  /**
   * Every image tag the environments sharing this stack's image repository run; the managing stack keeps
   * them all mutable and protected from expiry. Default: this environment's tag.
   */
  readonly repositoryTags?: readonly string[];
}

/** One environment of the platform: network wiring, cluster and capacity, task, daemon service, image repository, delivery. */
export class PlatformStack extends TerraformStack {
  readonly cluster: Cluster;
  readonly capacity: ClusterCapacity;
  readonly taskDefinition: WordpressTaskDefinition;
  readonly service: DaemonService;
  readonly imageRepository: ImageRepository;
  readonly network: Network;
  readonly loadBalancer?: LoadBalancer;
  readonly pipeline?: ImagePipeline;
  readonly kmsKeyArn: string;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, config: EnvironmentConfig, stackOptions: PlatformStackOptions = {}) {
    super(scope, id);
    // The one place user strings become Terraform literals (`${` -> `$${`, `%{` -> `%%{`): every construct
    // below sees only the converted configuration (src/stacks/terraform-literal.ts).
    const env = terraformLiterals(config);
    const options = terraformLiterals(stackOptions);
    this.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}`);
    const provider = environmentProvider(this, env);
    environmentBackend(this, env);
    // Every name this stack gives a resource, derived once (src/config/environment-names.ts).
    const names = environmentNames(env);
    const namePrefix = names.prefix;
    const movingTag = imageTag(env.task.image);
    // Every role of the environment carries its permissions boundary (created by the CI identities stack).
    Aspects.of(this).add(new BoundEveryRole(names.boundaryArn));

    // One customer-managed key per environment: log groups, the database secret, pipeline artifacts.
    const key = new PlatformKey(this, "key", {
      alias: names.keyAlias,
      accountId: env.accountId,
      region: env.region,
      description: `${namePrefix}: log groups, database secret, pipeline artifacts`,
    });
    this.kmsKeyArn = key.arn;
    const accessLogs = new AccessLogBucket(this, "access_logs", {
      bucketName: env.accessLogBucket,
      accountId: env.accountId,
      region: env.region,
      retentionDays: 365,
    });

    this.network = new Network(this, "network", { config: env.network, namePrefix });

    if (env.loadBalancer && names.loadBalancer) {
      // Construct id "entry" is part of the Terraform addresses (lb, listeners, WAF): kept as first deployed.
      this.loadBalancer = new LoadBalancer(this, "entry", {
        config: env.loadBalancer,
        namePrefix,
        names: names.loadBalancer,
        hostName: env.wordpress.hostUrl,
        vpcId: this.network.vpcId,
        vpcCidr: this.network.vpcCidr,
        publicSubnetIds: this.network.publicSubnetIds!,
        targetPort: env.task.containerPort,
        accessLogBucket: accessLogs,
      });
    }

    const taskSecurityGroup = new TaskSecurityGroup(this, "task_security_group", {
      name: names.taskSecurityGroup,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      httpSource: env.network.httpSource,
      loadBalancerSecurityGroupId: this.loadBalancer?.securityGroupId,
      containerPort: env.task.containerPort,
      databaseSecurityGroupIds: env.wordpress.database.allowTaskAccess ? this.network.databaseSecurityGroupIds : undefined,
      databasePort: env.wordpress.database.port,
    });

    this.cluster = new Cluster(this, "cluster", env.cluster);

    this.imageRepository = new ImageRepository(this, "image_repository", {
      name: env.imageRepository.name,
      manage: env.imageRepository.manage,
      movingTags: options.repositoryTags ?? (movingTag ? [movingTag] : []),
      keepImageCount: env.imageRepository.keepImageCount,
      untaggedExpiryDays: env.imageRepository.untaggedExpiryDays,
      encryption: env.imageRepository.encryption,
      tagExclusions: Number(providerVersion(env, provider).split(".")[0]) >= 6,
    });

    const workload = this.workload(env, key.arn, taskSecurityGroup.securityGroupId);
    this.taskDefinition = workload.taskDefinition;
    this.service = workload.service;

    if (env.pipeline && movingTag && names.pipeline) this.pipeline = this.imagePipeline(env.pipeline, env, names.pipeline, movingTag, key.arn, accessLogs);

    // Alarms that reach someone, a dashboard, failed pipeline runs (docs/operations.md).
    this.observability = this.operations(env, names, key.arn);
    // An AMI refresh stops when new instances do not run (or do not pass health checks with) their task.
    this.capacity = this.clusterCapacity(env, names, this.observability.refreshStopAlarmNames);

    adoptLiveResources(
      {
        cluster: this.cluster.resource,
        clusterCapacityProviders: this.capacity.clusterCapacityProviders,
        autoScalingGroup: this.capacity.autoScalingGroup,
        launchTemplate: this.capacity.launchTemplate,
        capacityProvider: this.capacity.capacityProvider,
        service: this.service.resource,
        imageRepository: this.imageRepository.repository,
        executionRole: this.taskDefinition.executionRole,
      },
      env,
    );

    this.outputs();
  }

  /** The WordPress task (its secret, roles, log group) and the DAEMON service that runs it on every instance. */
  private workload(
    env: EnvironmentConfig,
    kmsKeyArn: string,
    taskSecurityGroupId: string,
  ): { taskDefinition: WordpressTaskDefinition; service: DaemonService } {
    const secret = new DatabasePasswordSecret(this, "database_password", {
      config: env.wordpress.database.passwordSecret,
      kmsKeyArn,
      recoveryWindowDays: "recoveryWindowDays" in env.wordpress.database.passwordSecret ? env.wordpress.database.passwordSecret.recoveryWindowDays : undefined,
    });

    const taskDefinition = new WordpressTaskDefinition(this, "task", {
      task: env.task,
      wordpress: env.wordpress,
      accountId: env.accountId,
      region: env.region,
      databasePasswordSecretArn: secret.arn,
      imageRepositoryArn: env.task.image.startsWith(`${env.accountId}.dkr.ecr.`) ? this.imageRepository.arn : undefined,
      kmsKeyArn,
    });

    const service = new DaemonService(this, "service", {
      name: env.service.name,
      cluster: this.cluster,
      taskDefinition,
      subnetIds: this.network.privateSubnetIds,
      securityGroupIds: [taskSecurityGroupId],
      deploymentMinimumHealthyPercent: env.service.deploymentMinimumHealthyPercent,
      minimumInstances: env.capacity.minSize,
      loadBalancer: this.loadBalancer
        ? { targetGroupArn: this.loadBalancer.targetGroupArn, containerPort: env.task.containerPort, dependsOn: this.loadBalancer.httpsListener }
        : undefined,
    });
    return { taskDefinition, service };
  }

  /** The group of Graviton instances and its capacity provider, guarded when it takes over a console-built group. */
  private clusterCapacity(env: EnvironmentConfig, names: EnvironmentNames, refreshStopAlarmNames: string[]): ClusterCapacity {
    return new ClusterCapacity(this, "capacity", {
      cluster: this.cluster,
      config: env.capacity,
      // An adopted launch template keeps its live name (unknown here); a name would replace it.
      launchTemplateName: names.capacity.launchTemplate,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      names: names.capacity,
      scalingPolicyName: names.capacity.scalingPolicy,
      daemonTask: { cpu: env.task.cpu, memoryMiB: env.task.memory },
      refreshStopAlarmNames,
      adoptedGroup:
        env.adopt?.autoScalingGroup && !env.adopt.capacityProvider
          ? {
              message:
                `The Auto Scaling group ${env.capacity.autoScalingGroupName} already has a capacity provider (its AmazonECSManaged tag), and ECS allows one per group: ` +
                `creating ${env.capacity.capacityProviderName} would fail after the group was changed. Set adopt.capacityProvider and capacity.capacityProviderName ` +
                "to that provider's name (docs/adopting-staging.md, step 2: aws ecs describe-capacity-providers), then plan again.",
            }
          : undefined,
    });
  }

  /** The pipeline that builds the image from git and deploys it to the service. */
  private imagePipeline(
    pipeline: NonNullable<EnvironmentConfig["pipeline"]>,
    env: EnvironmentConfig,
    names: NonNullable<EnvironmentNames["pipeline"]>,
    movingTag: string,
    kmsKeyArn: string,
    accessLogs: AccessLogBucket,
  ): ImagePipeline {
    return new ImagePipeline(this, "pipeline", {
      config: pipeline,
      accountId: env.accountId,
      region: env.region,
      names,
      imageRepository: this.imageRepository,
      movingTag,
      containerName: env.task.containerName,
      cluster: this.cluster,
      service: this.service,
      taskFamily: env.task.family,
      taskRoleArns: [this.taskDefinition.executionRoleArn, this.taskDefinition.taskRoleArn],
      kmsKeyArn,
      accessLogBucket: accessLogs,
    });
  }

  /** Alarms that reach someone, a dashboard, failed pipeline runs (docs/operations.md). */
  private operations(env: EnvironmentConfig, names: EnvironmentNames, kmsKeyArn: string): Observability {
    return new Observability(this, "observability", {
      namePrefix: names.prefix,
      names,
      accountId: env.accountId,
      region: env.region,
      kmsKeyArn,
      config: env.alarms,
      cluster: this.cluster,
      service: this.service,
      // The configured name (the group is created after the alarms, which stop its instance refresh).
      autoScalingGroupName: env.capacity.autoScalingGroupName,
      minInstances: env.capacity.minSize,
      logGroupName: env.task.logGroupName,
      cpuTargetPercent: names.capacity.scalingPolicy ? env.capacity.cpuTargetPercent : undefined,
      loadBalancer:
        this.loadBalancer && env.loadBalancer
          ? {
              arnSuffix: this.loadBalancer.loadBalancerArnSuffix,
              targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
              healthCheckPath: env.loadBalancer.healthCheckPath,
            }
          : undefined,
      pipeline: this.pipeline ? { pipelineName: this.pipeline.pipelineName, buildLogGroupName: this.pipeline.buildLogGroupName } : undefined,
    });
  }

  /** What operators look up after a deploy (`cdktf output <stack>`). */
  private outputs(): void {
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output("cluster_name", this.cluster.name, "ECS cluster");
    output("service_name", this.service.name, "ECS service (DAEMON)");
    output("task_family", this.taskDefinition.family, "Task definition family");
    output("image_repository_url", this.imageRepository.repositoryUrl, "ECR repository the pipeline pushes to");
    output("log_group", this.taskDefinition.logGroupName, "CloudWatch log group of the container");
    output("alarm_topic_arn", this.observability.topic.arn, "SNS topic of the alarms and failed pipeline runs: subscribe here (docs/operations.md)");
    output("dashboard_name", this.observability.dashboard.dashboardName, "CloudWatch dashboard of this environment");
    if (this.loadBalancer) {
      output("load_balancer_dns_name", this.loadBalancer.dnsName, "Point the site's DNS name here (CNAME or alias)");
      if (this.loadBalancer.certificateValidationRecords) {
        output("certificate_validation_records", this.loadBalancer.certificateValidationRecords, "DNS records to add so ACM issues the certificate");
      }
    }
    if (this.pipeline) {
      output("pipeline_name", this.pipeline.pipelineName, "CodePipeline that builds and deploys the image");
      output("source_connection_arn", this.pipeline.connectionArn, "CodeConnections connection: approve it once in the console");
    }
  }
}
