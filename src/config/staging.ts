import type { EnvironmentInput } from "./schema";
import { ALARM_DEFAULTS, minimumInstanceWarmupSeconds } from "./operations";
/**
 * Staging: the environment the spec describes (summarised in docs/spec.md), first built by hand
 * in the AWS console. Values the spec gives are copied from it verbatim; the rest are marked.
 */
export const staging = {
  name: "staging",
  production: false,
  project: "myslp",
  accountId: "744590032041",
  region: "us-east-1",
  // Not in the spec: where this project keeps Terraform state (created by the myslp-state-bootstrap stack).
  state: {
    backend: "s3",
    bucket: "myslp-terraform-state-744590032041-us-east-1",
    key: "myslp/staging/terraform.tfstate",
    region: "us-east-1",
    accessLogBucket: "myslp-terraform-state-logs-744590032041-us-east-1",
  },
  // The spec names no VPC or subnet: find the VPC through the database cluster the task talks to
  // (WORDPRESS_DB_HOST), and its private subnets by their Name tag.
  network: {
    mode: "discover",
    databaseClusterIdentifier: "slp-staging-2023-aug-cluster-cluster",
    subnetTagFilter: { key: "Name", values: ["*private*"] },
    httpSource: { kind: "vpc" },
  },
  cluster: {
    name: "myslp-staging-cluster",
    containerInsights: "enabled",
  },
  capacity: {
    instanceType: "c6g.xlarge",
    // The spec's console template pins ami-05a490ca1a643e9ea; we follow AWS's recommended image instead
    // and keep instances patched. Set { source: "pinned", id: "ami-05a490ca1a643e9ea" } to freeze it.
    ami: { source: "ssm-recommended" },
    minSize: 1,
    desiredCapacity: 1,
    maxSize: 2,
    // The console-created group's name, kept so that adopting it does not replace it.
    autoScalingGroupName: "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-ECSAutoScalingGroup-zoFBNbZvjeFk",
    // No launchTemplateName: staging adopts the console's launch template and keeps its live name.
    capacityProviderName: "myslp-staging-arm64",
    rootVolumeGiB: 30,
    reservedMemoryMiB: 256,
    // Not in the spec. maxSize 2 is room for an instance refresh to launch before it terminates; staging has no
    // load balancer, so a second instance's task would serve nothing and the group does not scale on CPU
    // (cpuTargetPercent applies only with a load balancer). An AMI refresh waits on each new instance for the
    // missing-task alarm's window plus metric delivery (docs/operations.md).
    cpuTargetPercent: 60,
    instanceWarmupSeconds: minimumInstanceWarmupSeconds(ALARM_DEFAULTS.taskShortfallMinutes),
  },
  imageRepository: {
    name: "myslp2024-aarch64",
    keepImageCount: 30,
    untaggedExpiryDays: 7,
    // The repository already exists with ECR's default AES-256; ECR cannot change that without replacing it.
    encryption: "AES256",
    // Staging owns the repository; other environments in this account push their own tag to it.
    manage: true,
  },
  accessLogBucket: "myslp-staging-access-logs-744590032041",
  task: {
    family: "slp_saas_staging",
    containerName: "slp_saas",
    image: "744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:staging",
    cpuArchitecture: "ARM64",
    cpu: 3072, // "3 vCPU"
    memory: 6144, // "6 GB"
    containerPort: 80,
    executionRoleName: "ecsTaskExecutionRole",
    taskRoleName: "myslp-staging-task",
    logGroupName: "/ecs/slp_saas_staging",
    logRetentionDays: 30,
  },
  service: {
    name: "myslp-staging-service",
    // One instance: 0 is the only value that does not stall a deploy (DAEMON cannot start a second task on the
    // instance, so the old one stops first). The site is down for the seconds the new task takes to start.
    deploymentMinimumHealthyPercent: 0,
  },
  wordpress: {
    hostUrl: "staging.storelocatorplus.com",
    home: "https://staging.storelocatorplus.com/",
    siteUrl: "https://staging.storelocatorplus.com/",
    // The owners run staging with debugging shown; production must not (validation refuses it).
    debug: true,
    configExtra:
      "define( 'WP_DEBUG_LOG', '/var/www/html/debug.log');define( 'WP_DEBUG_DISPLAY', true);define( 'WP_DEBUG_SCRIPT', true);@ini_set('display_errors',1);define('SUNRISE', true);defined('DOMAIN_CURRENT_SITE') || define('DOMAIN_CURRENT_SITE', getenv_docker('WP_HOSTURL', 'staging.storelocatorplus.com') );define('WP_ALLOW_MULTISITE', true );define('MULTISITE', true);define('SUBDOMAIN_INSTALL', false);define('PATH_CURRENT_SITE', '/');define('SITE_ID_CURRENT_SITE', 1);define('BLOG_ID_CURRENT_SITE', 1);if ( ! defined( 'WPMU_PLUGIN_DIR' ) ){define('WPMU_PLUGIN_DIR', dirname( __FILE__ ) . '/wp-content/mu-plugins' );}",
    database: {
      host: "slp-staging-2023-aug-cluster-cluster.cluster-c0glwpjjxt7q.us-east-1.rds.amazonaws.com",
      port: 3306,
      name: "myslp_dashboard",
      user: "myslp_genesis",
      // The password was typed into the console; it now lives in Secrets Manager. This stack creates the
      // empty secret; an operator puts the value once (see README). Never a literal here.
      passwordSecret: { name: "myslp/staging/wordpress-db-password", create: true },
      allowTaskAccess: true,
    },
  },
  // The spec: "automatically updated via the myslp_aws_ecs_kit git repo which triggers a CodePipeline build".
  pipeline: {
    name: "myslp-staging-image",
    source: {
      // Not in the spec: the git host and the repository's owner. Confirm both before the first deploy;
      // the connection is created PENDING and approved once in the console.
      connection: { name: "myslp-staging-git", providerType: "GitHub" },
      repositoryId: "storelocatorplus/myslp_aws_ecs_kit",
      branch: "main",
    },
    build: {
      projectName: "myslp-staging-image",
      dockerfile: "Dockerfile",
      context: ".",
      buildspec: "inline",
      computeType: "BUILD_GENERAL1_SMALL",
      image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
      timeoutMinutes: 30,
      logRetentionDays: 30,
    },
    artifactBucket: "myslp-staging-pipeline-artifacts-744590032041",
    artifactExpiryDays: 30,
  },
  // Alarms and pipeline failures go to the topic myslp-staging-alarms; thresholds are the defaults
  // (docs/operations.md). Nobody is subscribed yet (synth warns): add addresses here to be emailed (each
  // confirms once from the email SNS sends).
  alarms: { emailSubscriptions: [] },
  // The console-built staging environment, taken over without replacement (docs/adopting-staging.md).
  // Not listed: the task definition (immutable: Terraform registers a new revision of slp_saas_staging:3's
  // family instead) and the console's capacity provider, whose name the spec does not give: look it up and
  // add it as capacityProvider (and set capacity.capacityProviderName to it) before the adopting plan.
  adopt: {
    cluster: "arn:aws:ecs:us-east-1:744590032041:cluster/myslp-staging-cluster",
    autoScalingGroup: "Infra-ECS-Cluster-myslp-staging-cluster-a97a9fa8-ECSAutoScalingGroup-zoFBNbZvjeFk",
    launchTemplate: "lt-07e8f4ebedbe1c2ff",
    service: "myslp-staging-cluster/myslp-staging-service",
    imageRepository: "myslp2024-aarch64",
    executionRole: "ecsTaskExecutionRole",
  },
} as const satisfies EnvironmentInput;
