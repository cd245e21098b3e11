/*
 * Class 1 of docs/configuration.md, "never crash": before the schema sees an environment, it is copied into
 * plain data (objects, arrays, strings, finite numbers, booleans, null) without trusting anything about it.
 * Whatever JavaScript an operator puts into a config file (a bigint, a function, a symbol, a Map, a Date, a
 * boxed String, a circular object, a getter or a Proxy that throws, a huge string, NaN) becomes a problem
 * naming its field, never a TypeError, and the schema only ever parses the copy.
 */

/** A value that is not configuration data, found at `path`. */
export interface PlainDataProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Longest string accepted anywhere (the longest field, WORDPRESS_CONFIG_EXTRA, allows 16 KiB). */
export const MAX_STRING_LENGTH = 65536;
/** Longest list and deepest nesting accepted: far beyond any real environment, short of a runaway value. */
export const MAX_LIST_LENGTH = 1000;
export const MAX_DEPTH = 16;
/** Most keys an object may have, and the longest key: field names are short. */
export const MAX_KEYS = 200;
export const MAX_KEY_LENGTH = 128;

/**
 * Text cdktf reads as its own token markers (`${TfToken[...]}`, `#{TfToken[...]}`, `&{TfToken[...]}`): in a
 * string it is replaced by another resource's value or stops synth, and no Terraform escape hides it from
 * cdktf (cdktf lib/tokens/private/encoding.js, STRING_TOKEN_REGEX / LIST_TOKEN_REGEX / MAP_TOKEN_REGEX).
 */
const CDKTF_TOKEN_MARKER = /[$#&]\{TfToken\[/;

/** Copies `raw` into plain data; values that are not data are left out and reported by path. */
export function toPlainData(raw: unknown): { value: unknown; problems: PlainDataProblem[] } {
  const problems: PlainDataProblem[] = [];
  const ancestors: object[] = [];
  const copy = (value: unknown, path: (string | number)[]): unknown => {
    const bad = (message: string): undefined => {
      problems.push({ path, message: `${message} (got ${shortForm(value)})` });
      return undefined;
    };
    if (value === UNREADABLE) return undefined; // already reported by readProperty
    switch (typeof value) {
      case "string":
        if (value.length > MAX_STRING_LENGTH) return bad(`must be at most ${MAX_STRING_LENGTH} characters long`);
        if (CDKTF_TOKEN_MARKER.test(value)) return bad("must not contain cdktf's token marker ${TfToken[, #{TfToken[ or &{TfToken[ (cdktf would replace it)");
        return value;
      case "number":
        return Number.isFinite(value) ? value : bad("must be a finite number");
      case "boolean":
      case "undefined":
        return value;
      case "bigint":
        return bad("must be a plain number, not a bigint");
      case "function":
        return bad("must be a value, not a function");
      case "symbol":
        return bad("must be a value, not a symbol");
    }
    if (value === null) return null;
    if (ancestors.length >= MAX_DEPTH) return bad(`is nested deeper than ${MAX_DEPTH} levels`);
    const object = value as object;
    const depth = ancestors.length;
    if (ancestors.includes(object)) return bad("refers back to an object that contains it (circular)");
    try {
      if (Array.isArray(object)) {
        const length = object.length;
        if (length > MAX_LIST_LENGTH) return bad(`must list at most ${MAX_LIST_LENGTH} items`);
        ancestors.push(object);
        const items: unknown[] = [];
        for (let i = 0; i < length; i++) items.push(copy(readProperty(object, i, path, problems), [...path, i]));
        ancestors.pop();
        return items;
      }
      const prototype = Object.getPrototypeOf(object);
      if (prototype !== Object.prototype && prototype !== null) {
        return bad("must be a plain object literal ({ ... }), not an instance of a class (Map, Date, String, ...)");
      }
      ancestors.push(object);
      const result: Record<string, unknown> = Object.create(null);
      const keys = Object.keys(object);
      if (keys.length > MAX_KEYS) {
        ancestors.length = depth;
        return bad(`must have at most ${MAX_KEYS} keys`);
      }
      for (const key of keys) {
        if (key.length > MAX_KEY_LENGTH) {
          problems.push({ path: [...path, `${key.slice(0, 20)}...`], message: `is not a field name (a key of ${key.length} characters)` });
          continue;
        }
        result[key] = copy(readProperty(object, key, path, problems), [...path, key]);
      }
      ancestors.pop();
      // A prototype-less record: keys such as __proto__ or constructor stay data (and the schema refuses them).
      return result;
    } catch {
      ancestors.length = depth;
      return bad("cannot be read (a getter or Proxy threw)");
    }
  };
  const value = copy(raw, []);
  return { value, problems };
}

const UNREADABLE = Symbol("unreadable");

function readProperty(object: object, key: string | number, path: (string | number)[], problems: PlainDataProblem[]): unknown {
  try {
    return (object as Record<string | number, unknown>)[key];
  } catch {
    problems.push({ path: [...path, key], message: "cannot be read (its getter threw)" });
    return UNREADABLE;
  }
}

/**
 * A short, safe description of any value for an error message: never calls user code that may throw, never
 * loops on a circular value, cuts long text.
 */
export function shortForm(value: unknown, max = 80): string {
  const cut = (text: string) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);
  try {
    switch (typeof value) {
      case "undefined":
        return "missing";
      case "string":
        return cut(JSON.stringify(value.length > max ? value.slice(0, max) : value)) + (value.length > max ? ` (${value.length} characters)` : "");
      case "number":
      case "boolean":
        return String(value);
      case "bigint":
        return cut(`${value.toString()}n`);
      case "symbol":
        return cut(`Symbol(${value.description ?? ""})`);
      case "function":
        return cut(`function ${typeof value.name === "string" ? value.name : ""}`.trim());
    }
    if (value === null) return "null";
    if (value === UNREADABLE) return "an unreadable value";
    if (Array.isArray(value)) return `a list of ${value.length}`;
    const prototype = Object.getPrototypeOf(value);
    if (prototype === null || prototype === Object.prototype) {
      const keys = Object.keys(value as object);
      return cut(`{ ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? ", ..." : ""} }`);
    }
    const constructorName = prototype?.constructor?.name;
    return cut(`a ${typeof constructorName === "string" && constructorName ? constructorName : "non-plain"} object`);
  } catch {
    return "an unreadable value";
  }
}
