import { production } from "./production";
import { staging } from "./staging";
import { imageTag } from "./fields";
import type { EnvironmentConfig } from "./schema";
import { ConfigError, validateEnvironment } from "./validate";

export * from "./schema";
export { imageTag } from "./fields";
export * from "./validate";
export { ALARM_DEFAULTS, minimumInstanceWarmupSeconds, oneAtATimePercent, tasksStoppedAtOnce } from "./operations";
export { bucketName, environmentPrefix, resourceName, stackName, taskFamily } from "./naming";

/** Every environment this app knows, raw (validated by loadEnvironments). Add one file per environment. */
export const RAW_ENVIRONMENTS: readonly unknown[] = [staging, production];

/**
 * Validates all environments, and the rules across them (unique names, one owner per image repository,
 * one state access-log bucket per account and region); throws one error listing every problem.
 * `only` restricts the result to the named environments (an unknown name is an error).
 */
export function loadEnvironments(raw: readonly unknown[] = RAW_ENVIRONMENTS, only?: readonly string[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const valid: EnvironmentConfig[] = [];
  for (const entry of raw) {
    try {
      valid.push(validateEnvironment(entry));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  const seen = new Set<string>();
  for (const env of valid) {
    if (seen.has(env.name)) problems.push(`Duplicate environment name "${env.name}": each environment needs its own name`);
    seen.add(env.name);
  }
  // Environments sharing an account and region share one bootstrap stack, so one state access-log bucket.
  const logBuckets = new Map<string, string>();
  for (const env of valid) {
    if (env.state.backend !== "s3") continue;
    const where = `${env.accountId}/${env.state.region}`;
    const seenBucket = logBuckets.get(where);
    if (seenBucket && seenBucket !== env.state.accessLogBucket) {
      problems.push(
        `Environment "${env.name}": state.accessLogBucket "${env.state.accessLogBucket}" differs from "${seenBucket}" of another environment in ${where}: environments in one account and region share it`,
      );
    }
    logBuckets.set(where, seenBucket ?? env.state.accessLogBucket);
  }
  // One owner per ECR repository name in an account and region; the others only read it.
  const owners = new Map<string, string[]>();
  for (const env of valid) {
    const where = `${env.accountId}/${env.region}/${env.imageRepository.name}`;
    owners.set(where, [...(owners.get(where) ?? []), ...(env.imageRepository.manage ? [env.name] : [])]);
  }
  for (const [where, names] of owners) {
    if (names.length !== 1) {
      problems.push(
        `imageRepository.manage: repository ${where} must be managed by exactly one environment, but ${names.length === 0 ? "none does" : `${names.join(" and ")} do`}`,
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return only ? selectEnvironments(valid, only) : valid;
}

/** The named environments out of the validated ones; an unknown name is an error naming the allowed ones. */
export function selectEnvironments(all: readonly EnvironmentConfig[], only: readonly string[]): EnvironmentConfig[] {
  const known = all.map((e) => e.name);
  const unknown = only.filter((wanted) => !known.includes(wanted));
  if (unknown.length > 0) {
    throw new Error(unknown.map((u) => `Unknown environment "${u}" (from MYSLP_ENVIRONMENTS): allowed are ${known.join(", ")}`).join("\n"));
  }
  return all.filter((e) => only.includes(e.name));
}

/**
 * The image tags every environment runs from each repository (account/region/name), so that the owning
 * environment's lifecycle policy and mutability exclusions cover the tags of the environments sharing it.
 */
export function imageTagsByRepository(all: readonly EnvironmentConfig[]): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const env of all) {
    const tag = imageTag(env.task.image);
    const key = repositoryKey(env);
    if (tag && !(tags.get(key) ?? []).includes(tag)) tags.set(key, [...(tags.get(key) ?? []), tag]);
  }
  return tags;
}

export function repositoryKey(env: EnvironmentConfig): string {
  return `${env.accountId}/${env.region}/${env.imageRepository.name}`;
}
