import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { synthApp } from "../helpers";

// The generator is a plain script (npm run diagram); its pure part is tested here.
const { diagramFor, constructDiagramFor, README_STACK, START, END } = require("../../scripts/diagram.cjs");

const root = resolve(__dirname, "..", "..");
const app = synthApp();
const stacks = app.stacks;
const stackJson = app.json;
afterAll(app.remove);

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

describe.each(stacks)("constructs picture of %s", (stack) => {
  const json = stackJson(stack);
  const picture: string = constructDiagramFor(json);
  // The top-level constructs, read here from the blocks' metadata paths independently of the generator.
  const constructs = [
    ...new Set(
      (["resource", "data"] as const).flatMap((kind) =>
        Object.values<Record<string, any>>(json[kind] ?? {}).flatMap((blocks) => Object.values(blocks).map((b) => b["//"].metadata.path.split("/")[1])),
      ),
    ),
  ];

  test("has one box per top-level construct, and no other", () => {
    const boxes = [...picture.matchAll(/^ {2}c_(\w+)\["/gm)].map((m) => m[1]);
    expect(boxes.sort()).toEqual(constructs.map((c) => c.replace(/[^A-Za-z0-9_]/g, "_")).sort());
  });

  test("labels every arrow", () => {
    const arrows = picture.split("\n").filter((line) => line.includes("-->"));
    expect(arrows.length).toBeGreaterThan(0);
    for (const arrow of arrows) expect(arrow).toMatch(/^ {2}c_\w+ -->\|"[^"]+"\| c_\w+$/);
  });

  test("is the committed docs/diagrams file (run npm run diagram after changing the code)", () => {
    expect(readFileSync(join(root, "docs", "diagrams", `${stack}.constructs.mmd`), "utf8")).toBe(picture);
  });
});

describe("README", () => {
  test("embeds the current constructs picture", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toContain(START);
    const block = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END));
    expect(block).toBe(`\n\`\`\`mermaid\n${constructDiagramFor(stackJson(README_STACK))}\`\`\`\n`);
  });

  test("the constructs picture draws what the service reads from the cluster, the task and the network", () => {
    const picture: string = constructDiagramFor(stackJson("myslp-staging"));
    expect(picture).toContain(`  c_cluster -->|"arn"| c_service\n`);
    expect(picture).toContain(`  c_task -->|"task definition family<br/>task definition revision"| c_service\n`);
    expect(picture).toContain(`  c_network -->|"private subnets ids"| c_service\n`);
  });

  test("the staging inventory links the service to its cluster", () => {
    const diagram: string = diagramFor(stackJson("myslp-staging"));
    const service = Object.keys(stackJson("myslp-staging").resource.aws_ecs_service)[0];
    const cluster = Object.keys(stackJson("myslp-staging").resource.aws_ecs_cluster)[0];
    expect(diagram).toContain(`  aws_ecs_cluster_${cluster} --> aws_ecs_service_${service}\n`);
  });
});
