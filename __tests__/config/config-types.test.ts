import { problemsOf, stagingRaw } from "../helpers";

/** Every leaf of the staging config, as [path, value]. Arrays count as leaves (their element rules are tested elsewhere). */
function leaves(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

/** A value of the wrong type for a field that holds `value`. */
function wrongTypeFor(value: unknown): unknown {
  switch (typeof value) {
    case "string":
      return 12345;
    case "number":
      return "12345";
    case "boolean":
      return "yes";
    default:
      return Array.isArray(value) ? "not-a-list" : 0;
  }
}

function setAt(target: any, path: (string | number)[], value: unknown): void {
  const parent = path.slice(0, -1).reduce((node, key) => node[key], target);
  parent[path[path.length - 1]] = value;
}

const fields = leaves(stagingRaw()).map(([path, value]) => [path.join("."), path, value] as const);

describe("every config field rejects a value of the wrong type, naming the field", () => {
  test("the staging config has the fields this covers", () => {
    expect(fields.length).toBeGreaterThan(60);
  });

  test.each(fields)("%s", (name, path, value) => {
    const raw = stagingRaw();
    setAt(raw, path, wrongTypeFor(value));
    const problems = problemsOf(raw);
    // Discriminators and union members are reported at the enclosing object.
    const reported = problems.some((p) => name.startsWith(p.split(":")[0]));
    expect({ name, problems, reported }).toEqual({ name, problems, reported: true });
  });

  test("a missing required field is named too", () => {
    const raw = stagingRaw();
    delete raw.task.family;
    expect(problemsOf(raw)).toEqual(["task.family: Invalid input: expected string, received undefined (got missing)"]);
  });
});
