import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { App, Testing } from "cdktf";
import { defaultEnvironments, loadEnvironments } from "../../src/config";
import { ci } from "../../src/config/ci";
import { validateCi } from "../../src/config/ci-schema";
import { CiIdentitiesStack, GITHUB_VARIABLES } from "../../src/stacks/ci-identities-stack";

const root = resolve(__dirname, "..", "..");
const dir = join(root, ".github", "workflows");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const scripts: Record<string, string> = pkg.scripts;
/** The command the installed CLI provides: `cdktf` (cdktf-cli) or, after tools/cdktn/codemod.cjs, `cdktn`. */
const cliPackage = Object.keys(pkg.devDependencies).find((name) => /^cdkt[fn]-cli$/.test(name))!;
const cliCommand = Object.keys(JSON.parse(readFileSync(join(root, "node_modules", cliPackage, "package.json"), "utf8")).bin)[0];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yml"))
  .sort();

/** Every `run:` command of a workflow. */
function runCommands(workflow: any): string[] {
  return Object.values<any>(workflow.jobs).flatMap((job) => (job.steps ?? []).map((s: any) => s.run).filter(Boolean));
}

describe("GitHub Actions workflows", () => {
  test("exist for pull requests, plans, deploys and drift detection", () => {
    expect(files).toEqual(["deploy.yml", "drift.yml", "plan.yml", "pull-request.yml"]);
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
    // The comment job writes it (the only job that may write to the pull request), from the diff job's artifacts.
    const comment = workflow.jobs.comment.steps.find((s: any) => String(s.uses).startsWith("actions/github-script@"));
    const script: string = comment.with.script;
    expect(script).toContain('const marker = "<!-- myslp-synth-diff -->"');
    expect(script).toContain("github.rest.issues.updateComment");
    expect(script.indexOf("find(")).toBeLessThan(script.indexOf("createComment"));
    expect(script).toContain("const limit = 65536");
    expect(comment.env.ARTIFACT_URL).toBe("${{ needs.test-and-diff.outputs.artifact-url }}");
    expect(workflow.jobs["test-and-diff"].outputs["artifact-url"]).toBe("${{ steps.artifact.outputs.artifact-url }}");
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

  test("the plan workflow assumes a role through OIDC and plans one synthesized environment with terraform", () => {
    const workflow = parse(readFileSync(join(dir, "plan.yml"), "utf8"));
    expect(workflow.jobs.plan.permissions["id-token"]).toBe("write");
    const steps = workflow.jobs.plan.steps;
    expect(steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials")).with["role-to-assume"]).toBe(
      "${{ vars.AWS_PLAN_ROLE_ARN }}",
    );
    const commands = runCommands(workflow);
    expect(commands).toContain('MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run synth');
    expect(commands).toContain('terraform -chdir="cdktf.out/stacks/$STACK" init -input=false');
    expect(commands).toContain('terraform -chdir="cdktf.out/stacks/$STACK" plan -lock=false -input=false');
    expect(workflow.jobs.plan.env.STACK).toBe(`myslp-${workflow.jobs.plan.env.ENVIRONMENT}`);
    expect(scripts.synth).toBe("node scripts/run-app.cjs");
  });
});

// --- issue 13: CI identities, deploy and drift workflows ---
describe("workflows and the CI identities they assume", () => {
  const real = defaultEnvironments(loadEnvironments());
  const withS3State = real.filter((e) => e.state.backend === "s3").map((e) => e.name);
  const config = validateCi(ci, real);
  const identities = new CiIdentitiesStack(Testing.app() as App, "ci", {
    project: "myslp",
    account: config.accounts[0],
    github: config.github,
    environments: real,
  });
  const outputs = Object.keys(JSON.parse(Testing.synth(identities)).output);
  const workflow = (file: string) => parse(readFileSync(join(dir, file), "utf8"));
  const text = (file: string) => readFileSync(join(dir, file), "utf8");
  const steps = (file: string, job: string) => workflow(file).jobs[job].steps as any[];
  const credentials = (file: string, job: string) => steps(file, job).find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));

  test.each(files)("%s reads only variables the identities stack has an output for", (file) => {
    const used = [...text(file).matchAll(/\$\{\{\s*vars\.([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]);
    for (const name of used) {
      const variable = (GITHUB_VARIABLES as Record<string, { scope: string; output: (env: string) => string }>)[name];
      expect({ name, known: variable !== undefined }).toEqual({ name, known: true });
      const needed = variable.scope === "repository" ? [variable.output("")] : withS3State.map((e) => variable.output(e));
      for (const output of needed) expect({ name, output, exists: outputs.includes(output) }).toEqual({ name, output, exists: true });
    }
  });

  test.each(files)("%s pins aws-actions/configure-aws-credentials to a commit and keeps no role in secrets", (file) => {
    for (const m of text(file).matchAll(/aws-actions\/configure-aws-credentials@(\S+)/g)) expect(m[1]).toMatch(/^[0-9a-f]{40}$/);
    expect(text(file)).not.toMatch(/secrets\.AWS_[A-Z_]*ROLE/);
  });

  test("plan and drift assume the plan role, in jobs without a GitHub environment (their subject is the branch)", () => {
    expect(credentials("plan.yml", "plan").with["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    expect(credentials("drift.yml", "drift").with["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    expect(workflow("plan.yml").jobs.plan.environment).toBeUndefined();
    expect(workflow("drift.yml").jobs.drift.environment).toBeUndefined();
    // The plan role trusts main: the plan workflow runs on pushes to it, drift on the default branch's schedule.
    expect(workflow("plan.yml").on.push.branches).toEqual([config.github.mainBranch]);
  });

  test("plan, deploy and drift offer exactly the environments of real accounts", () => {
    const names = real.map((e) => e.name);
    expect(workflow("plan.yml").on.workflow_dispatch.inputs.environment.options).toEqual(names);
    expect(workflow("deploy.yml").on.workflow_dispatch.inputs.environment.options).toEqual(withS3State);
    expect(workflow("drift.yml").jobs.drift.strategy.matrix.environment).toEqual(names);
  });

  test("deploy runs by hand only, from main, in the GitHub environment of the same name, with that environment's role", () => {
    const deploy = workflow("deploy.yml");
    expect(Object.keys(deploy.on)).toEqual(["workflow_dispatch"]);
    expect(deploy.permissions).toEqual({});
    expect(deploy.jobs.deploy.permissions).toEqual({ "id-token": "write", contents: "read" });
    expect(deploy.jobs.deploy.environment).toBe("${{ inputs.environment }}");
    expect(deploy.jobs.deploy.if).toBe("github.ref == 'refs/heads/main'");
    expect(credentials("deploy.yml", "deploy").with["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    expect(runCommands(deploy)).toContain('MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run deploy -- "myslp-$ENVIRONMENT" --auto-approve');
    expect(scripts.deploy).toBe(`${cliCommand} deploy`);
  });

  test("drift plans each environment daily, reads the saved plan and judges it", () => {
    const drift = workflow("drift.yml");
    expect(drift.on.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(drift.jobs.drift.strategy["fail-fast"]).toBe(false);
    const commands = runCommands(drift);
    expect(commands).toContain('MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run synth');
    expect(commands).toContain('terraform -chdir="cdktf.out/stacks/$STACK" init -input=false');
    // Saved as "plan" in the stack's directory, where cdktf plan saves it too (the integration tier reads that file).
    expect(commands).toContain('terraform -chdir="cdktf.out/stacks/$STACK" plan -lock=false -input=false -out=plan');
    expect(commands).toContain('terraform -chdir="cdktf.out/stacks/$STACK" show -json plan > "$RUNNER_TEMP/plan.json"');
    expect(commands).toContain('npm run --silent plan:judge -- "$STACK" "$RUNNER_TEMP/plan.json"');
    expect(scripts["plan:judge"]).toBe("node scripts/judge-plan.cjs");
    expect(drift.jobs.drift.env.STACK).toBe("myslp-${{ matrix.environment }}");
  });
});

// --- zizmor (npm run lint:workflows) audits the workflows; these tests keep what it cannot see or judge offline ---
describe("workflow hardening", () => {
  const text = (file: string) => readFileSync(join(dir, file), "utf8");
  const workflow = (file: string) => parse(text(file));
  /** Every job of every workflow, named "<file> <job>". */
  const jobs = files.flatMap((file) => Object.entries<any>(workflow(file).jobs).map(([name, job]) => ({ file, name: `${file} ${name}`, job })));
  const steps = (job: any): any[] => job.steps ?? [];
  const isCredentials = (step: any) => String(step.uses ?? "").startsWith("aws-actions/configure-aws-credentials@");
  /** A run step that installs packages (and so runs their install scripts). */
  const installs = (step: any) => /\bnpm (ci|install|i)\b/.test(String(step.run ?? ""));
  /** Jobs that assume the plan role: they must never take the production state lock. */
  const planRoleJobs = jobs.filter(({ job }) => steps(job).some((s) => isCredentials(s) && s.with?.["role-to-assume"] === "${{ vars.AWS_PLAN_ROLE_ARN }}"));

  test.each(files)("%s pins every action to a full commit SHA with its tag in a comment", (file) => {
    const parsed = workflow(file);
    const uses: string[] = Object.values<any>(parsed.jobs).flatMap((job) => [job.uses, ...steps(job).map((s) => s.uses)].filter(Boolean));
    expect(uses.length).toBeGreaterThan(0);
    // The comment is invisible to the YAML parser: read it from the `uses:` lines as written.
    const written = [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({ action: m[1], comment: m[2].trim() }));
    expect(written.map((w) => w.action).sort()).toEqual([...uses].sort());
    for (const { action, comment } of written) {
      // A local action (./path) comes with this repository's commit; every other must name an immutable commit.
      if (action.startsWith("./")) continue;
      expect({ action, pinned: /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(action) }).toEqual({ action, pinned: true });
      expect({ action, comment, tagged: /^# v\d+(\.\d+){0,2}$/.test(comment) }).toEqual({ action, comment, tagged: true });
    }
  });

  test("one commit carries one tag comment across all workflows", () => {
    const tags = new Map<string, Set<string>>();
    for (const file of files) {
      for (const m of text(file).matchAll(/uses:\s*([^\s@]+@[0-9a-f]{40})\s*#\s*(\S+)/g)) tags.set(m[1], (tags.get(m[1]) ?? new Set()).add(m[2]));
    }
    expect(tags.size).toBeGreaterThan(0);
    for (const [action, seen] of tags) expect({ action, tags: [...seen] }).toEqual({ action, tags: [[...seen][0]] });
  });

  test.each(files)("%s checks out without keeping the token in .git/config (persist-credentials: false)", (file) => {
    const checkouts = Object.values<any>(workflow(file).jobs).flatMap((job) => steps(job).filter((s) => String(s.uses ?? "").startsWith("actions/checkout@")));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts)
      expect({ step: step.name ?? step.uses, persist: step.with?.["persist-credentials"] }).toEqual({ step: step.name ?? step.uses, persist: false });
  });

  test("every job assumes its AWS role only after every package install (no install script sees credentials)", () => {
    const withCredentials = jobs.filter(({ job }) => steps(job).some(isCredentials));
    expect(withCredentials.map(({ name }) => name)).toEqual(
      expect.arrayContaining(["deploy.yml deploy", "drift.yml drift", "plan.yml plan", "pull-request.yml plan"]),
    );
    for (const { name, job } of withCredentials) {
      const all = steps(job);
      const firstCredentials = all.findIndex(isCredentials);
      const lastInstall = all.map((s, i) => (installs(s) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
      expect({ job: name, installs: lastInstall >= 0 }).toEqual({ job: name, installs: true });
      expect({ job: name, installBeforeCredentials: lastInstall < firstCredentials }).toEqual({ job: name, installBeforeCredentials: true });
    }
  });

  test("only jobs that assume an AWS role get an OIDC token; only the commenting job may write to pull requests; nothing by default", () => {
    for (const file of files) expect({ file, permissions: workflow(file).permissions }).toEqual({ file, permissions: {} });
    for (const { name, job } of jobs) {
      const permissions = job.permissions ?? {};
      const comments = steps(job).some(
        (s) => String(s.uses ?? "").startsWith("actions/github-script@") && /createComment|updateComment/.test(s.with?.script ?? ""),
      );
      expect({ job: name, "id-token": permissions["id-token"] === "write" }).toEqual({ job: name, "id-token": steps(job).some(isCredentials) });
      expect({ job: name, "pull-requests": permissions["pull-requests"] === "write" }).toEqual({ job: name, "pull-requests": comments });
      const writes = Object.entries(permissions).filter(([scope, level]) => level === "write" && !["id-token", "pull-requests"].includes(scope));
      expect({ job: name, writes }).toEqual({ job: name, writes: [] });
    }
  });

  test("jobs with the plan role plan with terraform -lock=false and never through cdktf (which takes the lock)", () => {
    expect(planRoleJobs.map(({ name }) => name)).toEqual(expect.arrayContaining(["drift.yml drift", "plan.yml plan", "pull-request.yml plan"]));
    for (const { name, job } of planRoleJobs) {
      const commands: string[] = steps(job)
        .map((s) => s.run)
        .filter(Boolean);
      // `terraform [-chdir=...] <subcommand> ...`: the subcommand is the first word after the global options.
      const terraform = commands.flatMap((c) =>
        [...c.matchAll(/\bterraform((?:\s+-\S+)*)\s+([a-z-]+)\b([^\n]*)/g)].map((m) => ({ command: m[0], subcommand: m[2] })),
      );
      const plans = terraform.filter((t) => t.subcommand === "plan").map((t) => t.command);
      expect({ job: name, plans: plans.length > 0 }).toEqual({ job: name, plans: true });
      for (const plan of plans) expect({ job: name, plan, unlocked: /\s-lock=false(\s|$)/.test(plan) }).toEqual({ job: name, plan, unlocked: true });
      // Nothing else that locks state, and never a break of someone else's lock.
      const locking = terraform.filter((t) => !["init", "plan", "show", "validate", "fmt", "version", "providers"].includes(t.subcommand));
      expect({ job: name, locking }).toEqual({ job: name, locking: [] });
      const viaCdktf = commands.filter((c) => /\b(cdktf|cdktn) (plan|diff|deploy)\b|\bnpm run (plan|deploy)\b/.test(c));
      expect({ job: name, viaCdktf }).toEqual({ job: name, viaCdktf: [] });
      // The state it plans against is the synthesized environment's own folder.
      for (const plan of plans) expect(plan).toContain('-chdir="cdktf.out/stacks/$STACK"');
      expect(job.env.STACK).toMatch(/^myslp-\$\{\{ .+ \}\}$/);
    }
  });

  test("the deploy job (deploy role) keeps taking the state lock", () => {
    const commands = runCommands(workflow("deploy.yml"));
    expect(commands.some((c) => c.includes("npm run deploy"))).toBe(true);
    expect(commands.filter((c) => /-lock=false|-lock-timeout/.test(c))).toEqual([]);
  });

  test.each(files)("%s expands no ${{ }} expression inside a shell script (values reach scripts through env)", (file) => {
    const scriptsWithExpressions = Object.values<any>(workflow(file).jobs)
      .flatMap((job) => steps(job))
      .flatMap((s) => [s.run, s.with?.script].filter(Boolean))
      .filter((script: string) => script.includes("${{"));
    expect(scriptsWithExpressions).toEqual([]);
  });
});

// --- the pull request's Terraform plan (scripts/plan-summary.cjs) under the synth diff, in the same comment ---
describe("the pull-request workflow's Terraform plan and its one comment", () => {
  const workflow = parse(readFileSync(join(dir, "pull-request.yml"), "utf8"));
  const plan = workflow.jobs.plan;
  const comment = workflow.jobs.comment;
  const planCommands: string[] = plan.steps.map((s: any) => s.run).filter(Boolean);
  const uses = (job: any, action: string): any[] => job.steps.filter((s: any) => String(s.uses ?? "").startsWith(`${action}@`));
  const script: string = uses(comment, "actions/github-script")[0].with.script;

  test("the plan job runs only for pull requests from this repository, and only when the plan role is configured", () => {
    expect(plan.if).toBe("vars.AWS_PLAN_ROLE_ARN != '' && github.event.pull_request.head.repo.full_name == github.repository");
    expect(plan.needs).toBe("test-and-diff");
    // No GitHub environment: the token's subject is repo:<owner>/<repo>:pull_request, which the plan role trusts.
    expect(plan.environment).toBeUndefined();
  });

  test("the plan job assumes the plan role with an OIDC token and may not touch the pull request", () => {
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(plan.permissions["pull-requests"]).toBeUndefined();
    expect(uses(plan, "aws-actions/configure-aws-credentials")[0].with["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
  });

  test("the plan job plans each environment stack like drift.yml: synth, init, plan -lock=false, show -json", () => {
    const drift = parse(readFileSync(join(dir, "drift.yml"), "utf8"));
    expect(plan.strategy.matrix.environment).toEqual(["staging", "production"]);
    expect(plan.strategy.matrix.environment).toEqual(drift.jobs.drift.strategy.matrix.environment);
    expect(plan.strategy["fail-fast"]).toBe(false);
    expect(plan.env).toEqual({ ENVIRONMENT: "${{ matrix.environment }}", STACK: "myslp-${{ matrix.environment }}" });
    const order = [
      "npm ci",
      'MYSLP_ENVIRONMENTS="$ENVIRONMENT" npm run synth',
      'terraform -chdir="cdktf.out/stacks/$STACK" init -input=false',
      'terraform -chdir="cdktf.out/stacks/$STACK" plan -lock=false -input=false -out=plan',
      'terraform -chdir="cdktf.out/stacks/$STACK" show -json plan > "$RUNNER_TEMP/plan.json"',
    ];
    expect(planCommands.filter((c) => order.includes(c))).toEqual(order);
    expect(planCommands.join("\n")).toContain('node scripts/plan-summary.cjs "$STACK=$RUNNER_TEMP/plan.json" > "plan-summary/$STACK.md"');
  });

  test("when the plan job fails, the stack's summary says so (plan-summary --skipped), and only summaries leave the runner", () => {
    const failed = plan.steps.find((s: any) => String(s.run ?? "").includes("--skipped"));
    expect(failed.if).toBe("failure()");
    expect(failed.run).toContain('> "plan-summary/$STACK.md"');
    const [upload] = uses(plan, "actions/upload-artifact");
    expect(upload.if).toBe("${{ !cancelled() }}");
    expect(upload.with).toEqual({ name: "plan-summary-${{ matrix.environment }}", path: "plan-summary/" });
    // The plan and its JSON hold attribute values in clear: never an artifact.
    expect(uses(plan, "actions/upload-artifact")).toHaveLength(1);
  });

  test("the comment job is the only job of any workflow that may write to pull requests", () => {
    const writers = files.flatMap((file) =>
      Object.entries<any>(parse(readFileSync(join(dir, file), "utf8")).jobs)
        .filter(([, job]) => job.permissions?.["pull-requests"] === "write")
        .map(([name]) => `${file} ${name}`),
    );
    expect(writers).toEqual(["pull-request.yml comment"]);
    expect(comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
  });

  test("the comment job checks out no code and installs nothing: it reads the artifacts and calls the API", () => {
    expect(uses(comment, "actions/checkout")).toEqual([]);
    expect(comment.steps.filter((s: any) => s.run)).toEqual([]);
    expect(JSON.stringify(comment)).not.toMatch(/npm (ci|install|i)\b|head\.sha \}\}|head\.ref \}\}/);
    expect(comment.needs).toEqual(["test-and-diff", "plan"]);
    // It runs when the plan was skipped or failed (to say so), never without a diff.
    expect(comment.if).toBe("${{ !cancelled() && needs.test-and-diff.result == 'success' }}");
  });

  test("the comment job downloads exactly what the diff and plan jobs upload", () => {
    const diffUpload = uses(workflow.jobs["test-and-diff"], "actions/upload-artifact").find((s) => s.with.name === "synth-diff-comment");
    expect(diffUpload.with.path).toBe("synth-diff/comment.md");
    const [diff, plans] = uses(comment, "actions/download-artifact");
    expect(diff.with).toEqual({ name: "synth-diff-comment", path: "synth-diff" });
    expect(plans.with).toEqual({ pattern: "plan-summary-*", path: "plan-summary", "merge-multiple": true });
    expect(script).toContain('fs.readFileSync("synth-diff/comment.md", "utf8")');
    expect(script).toContain("`plan-summary/${stack}.md`");
  });

  test("the comment puts the plan under the diff, or the skipped line plan-summary --skipped prints, and why", () => {
    const env = uses(comment, "actions/github-script")[0].env;
    expect(env.STACKS.split(" ")).toEqual(plan.strategy.matrix.environment.map((e: string) => `myslp-${e}`));
    expect(env.PLAN_RESULT).toBe("${{ needs.plan.result }}");
    expect(env.PLAN_ROLE_SET).toBe("${{ vars.AWS_PLAN_ROLE_ARN != '' }}");
    expect(env.SAME_REPOSITORY).toBe("${{ github.event.pull_request.head.repo.full_name == github.repository }}");
    // The comment job runs no repository code, so it writes the skipped line itself: the same words as the script.
    const printed = spawnSync(process.execPath, [join(root, "scripts", "plan-summary.cjs"), "--skipped", "WHY"], { encoding: "utf8" }).stdout;
    expect(printed).toBe("Terraform plan: skipped — WHY\n");
    expect(script).toContain("const skipped = (why) => `Terraform plan: skipped — ${why}`;");
    expect(script).toMatch(/SAME_REPOSITORY !== "true"\) plan = skipped\("a pull request from a fork/);
    expect(script).toMatch(/PLAN_ROLE_SET !== "true"\) plan = skipped\("the repository variable AWS_PLAN_ROLE_ARN is not set/);
    expect(script).toContain("the plan job ended with");
    // Diff first, then the plan section; the diff (not the plan) is what gets cut to fit.
    expect(script).toContain("const body = `${marker}\\n${text}${section}${footer}`;");
    expect(script).toContain("const room = limit - marker.length - section.length - footer.length - 100;");
  });

  test("every script a workflow runs with node exists", () => {
    for (const file of files) {
      const commands = runCommands(parse(readFileSync(join(dir, file), "utf8"))).join("\n");
      for (const m of commands.matchAll(/\bnode (scripts\/\S+\.cjs)/g))
        expect({ file, script: m[1], exists: existsSync(join(root, m[1])) }).toEqual({ file, script: m[1], exists: true });
    }
  });
});
