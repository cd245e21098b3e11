import { environmentSchema, type EnvironmentConfig } from "./schema";

/**
 * Thrown when a configuration is invalid; lists every bad field. `instanceof ConfigError` tells a
 * configuration mistake from a crash (synthesize and loadEnvironments throw only this for bad config).
 */
export class ConfigError extends Error {
  constructor(
    /** The environment's name, or "(app)" for problems across environments. */
    readonly environment: string,
    /** One line per problem: `<field path>: <what is wrong and what is allowed> (got <short value>)`. */
    readonly problems: readonly string[],
    message = `Invalid configuration for environment "${environment}":\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Every problem of an app's environments at once: each invalid environment's own ConfigError, and the rules
 * across environments (checked over the valid ones, so one bad environment hides no other message).
 */
export class AppConfigError extends ConfigError {
  constructor(
    /** The ConfigError of each invalid environment. */
    readonly environmentErrors: readonly ConfigError[],
    /** Problems across environments (clashing names, shared state, ...), each naming the fields. */
    readonly crossEnvironmentProblems: readonly string[],
  ) {
    const problems = [...environmentErrors.flatMap((e) => e.problems.map((p) => `${e.environment}: ${p}`)), ...crossEnvironmentProblems];
    const sections = [
      ...environmentErrors.map((e) => e.message),
      ...(crossEnvironmentProblems.length > 0
        ? [`Invalid configuration across environments:\n${crossEnvironmentProblems.map((p) => `  - ${p}`).join("\n")}`]
        : []),
    ];
    super("(app)", problems, sections.join("\n"));
    this.name = "AppConfigError";
  }
}

/** A value as an error message shows it: JSON, cut to 80 characters (a long configExtra is not repeated whole). */
export function shortForm(value: unknown): string {
  if (value === undefined) return "missing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** zod's "Unrecognized key(s)" message with at most 10 keys, each cut: keys come from the input. */
function unrecognized(keys: readonly string[]): string {
  const shown = keys.slice(0, 10).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 37)}...` : k));
  return `Unrecognized key${keys.length > 1 ? "s" : ""}: ${shown.join(", ")}${keys.length > 10 ? ` and ${keys.length - 10} more` : ""}`;
}

const pathText = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join(".") : "(environment)");

/**
 * Validates a raw environment object and returns it typed, or throws a ConfigError naming every bad field
 * by path, with the value given and what is allowed.
 */
export function validateEnvironment(raw: unknown): EnvironmentConfig {
  const result = environmentSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const name = typeof raw === "object" && raw !== null ? (raw as { name?: unknown }).name : undefined;
  const label = typeof name === "string" ? shortForm(name).replace(/^"|"$/g, "") : "(unnamed)";
  const problems = result.error.issues.map((i) => {
    const path = pathText(i.path);
    if (i.code === "unrecognized_keys") return `${path}: ${unrecognized(i.keys)}`;
    // Never echo what was put where a secret reference belongs: it may be the password pasted into config,
    // and this message ends up in terminals and CI logs. (Unknown keys' values are never shown either.)
    if (i.path.includes("passwordSecret")) return `${path}: ${i.message} (value not shown)`;
    // A bad discriminator (e.g. network.mode) is reported with its parent object as input: show the field.
    const last = i.path[i.path.length - 1];
    const input =
      i.code === "invalid_union" && typeof i.input === "object" && i.input !== null && typeof last === "string" && Object.hasOwn(i.input, last)
        ? (i.input as Record<string, unknown>)[last]
        : i.input;
    return `${path}: ${i.message} (got ${shortForm(input)})`;
  });
  throw new ConfigError(label, problems);
}
