// Types for the Testing matchers (toHaveResource, ...) that setup.js registers.
import "cdktf/lib/testing/adapters/jest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { synthesize, SynthOptions } from "../src/app";
import { AppConfigError, ConfigError, EnvironmentConfig, EnvironmentInput, loadEnvironments, validateEnvironment } from "../src/config";
import { production } from "../src/config/production";
import { staging } from "../src/config/staging";
import { PlatformStack } from "../src/stacks/platform-stack";

/** Terraform JSON as synthesized: blocks by type, then by logical id. */
export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  terraform: Record<string, unknown>;
  provider: Record<string, Record<string, unknown>[]>;
  output?: Record<string, { value: unknown }>;
  import?: { to: string; id: string }[];
}

/** A new VPC (network mode "new") in staging's region: the shape the network and bad-input tests start from. */
export const NEW_VPC_NETWORK = {
  mode: "new",
  cidr: "10.20.0.0/16",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  natGatewayPerZone: false,
  databaseSecurityGroupId: "sg-0123456789abcdef0",
  httpSource: { kind: "vpc" },
} as const satisfies EnvironmentInput["network"];

/** A deep, mutable copy of the staging config for tests to change. */
export function stagingRaw(): any {
  return JSON.parse(JSON.stringify(staging));
}

/** A deep, mutable copy of the production config for tests to change. */
export function productionRaw(): any {
  return JSON.parse(JSON.stringify(production));
}

/** The production config, validated. */
export function productionEnvironment(): EnvironmentConfig {
  return validateEnvironment(productionRaw());
}

/**
 * The staging config, validated, optionally changed first. The change is typed like an environment file
 * (EnvironmentInput), so a test cannot set a misspelt key; bad-input tests use stagingRaw() and problemsOf().
 */
export function stagingConfig(change?: (raw: EnvironmentInput) => void): EnvironmentConfig {
  const raw = stagingRaw();
  change?.(raw);
  return validateEnvironment(raw);
}

/** Synthesizes a platform stack for the given config; returns the raw JSON string and its parsed form. */
export function synthPlatform(env: EnvironmentConfig = stagingConfig()): { synth: string; json: TerraformJson } {
  const app = Testing.app();
  const stack = new PlatformStack(app as App, "test", env);
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) as TerraformJson };
}

/**
 * Synthesizes one construct (or a few) in a minimal stack, without the rest of the platform: faster than
 * synthPlatform, and the test sees only what that construct makes. `build` creates it in the given scope.
 */
export function synthConstruct(build: (scope: Construct) => void): { synth: string; json: TerraformJson } {
  const synth = Testing.synthScope((scope) => build(scope as Construct));
  const json = JSON.parse(synth);
  return { synth, json: { resource: {}, data: {}, terraform: {}, provider: {}, ...json } as TerraformJson };
}

/** The single resource of a type (fails the test when there are none or several). */
export function only(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): Record<string, any> {
  const blocks = Object.values(json[kind][type] ?? {});
  if (blocks.length !== 1) throw new Error(`expected exactly one ${kind} ${type}, found ${blocks.length}`);
  return blocks[0] as Record<string, any>;
}

/** All resources of a type. */
export function all(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): Record<string, any>[] {
  return Object.values(json[kind][type] ?? {}) as Record<string, any>[];
}

/** The resource of a type whose logical id contains `part`. */
export function named(json: TerraformJson, type: string, part: string): Record<string, any> {
  const entries = Object.entries(json.resource[type] ?? {}).filter(([id]) => id.includes(part));
  if (entries.length !== 1) throw new Error(`expected one ${type} with id containing ${part}, found ${entries.length}`);
  return entries[0][1] as Record<string, any>;
}

/** The Terraform address (type.logical_id) of the single resource of a type. */
export function addressOf(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): string {
  const ids = Object.keys(json[kind][type] ?? {});
  if (ids.length !== 1) throw new Error(`expected exactly one ${type}, found ${ids.length}`);
  return kind === "data" ? `data.${type}.${ids[0]}` : `${type}.${ids[0]}`;
}

/** A reference to an attribute of the single resource of a type, as Terraform JSON writes it. */
export function ref(json: TerraformJson, type: string, attribute: string, kind: "resource" | "data" = "resource"): string {
  return `\${${addressOf(json, type, kind)}.${attribute}}`;
}

/** The Terraform address of the resource of a type whose logical id contains `part`. */
export function addressNamed(json: TerraformJson, type: string, part: string): string {
  const ids = Object.keys(json.resource[type] ?? {}).filter((id) => id.includes(part));
  if (ids.length !== 1) throw new Error(`expected one ${type} with id containing ${part}, found ${ids.length}`);
  return `${type}.${ids[0]}`;
}

/** A reference to an attribute of the resource of a type whose logical id contains `part`. */
export function refNamed(json: TerraformJson, type: string, part: string, attribute: string): string {
  return `\${${addressNamed(json, type, part)}.${attribute}}`;
}

/** Parses a policy document string. */
export function policy(document: string): { Version: string; Statement: any[] } {
  return JSON.parse(document);
}

/** Every config-validation message for a raw environment, or [] when it is valid. */
export function problemsOf(raw: unknown): string[] {
  try {
    buildPlatform(raw);
    return [];
  } catch (error) {
    return (error as { problems?: string[] }).problems ?? [(error as Error).message];
  }
}

/**
 * What stops synth for one raw environment: the config rules (a ConfigError listing every bad field), then the
 * constructs' own checks while the stack is built (an Error whose message starts with the config field).
 */
function buildPlatform(raw: unknown): void {
  new PlatformStack(Testing.app() as App, "check", validateEnvironment(raw));
}

/** A whole app synthesized into a temporary folder: its stacks, each stack's JSON, and a way to remove it. */
export interface SynthesizedApp {
  outdir: string;
  /** Stack names, sorted (the folders of cdktf.out/stacks). */
  stacks: string[];
  /** The parsed cdk.tf.json of a stack. */
  json(stack: string): any;
  remove(): void;
}

/**
 * Synthesizes the app (every environment, or the chosen ones) into a new temporary folder, as `npm run synth`
 * does. Call `remove()` when done (e.g. `afterAll(app.remove)`).
 */
export function synthApp(options: Omit<SynthOptions, "outdir"> = {}): SynthesizedApp {
  const parent = mkdtempSync(join(tmpdir(), "myslp-app-"));
  const outdir = join(parent, "out");
  synthesize({ ...options, outdir });
  return {
    outdir,
    stacks: readdirSync(join(outdir, "stacks")).sort(),
    json: (stack) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/**
 * One row of a bad-input table: how the input is made, the field the ConfigError must name, and a fragment of
 * what the message says.
 */
export interface ConfigErrorRow {
  /** What the row tries (the test's name). */
  readonly case: string;
  /** Changes a deep copy of the staging config (the default input). */
  readonly change?: (raw: any) => void;
  /** Builds the whole raw input instead (for values a JSON copy cannot hold, or no object at all). */
  readonly input?: () => unknown;
  /** Several raw environments for loadEnvironments: rules across environments. */
  readonly environments?: () => unknown[];
  /** The field path the message must name, e.g. `capacity.instanceType`. */
  readonly field: string;
  /** A fragment (or pattern) of the message: what is wrong or what is allowed. */
  readonly says: string | RegExp;
}

/** The longest message line a row accepts: long values are cut, never echoed whole. */
export const MAX_PROBLEM_LENGTH = 1200;

/**
 * The one table runner for bad input: one test per row, each asserting that a ConfigError (never another
 * error) names the row's field and says what the row expects, with every message line short.
 */
export function expectConfigError(rows: readonly ConfigErrorRow[]): void {
  test.each(rows.map((row) => [row.case, row] as const))("%s", (_case, row) => {
    let caught: unknown;
    try {
      if (row.environments) loadEnvironments(row.environments());
      else buildPlatform(row.input ? row.input() : changedStaging(row.change));
    } catch (error) {
      caught = error;
    }
    // A config rule throws a ConfigError; a construct's own check (the stack being built) an Error.
    expect(caught).toBeInstanceOf(row.environments ? AppConfigError : Error);
    const problems = caught instanceof ConfigError ? [...caught.problems] : [(caught as Error).message];
    // Single environment: the line starts with the field; across environments it names "<field>" in the text.
    const names = (p: string) => (row.environments ? new RegExp(`(^|[\\s:])${escapeRegExp(row.field)}([\\s:.]|$)`).test(p) : p.startsWith(`${row.field}: `));
    const says = (p: string) => (typeof row.says === "string" ? p.includes(row.says) : row.says.test(p));
    const hit = problems.find((p) => names(p) && says(p));
    expect({ problems, hit }).toEqual({ problems, hit: expect.any(String) });
    for (const p of problems) expect(p.length).toBeLessThanOrEqual(MAX_PROBLEM_LENGTH);
  });
}

function changedStaging(change?: (raw: any) => void): unknown {
  const raw = stagingRaw();
  change?.(raw);
  return raw;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
