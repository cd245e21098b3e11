import { staging } from "./staging";
import { ConfigError, EnvironmentConfig, validateEnvironment } from "./schema";

export * from "./schema";
export { environmentPrefix, resourceName, stackName } from "./naming";

/** Every environment this app knows, raw (validated by loadEnvironments). Add one file per environment. */
export const RAW_ENVIRONMENTS: readonly unknown[] = [staging];

/**
 * Validates all environments, and that their names are unique; throws one error listing every problem.
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
    const where = `${env.accountId}/${env.state.region}`;
    const seenBucket = logBuckets.get(where);
    if (seenBucket && seenBucket !== env.state.accessLogBucket) {
      problems.push(
        `Environment "${env.name}": state.accessLogBucket "${env.state.accessLogBucket}" differs from "${seenBucket}" of another environment in ${where}: environments in one account and region share it`,
      );
    }
    logBuckets.set(where, seenBucket ?? env.state.accessLogBucket);
  }
  const known = valid.map((e) => e.name);
  for (const wanted of only ?? []) {
    if (!known.includes(wanted)) {
      problems.push(`Unknown environment "${wanted}" (from MYSLP_ENVIRONMENTS): allowed are ${known.join(", ")}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return only && only.length > 0 ? valid.filter((e) => only.includes(e.name)) : valid;
}
