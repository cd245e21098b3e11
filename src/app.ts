import { App } from "cdktf";
import { EnvironmentConfig, stackName } from "./config";
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
    });
  }
  return app;
}
