import type { EnvironmentInput } from "./schema";
import { derivedCapacityNames, derivedTask, GRAVITON_CAPACITY } from "./derived";
import { bucketName, resourceName } from "./naming";

/**
 * Production: the same platform as staging, names derived from the naming helper, debugging off, a load
 * balancer with HTTPS in front, its own state key and its own image repository (no staging principal can
 * write or delete the images production runs: ECR permissions are per repository, not per tag).
 *
 * ASSUMPTIONS to confirm before the first deploy (the spec describes staging only): the site's host name,
 * the production database cluster, and the branch that releases to production. They are marked below.
 */
const project = "myslp";
const environment = "production";
const accountId = "744590032041";
const region = "us-east-1";
const name = (purpose: string) => resourceName(project, environment, purpose);
const imageRepository = name("aarch64");

// ASSUMPTION: the production site and database cluster (same account and region as staging, so the same
// RDS endpoint suffix).
const hostUrl = "dashboard.storelocatorplus.com";
const databaseCluster = "slp-production-cluster";

export const production = {
  name: environment,
  production: true,
  // Printed by every synth until confirmed and removed (the spec describes staging only).
  assumptions: [
    `wordpress.hostUrl: ${hostUrl} is the production site`,
    `network.databaseClusterIdentifier: ${databaseCluster} is the production database cluster`,
    "pipeline.source.branch: merges to production release it",
    "alarms.emailSubscriptions: ops@storelocatorplus.com is who is paged",
  ],
  project,
  accountId,
  region,
  state: {
    backend: "s3",
    // The same bucket as staging (one bootstrap per account and region), its own key.
    bucket: "myslp-terraform-state-744590032041-us-east-1",
    key: `${project}/${environment}/terraform.tfstate`,
    region,
    accessLogBucket: "myslp-terraform-state-logs-744590032041-us-east-1",
  },
  network: {
    mode: "discover",
    databaseClusterIdentifier: databaseCluster,
    subnetTagFilter: { key: "Name", values: ["*private*"] },
    publicSubnetTagFilter: { key: "Name", values: ["*public*"] },
    httpSource: { kind: "load-balancer" },
  },
  cluster: { name: name("cluster"), containerInsights: "enhanced" },
  capacity: {
    ...GRAVITON_CAPACITY,
    ...derivedCapacityNames(project, environment),
    ami: { source: "ssm-recommended" },
    // Two instances in two zones: one daemon task each, so a lost instance leaves the site up.
    minSize: 2,
    desiredCapacity: 2,
    maxSize: 4,
  },
  imageRepository: {
    name: imageRepository,
    keepImageCount: 30,
    untaggedExpiryDays: 7,
    encryption: "KMS",
    // Its own repository, built by its own pipeline from the release branch: staging's roles cannot reach it.
    manage: true,
  },
  accessLogBucket: bucketName(project, environment, "access-logs", accountId),
  loadBalancer: {
    // DNS for the site is not in Route 53 as far as we know: the validation record is a stack output.
    certificate: { kind: "create" },
    healthCheckPath: "/",
    deletionProtection: true,
  },
  task: derivedTask(project, environment, accountId, region, 365, imageRepository),
  service: {
    name: name("service"),
    // Two instances: ECS keeps 1 of 2 daemon tasks running and replaces them one at a time (validation
    // refuses 0 here, which would stop both at once).
    deploymentMinimumHealthyPercent: 50,
  },
  wordpress: {
    hostUrl,
    home: `https://${hostUrl}/`,
    siteUrl: `https://${hostUrl}/`,
    debug: false,
    // Staging's multisite settings without the debug log and error display.
    configExtra: `define('SUNRISE', true);defined('DOMAIN_CURRENT_SITE') || define('DOMAIN_CURRENT_SITE', getenv_docker('WP_HOSTURL', '${hostUrl}') );define('WP_ALLOW_MULTISITE', true );define('MULTISITE', true);define('SUBDOMAIN_INSTALL', false);define('PATH_CURRENT_SITE', '/');define('SITE_ID_CURRENT_SITE', 1);define('BLOG_ID_CURRENT_SITE', 1);if ( ! defined( 'WPMU_PLUGIN_DIR' ) ){define('WPMU_PLUGIN_DIR', dirname( __FILE__ ) . '/wp-content/mu-plugins' );}`,
    database: {
      host: `${databaseCluster}.cluster-c0glwpjjxt7q.${region}.rds.amazonaws.com`,
      port: 3306,
      name: "myslp_dashboard",
      user: "myslp_genesis",
      passwordSecret: { name: `${project}/${environment}/wordpress-db-password`, create: true },
      allowTaskAccess: true,
    },
  },
  // ASSUMPTION: who is paged. A production environment must name a subscriber (or topicArn, or a reasoned
  // noSubscriberReason); the address confirms once from the email SNS sends.
  alarms: { emailSubscriptions: ["ops@storelocatorplus.com"] },
  pipeline: {
    name: name("image"),
    source: {
      connection: { name: name("git"), providerType: "GitHub" },
      repositoryId: "storelocatorplus/myslp_aws_ecs_kit",
      // ASSUMPTION: releases to production are merges to this branch.
      branch: "production",
    },
    build: {
      projectName: name("image"),
      dockerfile: "Dockerfile",
      context: ".",
      buildspec: "inline",
      computeType: "BUILD_GENERAL1_SMALL",
      image: "aws/codebuild/amazonlinux-aarch64-standard:3.0",
      timeoutMinutes: 30,
      logRetentionDays: 365,
    },
    artifactBucket: bucketName(project, environment, "pipeline-artifacts", accountId),
    artifactExpiryDays: 30,
  },
} as const satisfies EnvironmentInput;
