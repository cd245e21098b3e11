import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const root = resolve(__dirname, "..", "..");
const dir = join(root, ".github", "workflows");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const scripts: Record<string, string> = pkg.scripts;
/** The command the installed CLI provides: `cdktf` (cdktf-cli) or, after tools/cdktn/codemod.cjs, `cdktn`. */
const cliPackage = Object.keys(pkg.devDependencies).find((name) => /^cdkt[fn]-cli$/.test(name))!;
const cliCommand = Object.keys(JSON.parse(readFileSync(join(root, "node_modules", cliPackage, "package.json"), "utf8")).bin)[0];
const files = readdirSync(dir).filter((f) => f.endsWith(".yml")).sort();

/** Every `run:` command of a workflow. */
function runCommands(workflow: any): string[] {
  return Object.values<any>(workflow.jobs).flatMap((job) => (job.steps ?? []).map((s: any) => s.run).filter(Boolean));
}

describe("GitHub Actions workflows", () => {
  test("exist for pull requests and for plans", () => {
    expect(files).toEqual(["plan.yml", "pull-request.yml"]);
  });

  test.each(files)("%s is valid YAML with jobs and steps", (file) => {
    const workflow = parse(readFileSync(join(dir, file), "utf8"));
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values<any>(workflow.jobs)) expect(job.steps.length).toBeGreaterThan(0);
  });

  test.each(files)("%s uses only npm scripts that package.json defines", (file) => {
    const commands = runCommands(parse(readFileSync(join(dir, file), "utf8"))).join("\n");
    const used = [...commands.matchAll(/npm (?:run(?: --silent)? )?([a-z:]+)/g)].map((m) => m[1]).filter((s) => !["ci", "install"].includes(s));
    expect(used.length).toBeGreaterThan(0);
    for (const script of used) expect({ script, defined: script in scripts }).toEqual({ script, defined: true });
  });

  test("the pull-request workflow runs the README's test command and the semantic diff of the synth against the base", () => {
    const workflow = parse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const commands = runCommands(workflow);
    expect(commands).toContain("npm ci && npm test");
    const diff = workflow.jobs["test-and-diff"].steps.find((s: any) => s.id === "diff");
    expect(diff["working-directory"]).toBe("head");
    expect(diff.run).toContain("npm run --silent diff -- --max-chars 60000 --out ../synth-diff/comment.md ../base/cdktf.out cdktf.out");
    expect(diff.run).toContain("--json");
    expect(scripts.diff).toBe("node scripts/synth-diff.cjs");
    expect(commands.some((c) => c.includes("diff -ru"))).toBe(false);
  });

  test("the pull-request workflow keeps the diff as an artifact and updates one marked comment in place", () => {
    const workflow = parse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    const steps: any[] = workflow.jobs["test-and-diff"].steps;
    const artifact = steps.find((s) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(artifact.with.path).toContain("synth-diff/synth-diff.md");
    expect(artifact.with.path).toContain("synth-diff/synth-diff.json");
    const comment = steps.find((s) => String(s.uses).startsWith("actions/github-script@"));
    const script: string = comment.with.script;
    expect(script).toContain('const marker = "<!-- myslp-synth-diff -->"');
    expect(script).toContain("github.rest.issues.updateComment");
    expect(script.indexOf("find(")).toBeLessThan(script.indexOf("createComment"));
    expect(script).toContain("const limit = 65536");
    expect(comment.env.ARTIFACT_URL).toBe("${{ steps.artifact.outputs.artifact-url }}");
    expect(workflow.concurrency.group).toBe("pull-request-${{ github.event.pull_request.number }}");
    // The marker the docs tell reviewers about is the one the workflow looks for.
    expect(readFileSync(join(root, "docs", "reviewing-changes.md"), "utf8")).toContain("<!-- myslp-synth-diff -->");
  });

  test("the pull-request workflow pins every action to a full version", () => {
    const workflow = parse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    const uses = Object.values<any>(workflow.jobs).flatMap((job) => job.steps.map((s: any) => s.uses).filter(Boolean));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect({ action, pinned: /@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(action) }).toEqual({ action, pinned: true });
  });

  test("the plan workflow assumes a role through OIDC and runs cdktf plan for one environment", () => {
    const workflow = parse(readFileSync(join(dir, "plan.yml"), "utf8"));
    expect(workflow.permissions["id-token"]).toBe("write");
    const steps = workflow.jobs.plan.steps;
    expect(steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials")).with["role-to-assume"]).toBe("${{ secrets.AWS_PLAN_ROLE_ARN }}");
    expect(runCommands(workflow)).toContain('MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run plan -- "myslp-$ENVIRONMENT"');
    expect(scripts.plan).toBe(`${cliCommand} plan`);
  });
});
