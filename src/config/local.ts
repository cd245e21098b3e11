import type { EnvironmentInput } from "./schema";
import { derivedCapacityNames, derivedTask, GRAVITON_CAPACITY } from "./derived";
import { bucketName, resourceName } from "./naming";

/**
 * The environment of the integration tier (`npm run test:integration`): the platform applied to a local moto
 * endpoint through the cdktf CLI (`MYSLP_ENVIRONMENTS=local cdktf deploy myslp-local`, AWS_ENDPOINT_URL at
 * the endpoint). `cdktf synth` without MYSLP_ENVIRONMENTS leaves it out (provider.endpoint "local"), and it
 * shares nothing with staging though it borrows the account id. Like staging, except:
 * - the hashicorp/aws provider this machine's engine has (5.100.0, filesystem mirror), state in a local file,
 *   and a database secret deleted at once on destroy (a second deploy reuses its name);
 * - a new VPC (moto has no console-built network or database to discover), database access off;
 * - a pinned ARM64 AMI that moto knows;
 * - no pipeline: moto's CodeBuild CreateProject rejects a CODEPIPELINE source without a location (AWS does
 *   not), and CodeStar Connections is not implemented in moto; no load balancer, as in staging.
 */
const project = "myslp";
const environment = "local";
const accountId = "744590032041";
const region = "us-east-1";
const name = (purpose: string) => resourceName(project, environment, purpose);

export const local = {
  name: environment,
  production: false,
  project,
  accountId,
  region,
  provider: { version: "5.100.0", endpoint: "local" },
  state: { backend: "local" },
  network: {
    mode: "new",
    cidr: "10.30.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    natGatewayPerZone: false,
    httpSource: { kind: "vpc" },
  },
  cluster: { name: name("cluster"), containerInsights: "enabled" },
  capacity: {
    ...GRAVITON_CAPACITY,
    ...derivedCapacityNames(project, environment),
    // An arm64 image from moto's built-in AMI list.
    ami: { source: "pinned", id: "ami-0e9271c829888680e" },
    minSize: 1,
    desiredCapacity: 1,
    maxSize: 2,
  },
  imageRepository: { name: "myslp2024-aarch64", keepImageCount: 30, untaggedExpiryDays: 7, encryption: "KMS", manage: true },
  accessLogBucket: bucketName(project, environment, "access-logs", accountId),
  task: derivedTask(project, environment, accountId, region, 30, "myslp2024-aarch64"),
  service: { name: name("service"), deploymentMinimumHealthyPercent: 0 },
  wordpress: {
    hostUrl: "local.storelocatorplus.com",
    home: "https://local.storelocatorplus.com/",
    siteUrl: "https://local.storelocatorplus.com/",
    debug: true,
    configExtra: "define('SUNRISE', true);",
    database: {
      host: "db.local.storelocatorplus.com",
      port: 3306,
      name: "myslp_dashboard",
      user: "myslp_genesis",
      passwordSecret: { name: `${project}/${environment}/wordpress-db-password`, create: true, recoveryWindowDays: 0 },
      allowTaskAccess: false,
    },
  },
} as const satisfies EnvironmentInput;
