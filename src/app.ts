import { App } from "cdktf";
import { EnvironmentConfig, loadEnvironments, RAW_ENVIRONMENTS, stackName } from "./config";
import { PlatformStack } from "./stacks/platform-stack";
import { StateBootstrapStack, stateBootstrapStackName } from "./stacks/state-bootstrap-stack";

/**
 * Adds one platform stack per environment and one state-bootstrap stack per account and region the
 * environments keep their state in. The environments must already be validated.
 */
export function buildApp(app: App, environments: readonly EnvironmentConfig[]): App {
  for (const env of environments) {
    new PlatformStack(app, stackName(env.project, env.name), env);
  }
  const byLocation = new Map<string, EnvironmentConfig[]>();
  for (const env of environments) {
    const key = stateBootstrapStackName(env.project, env.accountId, env.state.region);
    byLocation.set(key, [...(byLocation.get(key) ?? []), env]);
  }
  for (const [id, envs] of byLocation) {
    new StateBootstrapStack(app, id, {
      project: envs[0].project,
      accountId: envs[0].accountId,
      region: envs[0].state.region,
      bucketNames: envs.map((e) => e.state.bucket),
      accessLogBucketName: envs[0].state.accessLogBucket,
    });
  }
  return app;
}

export interface SynthOptions {
  /** Raw environment configs (default: every file in src/config). */
  readonly environments?: readonly unknown[];
  /** Only these environments (e.g. from MYSLP_ENVIRONMENTS); an unknown name is an error. */
  readonly only?: readonly string[];
  /** Output directory (default: cdktf's, cdktf.out). */
  readonly outdir?: string;
}

/**
 * Validates every environment first, then synthesizes. A validation error throws before any App exists,
 * so a bad value writes nothing: no half-right plan can come out of a failed synth.
 */
export function synthesize(options: SynthOptions = {}): void {
  const environments = loadEnvironments(options.environments ?? RAW_ENVIRONMENTS, options.only);
  const app = new App(options.outdir ? { outdir: options.outdir } : undefined);
  buildApp(app, environments).synth();
}

/** MYSLP_ENVIRONMENTS="staging,production" as a list; undefined when unset or empty. */
export function environmentsFromEnv(value: string | undefined): string[] | undefined {
  const names = value?.split(",").map((e) => e.trim()).filter((e) => e.length > 0);
  return names && names.length > 0 ? names : undefined;
}
