import * as path from "node:path";
import { App, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import {
  atLocalEndpoint,
  defaultEnvironments,
  EnvironmentConfig,
  imageTagsByRepository,
  loadEnvironments,
  RAW_ENVIRONMENTS,
  repositoryKey,
  selectEnvironments,
  stackName,
} from "./config";
import { PlatformStack } from "./stacks/platform-stack";
import { StateBootstrapStack, stateBootstrapStackName } from "./stacks/state-bootstrap-stack";
import { ci as CI_CONFIG } from "./config/ci";
import { CiConfig, validateCi } from "./config/ci-schema";
import { CiIdentitiesStack, ciIdentitiesStackName } from "./stacks/ci-identities-stack";

/**
 * Adds one platform stack per selected environment and one state-bootstrap stack per account and region
 * that selected environments keep S3 state in. `all` (every validated environment) decides what is shared:
 * the image tags a shared repository must keep, whichever environments are synthesized.
 */
export function buildApp(app: App, selected: readonly EnvironmentConfig[], all: readonly EnvironmentConfig[] = selected, ci?: CiConfig): App {
  const tags = imageTagsByRepository(all);
  for (const env of selected) {
    new PlatformStack(app, stackName(env.project, env.name), env, { repositoryTags: tags.get(repositoryKey(env)) ?? [] });
  }
  const byLocation = new Map<string, { env: EnvironmentConfig; bucket: string; region: string; logs: string }[]>();
  for (const env of selected) {
    if (env.state.backend !== "s3") continue;
    const key = stateBootstrapStackName(env.project, env.accountId, env.state.region);
    byLocation.set(key, [...(byLocation.get(key) ?? []), { env, bucket: env.state.bucket, region: env.state.region, logs: env.state.accessLogBucket }]);
  }
  for (const [id, states] of byLocation) {
    new StateBootstrapStack(app, id, {
      project: states[0].env.project,
      accountId: states[0].env.accountId,
      region: states[0].region,
      bucketNames: states.map((s) => s.bucket),
      accessLogBucketName: states[0].logs,
      stateKeyAdministrators: ci?.accounts.find((a) => a.accountId === states[0].env.accountId)?.stateAdministrators,
    });
  }
  // One CI identities stack per account that a selected real environment runs in, built from *every*
  // environment of that account: synthesizing one environment must not drop another's deploy role.
  if (ci) {
    const accounts = new Map<string, EnvironmentConfig>();
    for (const env of selected) if (!atLocalEndpoint(env)) accounts.set(`${env.project}/${env.accountId}`, env);
    for (const env of accounts.values()) {
      new CiIdentitiesStack(app, ciIdentitiesStackName(env.project, env.accountId), {
        project: env.project,
        account: ci.accounts.find((a) => a.accountId === env.accountId)!,
        github: ci.github,
        environments: all.filter((e) => e.project === env.project && e.accountId === env.accountId && !atLocalEndpoint(e)),
      });
    }
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
  /** Raw CI configuration (default: src/config/ci.ts). */
  readonly ci?: unknown;
}

/** What a synth wrote, and what its operators must know: one line per stack, then every warning. */
export interface SynthReport {
  readonly stacks: readonly { readonly name: string; readonly resources: number; readonly dataSources: number; readonly folder: string }[];
  readonly warnings: readonly string[];
}

/** The report's lines as `npm run synth` prints them. */
export function reportLines(report: SynthReport): string[] {
  const stacks = report.stacks.map((s) => `${s.name}: ${s.resources} resources, ${s.dataSources} data sources -> ${s.folder}`);
  return [...stacks, ...report.warnings.map((w) => `warning: ${w}`)];
}

/**
 * What each selected environment's configuration leaves to a person: alarms that reach nobody, and the
 * assumptions its file asks to confirm before the first deploy.
 */
export function configWarnings(env: EnvironmentConfig): string[] {
  const warnings: string[] = [];
  if (env.alarms.emailSubscriptions.length === 0 && env.alarms.topicArn === undefined) {
    warnings.push(
      env.alarms.noSubscriberReason
        ? `${env.name}: alarms reach nobody (alarms.noSubscriberReason: ${env.alarms.noSubscriberReason})`
        : `${env.name}: alarms reach nobody: alarms.emailSubscriptions is empty and there is no alarms.topicArn (src/config/${env.name}.ts)`,
    );
  }
  for (const assumption of env.assumptions ?? []) warnings.push(`${env.name}: confirm before the first deploy: ${assumption}`);
  return warnings;
}

/**
 * Validates every environment first, then synthesizes. A validation error throws before any App exists,
 * so a bad value writes nothing: no half-right plan can come out of a failed synth.
 */
export function synthesize(options: SynthOptions = {}): SynthReport {
  const all = loadEnvironments(options.environments ?? RAW_ENVIRONMENTS);
  const selected = options.only ? selectEnvironments(all, options.only) : defaultEnvironments(all);
  // CI identities exist for real accounts only: a run with only local-endpoint environments has none to check.
  const ci = defaultEnvironments(all).length > 0 ? validateCi(options.ci ?? CI_CONFIG, all) : undefined;
  // skipValidation: cdktf's only validations here run `terraform version` once per import block (7 spawns,
  // ~0.35 s) and fail synth on a machine without Terraform. Our configuration is validated above, and each
  // stack states the Terraform it needs (required_version), which Terraform itself enforces at plan time.
  const app = new App({ skipValidation: true, ...(options.outdir ? { outdir: options.outdir } : {}) });
  buildApp(app, selected, all, ci).synth();
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  return {
    stacks: stacks.map((stack) => {
      const elements = stack.node.findAll();
      return {
        name: stack.node.id,
        resources: elements.filter((e) => e instanceof TerraformResource).length,
        dataSources: elements.filter((e) => e instanceof TerraformDataSource).length,
        folder: path.relative(process.cwd(), path.join(app.outdir, "stacks", stack.node.id)) || ".",
      };
    }),
    warnings: selected.flatMap(configWarnings),
  };
}

/** MYSLP_ENVIRONMENTS="staging,production" as a list; undefined when unset or empty. */
export function environmentsFromEnv(value: string | undefined): string[] | undefined {
  const names = value
    ?.split(",")
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  return names && names.length > 0 ? names : undefined;
}
