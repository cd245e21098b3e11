/*
 * The shape of the source a reader relies on, read with TypeScript's parser: every prop of every construct is
 * documented and every optional one says its @default (as aws-cdk's props do), and no function is longer
 * than a reader can hold (MAX_FUNCTION_LINES).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as ts from "typescript";

const root = resolve(__dirname, "..", "..");
const MAX_FUNCTION_LINES = 100;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const files = sources(join(root, "src")).map((file) => ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true));

function each(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => each(child, visit));
}

describe("construct props", () => {
  const props: { where: string; documented: boolean; optional: boolean; defaulted: boolean }[] = [];
  for (const file of files.filter((f) => f.fileName.includes(join("src", "constructs")))) {
    each(file, (node) => {
      if (!ts.isInterfaceDeclaration(node) || !node.name.text.endsWith("Props")) return;
      for (const member of node.members) {
        const doc = ts
          .getJSDocCommentsAndTags(member)
          .map((d) => d.getText())
          .join(" ");
        props.push({
          where: `${relative(root, file.fileName)} ${node.name.text}.${member.name?.getText()}`,
          documented: doc.length > 0,
          optional: member.questionToken !== undefined,
          defaulted: doc.includes("@default"),
        });
      }
    });
  }

  test("are found (a parser that found none would pass vacuously)", () => {
    expect(props.length).toBeGreaterThan(100);
    expect(props.some((p) => p.optional)).toBe(true);
  });
  test("are each documented", () => {
    expect(props.filter((p) => !p.documented).map((p) => p.where)).toEqual([]);
  });
  test("say their @default when optional", () => {
    expect(props.filter((p) => p.optional && !p.defaulted).map((p) => p.where)).toEqual([]);
  });
});

describe("functions", () => {
  test(`are at most ${MAX_FUNCTION_LINES} lines long`, () => {
    const long: string[] = [];
    for (const file of files) {
      each(file, (node) => {
        if (!ts.isFunctionLike(node) || !("body" in node) || !node.body) return;
        const start = file.getLineAndCharacterOfPosition(node.getStart()).line;
        const lines = file.getLineAndCharacterOfPosition(node.getEnd()).line - start + 1;
        if (lines > MAX_FUNCTION_LINES) long.push(`${relative(root, file.fileName)}:${start + 1} (${lines} lines)`);
      });
    }
    expect(long).toEqual([]);
  });
});
