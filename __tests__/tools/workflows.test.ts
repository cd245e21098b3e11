import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const root = resolve(__dirname, "..", "..");
const dir = join(root, ".github", "workflows");
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
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

  test("the pull-request workflow runs the README's test command and diffs the synth against the base", () => {
    const workflow = parse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const commands = runCommands(workflow);
    expect(commands).toContain("npm ci && npm test");
    expect(commands.some((c) => c.includes("diff -ru") && c.includes("base/cdktf.out/stacks head/cdktf.out/stacks"))).toBe(true);
  });

  test("the plan workflow assumes a role through OIDC and runs cdktf plan for one environment", () => {
    const workflow = parse(readFileSync(join(dir, "plan.yml"), "utf8"));
    expect(workflow.permissions["id-token"]).toBe("write");
    const steps = workflow.jobs.plan.steps;
    expect(steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials")).with["role-to-assume"]).toBe("${{ secrets.AWS_PLAN_ROLE_ARN }}");
    expect(runCommands(workflow)).toContain('MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run plan -- "myslp-$ENVIRONMENT"');
    expect(scripts.plan).toBe("cdktf plan");
  });
});
