import { environmentSchema, type EnvironmentConfig } from "./schema";

/** Thrown when a configuration is invalid; lists every bad field. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration for environment "${environment}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Validates a raw environment object and returns it typed, or throws a ConfigError naming every bad field
 * by path, with the value given and what is allowed.
 */
export function validateEnvironment(raw: unknown): EnvironmentConfig {
  const result = environmentSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const label =
    typeof raw === "object" && raw !== null && typeof (raw as { name?: unknown }).name === "string"
      ? (raw as { name: string }).name
      : "(unnamed)";
  const problems = result.error.issues.map((i) => {
    const path = i.path.length > 0 ? i.path.join(".") : "(environment)";
    // A bad discriminator (e.g. network.mode) is reported with its parent object as input: show the field.
    const last = i.path[i.path.length - 1];
    const input =
      i.code === "invalid_union" && typeof i.input === "object" && i.input !== null && typeof last === "string" && last in i.input
        ? (i.input as Record<string, unknown>)[last]
        : i.input;
    // Never echo what was put where a secret reference belongs, nor unknown keys' values: either may be a
    // password pasted into config, and this message ends up in terminals and CI logs.
    if (i.code === "unrecognized_keys") return `${path}: ${i.message}`;
    if (i.path.includes("passwordSecret")) return `${path}: ${i.message} (value not shown)`;
    return `${path}: ${i.message} (got ${describe(input)})`;
  });
  throw new ConfigError(label, problems);
}
