import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const { judge } = require("../../scripts/check-cdktn.cjs");
const { diffStacks } = require("../../scripts/lib/synth-diff.cjs");

/** A small stack in cdk.tf.json form. */
function stack(version: string, extra: Record<string, any> = {}) {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } },
    resource: { aws_ecs_cluster: { cluster: { name: "myslp-staging-cluster" } }, ...(extra.resource ?? {}) },
    data: { aws_vpc: { vpc: { default: true } }, ...(extra.data ?? {}) },
    output: { cluster: { value: "x" }, ...(extra.output ?? {}) },
    ...(extra.import ? { import: extra.import } : {}),
  };
}

const pin = { kind: "terraform", address: "terraform.required_providers", path: "aws.version", before: "6.25.0", after: "6.66.0", reason: "provider pin" };

describe("check:cdktn's verdict on the semantic diff", () => {
  test("same addresses and only listed attribute differences: passes, each difference with its reason", () => {
    const report = diffStacks({ a: stack("6.25.0"), b: stack("6.25.0") }, { a: stack("6.66.0"), b: stack("6.66.0") });
    const verdict = judge(report, [pin]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.explained.map((e: any) => [e.stack, e.path, e.reason])).toEqual([
      ["a", "aws.version", "provider pin"],
      ["b", "aws.version", "provider pin"],
    ]);
  });

  test.each([
    [
      "an attribute difference not on the list",
      { a: stack("6.25.0") },
      { a: stack("6.25.0", { resource: {}, output: { cluster: { value: "y" } } }) },
      [],
      /output\.cluster value: "x" -> "y" is not in/,
    ],
    ["the same path with another after value", { a: stack("6.25.0") }, { a: stack("6.67.0") }, [pin], /aws\.version: "6\.25\.0" -> "6\.67\.0" is not in/],
    [
      "a resource only in CDK Terrain's synth",
      { a: stack("6.25.0") },
      { a: stack("6.25.0", { resource: { aws_sns_topic: { t: { name: "t" } } } }) },
      [],
      /resource aws_sns_topic\.t appears only with CDK Terrain/,
    ],
    [
      "a data source missing",
      { a: stack("6.25.0", { data: { aws_region: { r: {} } } }) },
      { a: stack("6.25.0") },
      [],
      /data data\.aws_region\.r is missing with CDK Terrain/,
    ],
    ["an output missing", { a: stack("6.25.0", { output: { extra: { value: "1" } } }) }, { a: stack("6.25.0") }, [], /output output\.extra is missing/],
    [
      "an import block missing",
      { a: stack("6.25.0", { import: [{ to: "aws_ecs_cluster.cluster", id: "c" }] }) },
      { a: stack("6.25.0") },
      [],
      /import .*aws_ecs_cluster\.cluster is missing/,
    ],
    ["a whole stack missing", { a: stack("6.25.0"), b: stack("6.25.0") }, { a: stack("6.25.0") }, [], /stack b is missing from CDK Terrain's synth/],
    ["a listed difference that no longer occurs", { a: stack("6.25.0") }, { a: stack("6.25.0") }, [pin], /listed difference no longer occurs.*aws\.version/],
    [
      "an entry limited to other stacks",
      { a: stack("6.25.0") },
      { a: stack("6.66.0") },
      [{ ...pin, stacks: ["b"] }],
      /a: terraform\.required_providers aws\.version/,
    ],
  ])("fails on %s", (_name, base, head, expected, message) => {
    const verdict = judge(diffStacks(base, head), expected);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.join("\n")).toMatch(message as RegExp);
  });

  test("an address wildcard matches every address it covers", () => {
    const entry = { kind: "resource", address: "aws_ecs_cluster.*", path: "name", before: "myslp-staging-cluster", after: "other", reason: "r" };
    const head = stack("6.25.0");
    head.resource.aws_ecs_cluster.cluster.name = "other";
    expect(judge(diffStacks({ a: stack("6.25.0") }, { a: head }), [entry]).ok).toBe(true);
  });

  test("every reviewed entry names what it matches and why", () => {
    const { differences } = JSON.parse(readFileSync(join(root, "tools", "cdktn", "expected-differences.json"), "utf8"));
    expect(differences.length).toBeGreaterThan(0);
    for (const entry of differences) {
      expect(Object.keys(entry).sort()).toEqual(expect.arrayContaining(["address", "after", "before", "kind", "path", "reason"]));
      expect(entry.reason.length).toBeGreaterThan(40);
    }
  });
});
