import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesize } from "../../src/app";

// The generator is a plain script (npm run diagram); its pure part is tested here.
const { diagramFor, README_STACK, START, END } = require("../../scripts/diagram.cjs");

const root = resolve(__dirname, "..", "..");
const outdir = join(mkdtempSync(join(tmpdir(), "myslp-diagram-")), "out");
synthesize({ outdir });
const stacks = readdirSync(join(outdir, "stacks")).sort();
const stackJson = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const nodeId = (address: string) => address.replace(/[^A-Za-z0-9_]/g, "_");

describe.each(stacks)("diagram of %s", (stack) => {
  const json = stackJson(stack);
  const diagram: string = diagramFor(json);

  test("has a node for every resource and data source", () => {
    const addresses = [
      ...Object.entries<Record<string, unknown>>(json.resource ?? {}).flatMap(([type, ids]) => Object.keys(ids).map((id) => `${type}.${id}`)),
      ...Object.entries<Record<string, unknown>>(json.data ?? {}).flatMap(([type, ids]) => Object.keys(ids).map((id) => `data.${type}.${id}`)),
    ];
    expect(addresses.length).toBeGreaterThan(10);
    for (const address of addresses) expect({ address, present: diagram.includes(`    ${nodeId(address)}["`) }).toEqual({ address, present: true });
  });

  test("draws an arrow for a reference", () => {
    expect(diagram.startsWith("flowchart LR\n")).toBe(true);
    expect(diagram).toMatch(/ --> /);
  });

  test("is the committed docs/diagrams file (run npm run diagram after changing the code)", () => {
    expect(readFileSync(join(root, "docs", "diagrams", `${stack}.mmd`), "utf8")).toBe(diagram);
  });
});

describe("README", () => {
  test("embeds the current staging diagram", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
    expect(block).toBe(`\n\`\`\`mermaid\n${diagramFor(stackJson(README_STACK))}\`\`\`\n`);
  });

  test("the staging diagram links the service to its task definition and cluster", () => {
    const diagram: string = diagramFor(stackJson("myslp-staging"));
    const service = Object.keys(stackJson("myslp-staging").resource.aws_ecs_service)[0];
    const cluster = Object.keys(stackJson("myslp-staging").resource.aws_ecs_cluster)[0];
    expect(diagram).toContain(`  aws_ecs_cluster_${cluster} --> aws_ecs_service_${service}\n`);
  });
});
