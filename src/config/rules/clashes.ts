import { partitionOf, stackName } from "../naming";
import type { EnvironmentConfig } from "../schema";

/*
 * Rules across environments (docs/configuration.md): environments of one app that would fight over one AWS resource or one
 * Terraform state. Checked over the environments that are valid on their own; each message names both
 * environments and the field.
 */

/** The stack that creates an S3 state bucket: one per project, account and region (app.ts, buildApp). */
export function bootstrapOf(env: { project: string; accountId: string; state: { backend: string; region?: string } }): string {
  return `${env.project}/${env.accountId}/${env.state.region}`;
}

// --- environments at a local endpoint (moto) share no resource with the account they borrow ---
/** True for an environment at a local AWS-compatible endpoint (moto), not a real account. */
export function atLocalEndpoint(env: { provider?: { endpoint?: string } }): boolean {
  return env.provider?.endpoint === "local";
}

/** Where an environment's resources live: its account and region, at AWS or at a local endpoint. */
export function placeOf(env: EnvironmentConfig, region: string): string {
  return `${atLocalEndpoint(env) ? "local endpoint " : ""}${env.accountId}/${region}`;
}

/** Where AWS requires a name to be unique. */
type NameScope = "partition" | "account" | "region";

/**
 * The resource names an environment's config gives, with where AWS requires each to be unique. Names derived
 * from `<project>-<name>` (../environment-names.ts) are not listed: two environments with one prefix already
 * clash as one stack id. (State buckets are the bootstrap's: stateBucketProblems.)
 */
export function configuredNames(env: EnvironmentConfig): { kind: string; name: string; field: string; scope: NameScope }[] {
  const names = [
    { kind: "ECS cluster", name: env.cluster.name, field: "cluster.name", scope: "region" },
    { kind: "Auto Scaling group", name: env.capacity.autoScalingGroupName, field: "capacity.autoScalingGroupName", scope: "region" },
    { kind: "ECS capacity provider", name: env.capacity.capacityProviderName, field: "capacity.capacityProviderName", scope: "region" },
    { kind: "ECS task family", name: env.task.family, field: "task.family", scope: "region" },
    { kind: "IAM role", name: env.task.executionRoleName, field: "task.executionRoleName", scope: "account" },
    { kind: "IAM role", name: env.task.taskRoleName, field: "task.taskRoleName", scope: "account" },
    { kind: "CloudWatch log group", name: env.task.logGroupName, field: "task.logGroupName", scope: "region" },
    { kind: "S3 bucket", name: env.accessLogBucket, field: "accessLogBucket", scope: "partition" },
  ] as const;
  const secret = env.wordpress.database.passwordSecret;
  return [
    ...names,
    ...(env.capacity.launchTemplateName
      ? [{ kind: "launch template", name: env.capacity.launchTemplateName, field: "capacity.launchTemplateName", scope: "region" as const }]
      : []),
    ...("name" in secret && secret.create
      ? [{ kind: "Secrets Manager secret", name: secret.name, field: "wordpress.database.passwordSecret.name", scope: "region" as const }]
      : []),
    ...(env.pipeline
      ? ([
          { kind: "CodePipeline pipeline", name: env.pipeline.name, field: "pipeline.name", scope: "region" },
          { kind: "CodeBuild project", name: env.pipeline.build.projectName, field: "pipeline.build.projectName", scope: "region" },
          { kind: "S3 bucket", name: env.pipeline.artifactBucket, field: "pipeline.artifactBucket", scope: "partition" },
        ] as const)
      : []),
  ];
}

/** Every problem across the environments, as text naming environment and field. */
export function crossEnvironmentProblems(envs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  const first = new Map<string, { env: string; field: string }>();
  const claim = (key: string, env: EnvironmentConfig, field: string, what: string) => {
    const earlier = first.get(key);
    if (earlier && earlier.env !== env.name) {
      problems.push(
        `Environment "${env.name}": ${field} ${what}, which environment "${earlier.env}" already uses (${earlier.field}); AWS allows one per ${scopeOf(key)}`,
      );
    } else if (!earlier) {
      first.set(key, { env: env.name, field });
    }
  };

  const seen = new Set<string>();
  for (const env of envs) {
    if (seen.has(env.name)) problems.push(`Duplicate environment name "${env.name}": each environment needs its own name`);
    seen.add(env.name);
  }

  for (const env of envs) {
    // The stack id (`<project>-<name>`) names the cdktf.out directory and `cdktf deploy <stack>`.
    claim(`stack|${stackName(env.project, env.name)}`, env, "project + name", `make the stack id "${stackName(env.project, env.name)}"`);
    const partition = partitionOf(env.region);
    // Terraform state: two environments writing one state would destroy each other's resources.
    // (A local backend keeps its state beside its own stack folder: nothing to share.)
    const state = env.state;
    if (state.backend === "s3") claim(`state|s3://${state.bucket}/${state.key}`, env, "state.bucket + state.key", `s3://${state.bucket}/${state.key}`);
    else if (state.backend === "cloud")
      claim(`state|cloud:${state.organization}/${state.workspace}`, env, "state.organization + state.workspace", `${state.organization}/${state.workspace}`);

    for (const n of configuredNames(env)) {
      const at = atLocalEndpoint(env) ? "local endpoint " : "";
      const where =
        at + (n.scope === "partition" ? partition : n.scope === "account" ? `${partition}:${env.accountId}` : `${partition}:${env.accountId}:${env.region}`);
      const label =
        n.scope === "partition"
          ? "partition (S3 bucket names are global)"
          : n.scope === "account"
            ? "account (IAM names are global in an account)"
            : "account and region";
      // S3 buckets of different kinds still clash: one bucket name is one bucket.
      const kind = n.kind === "S3 bucket" ? "bucket" : n.kind;
      claim(`${label}|${where}|${kind}|${n.name}`, env, n.field, `makes the ${n.kind} name "${n.name}"`);
    }
  }

  problems.push(...stateBucketProblems(envs), ...repositoryOwnerProblems(envs));
  return problems;
}

/**
 * State buckets: one bootstrap stack creates each, with one access-log bucket per bootstrap. Environments
 * sharing a state bucket must share its bootstrap (project, account, region), and no bucket of an
 * environment's own stack may be a state bucket (two stacks would create it).
 */
function stateBucketProblems(envs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  const stateBuckets = new Map<string, { bootstrap: string; env: string; field: string }>();
  const bootstrapLogs = new Map<string, { bucket: string; env: string }>();
  for (const env of envs) {
    if (env.state.backend !== "s3") continue;
    const bootstrap = bootstrapOf(env);
    for (const [field, bucket] of [
      ["state.bucket", env.state.bucket],
      ["state.accessLogBucket", env.state.accessLogBucket],
    ] as const) {
      const earlier = stateBuckets.get(bucket);
      if (earlier && earlier.bootstrap !== bootstrap) {
        problems.push(
          `Environment "${env.name}": ${field} "${bucket}" is created by bootstrap ${bootstrap}, but environment "${earlier.env}" has it created by bootstrap ${earlier.bootstrap} (${earlier.field}): one bootstrap per state bucket`,
        );
      } else if (earlier && earlier.field !== field) {
        problems.push(
          `Environment "${env.name}": ${field} "${bucket}" is environment "${earlier.env}"'s ${earlier.field}: the state bucket and its log bucket are two buckets`,
        );
      } else if (!earlier) {
        stateBuckets.set(bucket, { bootstrap, env: env.name, field });
      }
    }
    const logs = bootstrapLogs.get(bootstrap);
    if (logs && logs.bucket !== env.state.accessLogBucket) {
      problems.push(
        `Environment "${env.name}": state.accessLogBucket "${env.state.accessLogBucket}" differs from "${logs.bucket}" of environment "${logs.env}" with the same bootstrap (${bootstrap}): environments of one bootstrap share it`,
      );
    }
    if (!logs) bootstrapLogs.set(bootstrap, { bucket: env.state.accessLogBucket, env: env.name });
  }
  for (const env of envs) {
    for (const n of configuredNames(env)) {
      if (n.kind !== "S3 bucket") continue;
      const state = stateBuckets.get(n.name);
      if (state)
        problems.push(
          `Environment "${env.name}": ${n.field} "${n.name}" is a state bucket (${state.field} of environment "${state.env}"): the bootstrap stack creates it, so the environment's stack cannot`,
        );
    }
  }
  return problems;
}

/** One owner per ECR repository name in an account and region; the others only read it. */
function repositoryOwnerProblems(envs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string[]>();
  for (const env of envs) {
    const where = `${placeOf(env, env.region)}/${env.imageRepository.name}`;
    owners.set(where, [...(owners.get(where) ?? []), ...(env.imageRepository.manage ? [env.name] : [])]);
  }
  for (const [where, names] of owners) {
    if (names.length !== 1) {
      problems.push(
        `imageRepository.manage: repository ${where} must be managed by exactly one environment, but ${names.length === 0 ? "none does" : `${names.join(" and ")} do`}`,
      );
    }
  }
  return problems;
}

function scopeOf(key: string): string {
  if (key.startsWith("stack|")) return "app (cdktf stack ids are unique)";
  return key.startsWith("state|") ? "Terraform state (two environments would overwrite each other's state)" : key.split("|")[0];
}
