import { environmentSchema, type EnvironmentConfig } from "./schema";
import { shortForm, toPlainData } from "./rules/plain-data";

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

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string") return shortForm(value);
  // The schema only ever sees toPlainData's copy: acyclic plain data, so JSON.stringify cannot throw here.
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return shortForm(value);
  }
}

/** zod's "Unrecognized key(s)" message with at most 10 keys, each cut: keys come from the input. */
function unrecognized(keys: readonly string[]): string {
  const shown = keys.slice(0, 10).map((k) => JSON.stringify(k.length > 40 ? `${k.slice(0, 37)}...` : k));
  return `Unrecognized key${keys.length > 1 ? "s" : ""}: ${shown.join(", ")}${keys.length > 10 ? ` and ${keys.length - 10} more` : ""}`;
}

const pathText = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join(".") : "(environment)");

/**
 * Validates a raw environment object and returns it typed, or throws a ConfigError naming every bad field
 * by path, with the value given and what is allowed. Never throws anything else, whatever `raw` is.
 */
export function validateEnvironment(raw: unknown): EnvironmentConfig {
  const plain = toPlainData(raw);
  const data = plain.value;
  const result = environmentSchema.safeParse(data, { reportInput: true });
  if (result.success && plain.problems.length === 0) return result.data;
  const name = typeof data === "object" && data !== null ? (data as { name?: unknown }).name : undefined;
  const label = typeof name === "string" ? shortForm(name, 40).replace(/^"|"$/g, "") : "(unnamed)";
  const reported = plain.problems.map((p) => pathText(p.path));
  const covered = (path: string) => reported.some((r) => r === "(environment)" || path === r || path.startsWith(`${r}.`));
  // Fields the schema does not know: their values are never shown (they may be a password pasted in).
  const unknownFields = (result.success ? [] : result.error.issues).flatMap((i) =>
    i.code === "unrecognized_keys" ? i.keys.map((key) => pathText([...i.path, key])) : [],
  );
  const hidden = (path: readonly PropertyKey[]) => {
    const text = pathText(path);
    return path.includes("passwordSecret") || unknownFields.some((u) => text === u || text.startsWith(`${u}.`));
  };
  const secretPath = (path: readonly PropertyKey[]) => path.includes("passwordSecret");
  const problems = plain.problems.map((p) =>
    hidden(p.path) ? `${pathText(p.path)}: ${p.message.replace(/ \(got .*\)$/s, "")} (value not shown)` : `${pathText(p.path)}: ${p.message}`,
  );
  for (const i of result.success ? [] : result.error.issues) {
    const path = pathText(i.path);
    // A value toPlainData left out is reported once, by toPlainData (not again as "expected string").
    if (covered(path)) continue;
    // A bad discriminator (e.g. network.mode) is reported with its parent object as input: show the field.
    const last = i.path[i.path.length - 1];
    const input =
      i.code === "invalid_union" && typeof i.input === "object" && i.input !== null && typeof last === "string" && Object.hasOwn(i.input, last)
        ? (i.input as Record<string, unknown>)[last]
        : i.input;
    // Never echo what was put where a secret reference belongs, nor unknown keys' values: either may be a
    // password pasted into config, and this message ends up in terminals and CI logs.
    if (i.code === "unrecognized_keys") problems.push(`${path}: ${unrecognized(i.keys)}`);
    else if (secretPath(i.path)) problems.push(`${path}: ${i.message} (value not shown)`);
    else problems.push(`${path}: ${i.message} (got ${describe(input)})`);
  }
  throw new ConfigError(label, problems);
}
