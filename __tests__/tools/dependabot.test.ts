import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const root = resolve(__dirname, "..", "..");
const config = parse(readFileSync(join(root, ".github", "dependabot.yml"), "utf8"));
const updates: { "package-ecosystem": string; directory: string }[] = config.updates;

describe("Dependabot", () => {
  test("proposes updates for the root npm package, the CDK Terrain check's package and the GitHub Actions", () => {
    expect(config.version).toBe(2);
    expect(updates.map((u) => `${u["package-ecosystem"]} ${u.directory}`).sort()).toEqual(["github-actions /", "npm /", "npm /tools/cdktn"]);
  });
});
