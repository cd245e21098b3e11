import type { z } from "zod";
import { checkOperations } from "./operations";
import { checkAwsRules } from "./rules/aws";
import { checkProductionRules } from "./rules/production";
import { environmentShape, type EnvironmentShape } from "./shape";

/*
 * The environment configuration: one typed, validated object per environment. The field rules are the shape
 * (./shape.ts); here are the rules across fields (and ./operations.ts, ./rules/). Every rule names its AWS
 * limit; a bad value is reported by its path with the value given and what is allowed, all bad fields at once.
 */
export * from "./shape";

export const environmentSchema = environmentShape.superRefine((env, ctx) => {
  const issue: Issue = (path, message, input) => ctx.addIssue({ code: "custom", path, message, input });
  if (env.task.cpuArchitecture === "X86_64") {
    issue(["task", "cpuArchitecture"], "must be ARM64: this platform runs on Graviton capacity and the image is built for aarch64", "X86_64");
  }
  checkImageSource(env, issue);
  if (env.adopt) checkAdoption(env, issue);
  // Provider version, local endpoint, local state, secret recovery window.
  checkProviderAndEndpoint(env, issue);
  if (env.state.backend === "s3" && env.state.region !== env.region) {
    // Allowed by S3, but the bootstrap stack creates the bucket in the environment's region.
    issue(["state", "region"], `must equal region (${env.region}): the bootstrap stack creates the state bucket there`, env.state.region);
  }
  checkEntry(env, issue);
  // Deployments, scaling, instance refresh and alarms (./operations.ts).
  checkOperations(env, issue);
  checkProductionRules(env, issue);
  checkAwsRules(env, issue);
  checkBucketsWithin(env, issue);
});

/** Where the image comes from, and what the database's security group is. */
function checkImageSource(env: EnvironmentShape, issue: Issue): void {
  // Explicit and new networks have no database cluster to discover the database's security group from.
  const db = env.wordpress.database;
  if (db.allowTaskAccess && env.network.mode !== "discover" && !env.network.databaseSecurityGroupId) {
    issue(
      ["network", "databaseSecurityGroupId"],
      `is required when wordpress.database.allowTaskAccess is true and network.mode is "${env.network.mode}"`,
      undefined,
    );
  }

  // An image from this account's ECR must come from the repository this stack manages (the pipeline pushes there).
  const ecrPrefix = `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/`;
  if (env.task.image.startsWith(ecrPrefix)) {
    const repository = env.task.image.slice(ecrPrefix.length).split(/[:@]/)[0];
    if (repository !== env.imageRepository.name) {
      issue(["task", "image"], `names ECR repository "${repository}", but imageRepository.name is "${env.imageRepository.name}"`, env.task.image);
    }
  }

  if (env.pipeline) {
    const fromOurRepository = env.task.image.startsWith(`${ecrPrefix}${env.imageRepository.name}:`);
    if (!fromOurRepository) {
      issue(["task", "image"], `must be ${ecrPrefix}${env.imageRepository.name}:<tag> when a pipeline builds the image (it pushes that tag)`, env.task.image);
    }
  }
}

/** The load balancer needs public subnets, and the task's port-80 source must be that load balancer. */
function checkEntry(env: EnvironmentShape, issue: Issue): void {
  // The load balancer needs public subnets, and the task's port-80 source must be that load balancer.
  const source = env.network.httpSource.kind;
  if (env.loadBalancer) {
    if (source !== "load-balancer") {
      issue(
        ["network", "httpSource", "kind"],
        `must be "load-balancer" when loadBalancer is set: the task admits port ${env.task.containerPort} only from it`,
        source,
      );
    }
    const hasPublicSubnets =
      (env.network.mode === "explicit" && env.network.publicSubnetIds !== undefined) ||
      (env.network.mode === "discover" && env.network.publicSubnetTagFilter !== undefined) ||
      env.network.mode === "new";
    if (!hasPublicSubnets) {
      const field = env.network.mode === "explicit" ? "publicSubnetIds" : "publicSubnetTagFilter";
      issue(["network", field], "is required when loadBalancer is set: the load balancer lives in public subnets", undefined);
    }
  } else if (source === "load-balancer") {
    issue(["network", "httpSource", "kind"], 'is "load-balancer" but there is no loadBalancer section: add one or choose vpc, cidrs or security-group', source);
  }
}

/** Within one environment, one bucket name is one bucket: the stack and the bootstrap create each once. */
function checkBucketsWithin(env: EnvironmentShape, issue: Issue): void {
  const buckets: [string[], string][] = [[["accessLogBucket"], env.accessLogBucket]];
  if (env.state.backend === "s3") {
    buckets.push([["state", "bucket"], env.state.bucket], [["state", "accessLogBucket"], env.state.accessLogBucket]);
  }
  if (env.pipeline) buckets.push([["pipeline", "artifactBucket"], env.pipeline.artifactBucket]);
  buckets.forEach(([path, bucket], index) => {
    const first = buckets.findIndex(([, other]) => other === bucket);
    if (first !== index) {
      issue(
        path,
        `must differ from ${buckets[first][0].join(".")} (same bucket name): state, state logs, access logs and build artifacts each need their own bucket`,
        bucket,
      );
    }
  });
}

type Issue = (path: (string | number)[], message: string, input: unknown) => void;

// --- rules for the provider version, the local endpoint, local state and the recovery window ---
function checkProviderAndEndpoint(env: EnvironmentShape, issue: Issue): void {
  const local = env.provider?.endpoint === "local";
  const major = env.provider?.version ? Number(env.provider.version.split(".")[0]) : 6;
  // IMMUTABLE_WITH_EXCLUSION (moving tags mutable, commit tags immutable) exists from hashicorp/aws 6.0; an
  // older provider gets a plainly IMMUTABLE repository, into which a pipeline could not re-push its tag.
  if (major < 6 && env.imageRepository.manage && env.pipeline) {
    issue(
      ["provider", "version"],
      "must be 6.0.0 or later when this environment manages the image repository and runs a pipeline (the moving tag needs IMMUTABLE_WITH_EXCLUSION)",
      env.provider?.version,
    );
  }
  if (env.production && local) issue(["provider", "endpoint"], 'must be "aws" in a production environment', "local");
  if (env.state.backend === "local" && !local) {
    issue(["state", "backend"], 'may be "local" only with provider.endpoint "local": a real environment keeps its state in S3 or Terraform Cloud', "local");
  }
  const secret = env.wordpress.database.passwordSecret;
  if ("recoveryWindowDays" in secret && secret.recoveryWindowDays === 0 && !local) {
    issue(
      ["wordpress", "database", "passwordSecret", "recoveryWindowDays"],
      "may be 0 (no recovery) only at a local endpoint: a real secret deleted by mistake must stay recoverable (7-30)",
      0,
    );
  }
}

/**
 * A resource is adopted without replacement only if our configuration keeps every setting that forces a
 * new resource: for these, the name (and for an ECS service also its cluster).
 */
function checkAdoption(env: EnvironmentShape, issue: Issue): void {
  const live = env.adopt!;
  const keep = (path: (string | number)[], ours: string | undefined, liveValue: string, what: string) => {
    if (ours !== liveValue) {
      issue(path, `is "${ours}" but the adopted ${what} is "${liveValue}": a different name would replace the live ${what}; set it to the live name`, ours);
    }
  };
  if (live.cluster) {
    const arn = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/.exec(live.cluster);
    if (arn && (arn[1] !== env.region || arn[2] !== env.accountId)) {
      issue(["adopt", "cluster"], `is in ${arn[1]}/${arn[2]}, but this environment is ${env.region}/${env.accountId}`, live.cluster);
    }
    keep(["cluster", "name"], env.cluster.name, arn ? arn[3] : live.cluster, `cluster (${live.cluster})`);
  }
  if (live.autoScalingGroup) keep(["capacity", "autoScalingGroupName"], env.capacity.autoScalingGroupName, live.autoScalingGroup, "Auto Scaling group");
  if (live.launchTemplate && env.capacity.launchTemplateName !== undefined) {
    issue(
      ["capacity", "launchTemplateName"],
      `must be left unset when adopting launch template ${live.launchTemplate}: its live name is kept, and any name set here would replace it`,
      env.capacity.launchTemplateName,
    );
  }
  if (live.service) keep(["service", "name"], `${env.cluster.name}/${env.service.name}`, live.service, "service (<cluster>/<service>)");
  if (live.taskDefinition) {
    issue(
      ["adopt", "taskDefinition"],
      "must be left out: task definitions are immutable, so importing a console revision and changing it (the password becomes a secret) would replace it; Terraform registers a new revision of the same family instead and the service moves to it in place",
      live.taskDefinition,
    );
  }
  if (live.capacityProvider) keep(["capacity", "capacityProviderName"], env.capacity.capacityProviderName, live.capacityProvider, "capacity provider");
  if (live.imageRepository) keep(["imageRepository", "name"], env.imageRepository.name, live.imageRepository, "ECR repository");
  if (live.executionRole) keep(["task", "executionRoleName"], env.task.executionRoleName, live.executionRole, "execution role");
}

/** A validated environment (the input shape, checked). */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
/**
 * What an environment file writes (before defaults and transforms): each file in src/config/ ends with
 * `as const satisfies EnvironmentInput`, so a misspelt or mistyped key is a compile error in the editor.
 */
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type NetworkConfig = EnvironmentConfig["network"];
export type HttpSource = NetworkConfig["httpSource"];
export type CapacityConfig = EnvironmentConfig["capacity"];
export type TaskConfig = EnvironmentConfig["task"];
export type WordpressConfig = EnvironmentConfig["wordpress"];
export type PipelineConfig = NonNullable<EnvironmentConfig["pipeline"]>;
export type DatabasePasswordSecretConfig = WordpressConfig["database"]["passwordSecret"];
export type { AlarmsConfig } from "./operations";
