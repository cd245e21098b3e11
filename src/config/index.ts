import { local } from "./local";
import { production } from "./production";
import { staging } from "./staging";
import { imageTag } from "./fields";
import type { EnvironmentConfig } from "./schema";
import { atLocalEndpoint, crossEnvironmentProblems, placeOf } from "./rules/clashes";
import { AppConfigError, ConfigError, shortForm, validateEnvironment } from "./validate";

export * from "./schema";
export { imageTag } from "./fields";
export * from "./validate";
export { ALARM_DEFAULTS, METRIC_DELIVERY_MINUTES, minimumInstanceWarmupSeconds } from "./operations";
export { bucketName, CI_IAM_PATH, environmentPrefix, resourceName, stackName, taskFamily, workloadBoundaryArn } from "./naming";
export { awsLbName, environmentNames, LOAD_BALANCER_ALARMS, SERVICE_ALARMS } from "./environment-names";
export type { EnvironmentNames } from "./environment-names";

export { atLocalEndpoint } from "./rules/clashes";

/**
 * Every environment this app knows, raw (validated by loadEnvironments). Add one file per environment.
 * `local` (a moto endpoint, provider.endpoint "local") is synthesized only when named: see defaultEnvironments.
 */
export const RAW_ENVIRONMENTS: readonly unknown[] = [staging, production, local];

/** What `cdktf synth` produces without MYSLP_ENVIRONMENTS: every environment of a real account. */
export function defaultEnvironments(all: readonly EnvironmentConfig[]): EnvironmentConfig[] {
  return all.filter((e) => !atLocalEndpoint(e));
}

/**
 * Validates all environments, and the rules across them (src/config/rules/clashes.ts: state locations, names
 * AWS requires to be unique, one bootstrap per state bucket, one owner per image repository). Throws one
 * AppConfigError (a ConfigError) listing every problem: each invalid environment's, and the cross-environment
 * rules over the valid ones, so one bad environment hides no other message.
 * `only` restricts the result to the named environments (an unknown name is a ConfigError too).
 */
export function loadEnvironments(raw: readonly unknown[] = RAW_ENVIRONMENTS, only?: readonly string[]): EnvironmentConfig[] {
  const errors: ConfigError[] = [];
  const valid: EnvironmentConfig[] = [];
  if (!Array.isArray(raw)) throw new AppConfigError([], [`environments: must be a list of environment objects (got ${shortForm(raw)})`]);
  raw.forEach((entry) => {
    try {
      valid.push(validateEnvironment(entry));
    } catch (error) {
      // validateEnvironment throws only ConfigError; anything else is a bug worth its own stack trace.
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  });
  const cross = crossEnvironmentProblems(valid);
  if (errors.length > 0 || cross.length > 0) throw new AppConfigError(errors, cross);
  return only ? selectEnvironments(valid, only) : valid;
}

/** The named environments out of the validated ones; an unknown name is a ConfigError naming the allowed ones. */
export function selectEnvironments(all: readonly EnvironmentConfig[], only: readonly string[]): EnvironmentConfig[] {
  const known = all.map((e) => e.name);
  const unknown = only.filter((wanted) => !known.includes(wanted));
  if (unknown.length > 0) {
    throw new AppConfigError(
      [],
      unknown.map((u) => `Unknown environment "${u}" (from MYSLP_ENVIRONMENTS): allowed are ${known.join(", ")}`),
    );
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
  return `${placeOf(env, env.region)}/${env.imageRepository.name}`;
}
