import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesize } from "../../src/app";
import { production } from "../../src/config/production";
import { staging } from "../../src/config/staging";

// The diff is a plain script (npm run diff); its library is tested here, the CLI through a child process.
const { diffSynth, diffStacks, renderMarkdown, hasChanges, FLAG_INFO, REPLACEMENT_ATTRIBUTES } = require("../../scripts/lib/synth-diff.cjs");

const root = resolve(__dirname, "../..");
const cli = join(root, "scripts", "synth-diff.cjs");
const work = mkdtempSync(join(tmpdir(), "myslp-synth-diff-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const STAGING = "myslp-staging";

// ---------------------------------------------------------------------------------------------------------
// Real synth: the app as it is (base) against the app with a staging config changed (head).

const baseDir = join(work, "base");
const headDir = join(work, "head");
synthesize({ outdir: baseDir });
const changedStaging: any = copy(staging);
changedStaging.wordpress.home = "https://staging2.storelocatorplus.com/"; // container environment WP_HOME
// (Config validation refuses renaming adopted resources, so the replacement seen here is the instances'.)
changedStaging.capacity.instanceType = "c6g.2xlarge"; // adopted launch template: instances replaced
changedStaging.network.httpSource = { kind: "cidrs", cidrs: ["0.0.0.0/0"] }; // ingress opened
changedStaging.imageRepository.keepImageCount = 40; // ECR lifecycle policy (a JSON string)
changedStaging.pipeline.build.dockerfile = "Dockerfile.arm64"; // buildspec (a JSON string)
synthesize({ outdir: headDir, environments: [changedStaging, copy(production)] });
const real = diffSynth(baseDir, headDir);
const stagingItems = () => real.stacks.find((s: any) => s.stack === STAGING).items;
const stagingPlan = () => real.stacks.find((s: any) => s.stack === STAGING).plan.map((p: any) => `${p.action} ${p.address}`);
const item = (items: any[], address: string) => items.find((i) => i.address === address);
const byType = (items: any[], type: string) => items.filter((i) => i.kind === "resource" && i.address.startsWith(`${type}.`));
const flagsOf = (report: any, id: string) => report.flags.filter((f: any) => f.id === id);

describe("synth diff of two real synth outputs", () => {
  test("the same synth twice is no change, exit code 0 through the CLI", () => {
    const same = diffSynth(baseDir, baseDir);
    expect(hasChanges(same)).toBe(false);
    expect(same.flags).toEqual([]);
    expect(same.stacks.map((s: any) => [s.stack, s.status, s.items.length])).toEqual(
      readdirSync(join(baseDir, "stacks"))
        .sort()
        .map((s) => [s, "unchanged", 0]),
    );
    const run = spawnSync(process.execPath, [cli, baseDir, baseDir], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("No change in 4 stacks");
  });

  test("only staging changed; production and the state bootstrap are unchanged", () => {
    expect(real.stacks.map((s: any) => [s.stack, s.status])).toEqual([
      ["myslp-ci-identities-744590032041", "unchanged"],
      ["myslp-production", "unchanged"],
      [STAGING, "changed"],
      ["myslp-state-bootstrap-744590032041-us-east-1", "unchanged"],
    ]);
  });

  test("a container environment variable shows decoded from container_definitions, with the construct path", () => {
    const task = byType(stagingItems(), "aws_ecs_task_definition")[0];
    expect(task.path).toBe("myslp-staging/task/task_definition");
    expect(task.attributes).toContainEqual({
      path: "container_definitions[slp_saas].environment.WP_HOME",
      before: "https://staging.storelocatorplus.com/",
      after: "https://staging2.storelocatorplus.com/",
    });
    // The string itself is never shown as one changed value.
    expect(task.attributes.some((a: any) => a.path === "container_definitions")).toBe(false);
  });

  test("the ECR lifecycle policy and the buildspec are decoded field by field", () => {
    const lifecycle = byType(stagingItems(), "aws_ecr_lifecycle_policy")[0];
    expect(lifecycle.attributes.map((a: any) => a.path).every((p: string) => p.startsWith("policy.rules["))).toBe(true);
    expect(lifecycle.attributes.some((a: any) => a.before === 30 && a.after === 40)).toBe(true);
    const build = byType(stagingItems(), "aws_codebuild_project")[0];
    expect(build.attributes).toContainEqual({ path: "source.buildspec.env.variables.DOCKERFILE", before: "Dockerfile", after: "Dockerfile.arm64" });
  });

  test("a new instance type on the adopted launch template is flagged: adopted, and the instances are replaced", () => {
    const template = byType(stagingItems(), "aws_launch_template")[0];
    expect(template.attributes).toContainEqual({ path: "instance_type", before: "c6g.xlarge", after: "c6g.2xlarge" });
    const flag = flagsOf(real, "replacement").find((f: any) => f.address === template.address);
    expect(flag.message).toMatch(/^instance_type: a new template version with another instance type: the instances are replaced/);
    // The template's update makes its latest_version unknown: the adopted group follows it; WP_HOME registers a
    // new task definition revision, which the adopted service moves to. Terraform updates all three in place.
    expect(flagsOf(real, "adopted-resource-changed").map((f: any) => f.address)).toEqual([
      byType(stagingItems(), "aws_autoscaling_group")[0].address,
      byType(stagingItems(), "aws_ecs_service")[0].address,
      template.address,
    ]);
    expect(stagingPlan().filter((p: string) => /aws_(autoscaling_group|ecs_service|launch_template|ecs_task_definition)\./.test(p))).toEqual([
      "update aws_autoscaling_group.capacity_auto_scaling_group_CB31B232",
      "update aws_ecs_service.service_E7C408F2",
      "replace aws_ecs_task_definition.task_task_definition_F6F670CA",
      "update aws_launch_template.capacity_launch_template_57DDA629",
    ]);
  });

  test("opening the container port to 0.0.0.0/0 is flagged", () => {
    const flags = flagsOf(real, "ingress-open-to-world");
    expect(flags.map((f: any) => [f.stack, f.address.split(".")[0]])).toEqual([[STAGING, "aws_vpc_security_group_ingress_rule"]]);
    expect(flags[0].message).toContain("tcp port 80 from 0.0.0.0/0");
  });

  test("the report is deterministic: two runs give the same JSON and the same Markdown", () => {
    const again = diffSynth(baseDir, headDir);
    expect(JSON.stringify(again)).toBe(JSON.stringify(real));
    expect(renderMarkdown(again)).toBe(renderMarkdown(real));
  });

  test("the Markdown lists the flags before the per-stack changes", () => {
    const md: string = renderMarkdown(real);
    const flagsAt = md.indexOf("flags to review");
    const changesAt = md.indexOf("### Changes by stack");
    expect(flagsAt).toBeGreaterThan(0);
    expect(changesAt).toBeGreaterThan(flagsAt);
    expect(md.slice(changesAt)).toContain(
      '`container_definitions[slp_saas].environment.WP_HOME`: `"https://staging.storelocatorplus.com/"` → `"https://staging2.storelocatorplus.com/"`',
    );
    for (const id of new Set(real.flags.map((f: any) => f.id))) expect(md).toContain(FLAG_INFO[id as string].title);
  });

  test("every resource type the app synthesizes has a curated list of replacing attributes", () => {
    const types = new Set<string>();
    for (const stack of readdirSync(join(baseDir, "stacks"))) {
      Object.keys(JSON.parse(readFileSync(join(baseDir, "stacks", stack, "cdk.tf.json"), "utf8")).resource).forEach((t) => types.add(t));
    }
    expect([...types].filter((t) => !(t in REPLACEMENT_ATTRIBUTES))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Hand-made stacks for each kind of change.

const meta = (path: string) => ({ "//": { metadata: { path, uniqueId: path.split("/").pop() } } });

/** A small stack: one role with an inline policy, one bucket, one security group with an ingress rule. */
function smallStack(): any {
  return {
    "//": { metadata: { stackName: "s", version: "0.21.0" } },
    terraform: {
      backend: { s3: { bucket: "state", key: "s.tfstate", region: "us-east-1" } },
      required_providers: { aws: { source: "aws", version: "6.25.0" } },
    },
    provider: { aws: [{ region: "us-east-1", allowed_account_ids: ["111111111111"] }] },
    import: [{ id: "legacy-role", to: "aws_iam_role.role" }],
    data: { aws_vpc: { vpc: { ...meta("s/vpc"), id: "vpc-1" } } },
    output: { bucket: { value: "${aws_s3_bucket.bucket.bucket}" } },
    resource: {
      aws_iam_role: {
        role: {
          ...meta("s/role"),
          name: "legacy-role",
          assume_role_policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        },
      },
      aws_iam_role_policy: {
        policy: {
          ...meta("s/policy"),
          role: "${aws_iam_role.role.id}",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
              { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
            ],
          }),
        },
      },
      aws_s3_bucket: { bucket: { ...meta("s/bucket"), bucket: "my-bucket", lifecycle: { prevent_destroy: true } } },
      aws_security_group: {
        group: {
          ...meta("s/group"),
          name: "g",
          description: "d",
          vpc_id: "vpc-1",
          ingress: [{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"] }],
        },
      },
      aws_vpc_security_group_ingress_rule: {
        http: {
          ...meta("s/http"),
          security_group_id: "${aws_security_group.group.id}",
          ip_protocol: "tcp",
          from_port: 80,
          to_port: 80,
          cidr_ipv4: "10.0.0.0/16",
        },
      },
    },
  };
}

function policyOf(stack: any) {
  return JSON.parse(stack.resource.aws_iam_role_policy.policy.policy);
}
function setPolicy(stack: any, doc: any) {
  stack.resource.aws_iam_role_policy.policy.policy = JSON.stringify(doc);
}
function diffOne(change: (head: any) => void, base: any = smallStack()) {
  const head = copy(base);
  change(head);
  return diffStacks({ s: base }, { s: head });
}

describe("synth diff items", () => {
  test("added, removed and changed items of every kind, in a fixed kind order, with construct paths", () => {
    const report = diffOne((h) => {
      h.resource.aws_s3_bucket.logs = { ...meta("s/logs"), bucket: "logs" };
      delete h.data.aws_vpc.vpc;
      h.output.bucket.description = "the bucket";
      h.variable = { image_tag: { type: "string" } };
      h.locals = { prefix: "myslp" };
      h.moved = [{ from: "aws_s3_bucket.old", to: "aws_s3_bucket.bucket" }];
      h.provider.aws.push({ alias: "us_west_2", region: "us-west-2" });
      h.terraform.required_version = ">= 1.11.0";
    });
    expect(report.stacks[0].items.map((i: any) => [i.kind, i.address, i.change, i.path])).toEqual([
      ["terraform", "terraform.required_version", "added", null],
      ["provider", "provider.aws.us_west_2", "added", null],
      ["variable", "var.image_tag", "added", null],
      ["locals", "local.prefix", "added", null],
      ["moved", "moved.aws_s3_bucket.old", "added", null],
      ["resource", "aws_s3_bucket.logs", "added", "s/logs"],
      ["data", "data.aws_vpc.vpc", "removed", "s/vpc"],
      ["output", "output.bucket", "changed", null],
    ]);
    expect(item(report.stacks[0].items, "output.bucket").attributes).toEqual([{ path: "description", after: "the bucket" }]);
  });

  test("environment and secrets arrays are keyed by name; containers by name; other arrays by position", () => {
    const containers = (env: any[], secrets: any[]) =>
      JSON.stringify([
        { name: "app", image: "i", environment: env, secrets, portMappings: [{ containerPort: 80 }] },
        { name: "sidecar", image: "s" },
      ]);
    const base = smallStack();
    base.resource.aws_ecs_task_definition = {
      task: {
        ...meta("s/task"),
        family: "f",
        container_definitions: containers(
          [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ],
          [{ name: "PW", valueFrom: "arn:1" }],
        ),
      },
    };
    const report = diffOne((h) => {
      const defs = JSON.parse(h.resource.aws_ecs_task_definition.task.container_definitions);
      h.resource.aws_ecs_task_definition.task.container_definitions = containers(
        [
          { name: "B", value: "3" },
          { name: "C", value: "4" },
        ],
        [{ name: "PW", valueFrom: "arn:2" }],
      );
      expect(defs.length).toBe(2);
      const changed = JSON.parse(h.resource.aws_ecs_task_definition.task.container_definitions);
      changed[0].portMappings[0].containerPort = 8080;
      changed[1].image = "s2";
      h.resource.aws_ecs_task_definition.task.container_definitions = JSON.stringify(changed);
    }, base);
    expect(item(report.stacks[0].items, "aws_ecs_task_definition.task").attributes).toEqual([
      { path: "container_definitions[app].environment.A", before: "1" },
      { path: "container_definitions[app].environment.B", before: "2", after: "3" },
      { path: "container_definitions[app].environment.C", after: "4" },
      { path: "container_definitions[app].portMappings[0].containerPort", before: 80, after: 8080 },
      { path: "container_definitions[app].secrets.PW.valueFrom", before: "arn:1", after: "arn:2" },
      { path: "container_definitions[sidecar].image", before: "s", after: "s2" },
    ]);
  });

  test("IAM statements are keyed by Sid where present; a key with dots is quoted; value lists compared whole", () => {
    const report = diffOne((h) => {
      const doc = policyOf(h);
      doc.Statement[0].Action.push("s3:ListBucket");
      doc.Statement[0].Condition = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } };
      setPolicy(h, doc);
    });
    expect(item(report.stacks[0].items, "aws_iam_role_policy.policy").attributes).toEqual([
      { path: "policy.Statement[Read].Action", before: ["s3:GetObject"], after: ["s3:GetObject", "s3:ListBucket"] },
      { path: "policy.Statement[Read].Condition.Bool", before: { "aws:SecureTransport": "true" } },
      { path: "policy.Statement[Read].Condition.StringEquals", after: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
    ]);
    const nested = diffOne((h) => {
      const doc = policyOf(h);
      doc.Statement[0].Condition.Bool = { "a.b:c": "false" };
      setPolicy(h, doc);
    });
    expect(item(nested.stacks[0].items, "aws_iam_role_policy.policy").attributes.map((a: any) => a.path)).toEqual([
      'policy.Statement[Read].Condition.Bool["a.b:c"]',
      "policy.Statement[Read].Condition.Bool.aws:SecureTransport",
    ]);
  });

  test("a string that only looks like JSON on one side is compared as a string", () => {
    const report = diffOne((h) => {
      h.resource.aws_iam_role_policy.policy.policy = "${data.aws_iam_policy_document.doc.json}";
    });
    const attrs = item(report.stacks[0].items, "aws_iam_role_policy.policy").attributes;
    expect(attrs).toHaveLength(1);
    expect(attrs[0].path).toBe("policy");
    expect(attrs[0].before.Statement).toHaveLength(2); // the old value shown decoded
    expect(attrs[0].after).toBe("${data.aws_iam_policy_document.doc.json}");
  });

  test("the same members in another order are reported as an order change", () => {
    const base = smallStack();
    base.resource.aws_codepipeline = {
      p: {
        ...meta("s/p"),
        name: "p",
        stage: [
          { name: "Source", action: [] },
          { name: "Build", action: [] },
        ],
      },
    };
    const report = diffOne((h) => h.resource.aws_codepipeline.p.stage.reverse(), base);
    expect(item(report.stacks[0].items, "aws_codepipeline.p").attributes).toEqual([
      { path: "stage (order)", before: ["Source", "Build"], after: ["Build", "Source"] },
    ]);
  });

  test("key order in the input does not change the report", () => {
    const reorder = (v: any): any =>
      Array.isArray(v)
        ? v.map(reorder)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .reverse()
                .map((k) => [k, reorder(v[k])]),
            )
          : v;
    const base = smallStack();
    const head = copy(base);
    head.resource.aws_s3_bucket.bucket.bucket = "other";
    head.resource.aws_iam_role.role.name = "other-role";
    head.resource.aws_s3_bucket.added = { bucket: "x" };
    const one = diffStacks({ b: base, a: base }, { b: head, a: head });
    const two = diffStacks({ a: reorder(base), b: reorder(base) }, { a: reorder(head), b: reorder(head) });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.stacks.map((s: any) => s.stack)).toEqual(["a", "b"]);
    // The renamed role is replaced, and its inline policy with it (`role` references the role's id); the renamed
    // bucket keeps prevent_destroy, so Terraform refuses the plan.
    expect(one.flags.map((f: any) => [f.id, f.stack, f.address])).toEqual([
      ["destroy-refused", "a", "aws_s3_bucket.bucket"],
      ["destroy-refused", "b", "aws_s3_bucket.bucket"],
      ["adopted-resource-changed", "a", "aws_iam_role.role"],
      ["adopted-resource-changed", "b", "aws_iam_role.role"],
      ["replacement", "a", "aws_iam_role.role"],
      ["replacement", "a", "aws_iam_role_policy.policy"],
      ["replacement", "a", "aws_s3_bucket.bucket"],
      ["replacement", "b", "aws_iam_role.role"],
      ["replacement", "b", "aws_iam_role_policy.policy"],
      ["replacement", "b", "aws_s3_bucket.bucket"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Every flag, with the near miss that must not raise it.

describe("synth diff flags", () => {
  const ids = (report: any) => report.flags.map((f: any) => f.id);

  test("stack added and stack removed", () => {
    const base = smallStack();
    const added = diffStacks({ s: base }, { s: base, t: base });
    expect(added.flags).toEqual([{ id: "stack-added", stack: "t", address: null, message: "new stack t with 5 resources" }]);
    expect(added.stacks.map((s: any) => s.status)).toEqual(["unchanged", "added"]);
    const removed = diffStacks({ s: base, t: base }, { s: base });
    expect(ids(removed)).toEqual(["stack-removed"]);
    expect(removed.stacks[1]).toMatchObject({ stack: "t", status: "removed" });
  });

  test("backend changed; a backend left alone is not flagged", () => {
    expect(ids(diffOne((h) => (h.terraform.backend = { local: { path: "s.tfstate" } })))).toEqual(["backend-changed"]);
    expect(ids(diffOne((h) => (h.terraform.required_version = ">= 1.11.0")))).toEqual([]);
  });

  test("provider region or provider version changed; default tags are not", () => {
    expect(
      flagsOf(
        diffOne((h) => (h.provider.aws[0].region = "eu-west-1")),
        "provider-changed",
      )[0].message,
    ).toContain('region: "us-east-1" -> "eu-west-1"');
    expect(ids(diffOne((h) => (h.terraform.required_providers.aws.version = "6.26.0")))).toEqual(["provider-changed"]);
    expect(ids(diffOne((h) => (h.provider.aws[0].default_tags = [{ tags: { Team: "x" } }])))).toEqual([]);
  });

  test("an adopted resource changed or removed; an unadopted one is not flagged as adopted", () => {
    const changed = diffOne((h) => (h.resource.aws_iam_role.role.max_session_duration = 7200));
    expect(changed.flags).toEqual([
      {
        id: "adopted-resource-changed",
        stack: "s",
        address: "aws_iam_role.role",
        message: 'adopted resource (import id "legacy-role") changed: max_session_duration',
      },
    ]);
    const removed = diffOne((h) => {
      delete h.resource.aws_iam_role;
      h.import = [];
    });
    expect(ids(removed)).toEqual(["adopted-resource-changed", "import-removed"]);
    expect(ids(diffOne((h) => (h.resource.aws_s3_bucket.bucket.force_destroy = false)))).toEqual([]);
  });

  test("replacement: a curated attribute (security group VPC, bucket name); an updatable one is not flagged", () => {
    const vpc = diffOne((h) => (h.resource.aws_security_group.group.vpc_id = "vpc-2"));
    expect(vpc.flags).toEqual([
      {
        id: "replacement",
        stack: "s",
        address: "aws_security_group.group",
        message: "vpc_id: cannot change in place, the aws_security_group is destroyed and created again",
      },
      {
        id: "replacement",
        stack: "s",
        address: "aws_vpc_security_group_ingress_rule.http",
        message: "replaced because `security_group_id` references the replaced `aws_security_group.group` (its `id` is known only after apply)",
      },
    ]);
    // The bucket keeps lifecycle.prevent_destroy: Terraform refuses to replace it, flagged first.
    expect(ids(diffOne((h) => (h.resource.aws_s3_bucket.bucket.bucket = "renamed")))).toEqual(["destroy-refused", "replacement"]);
    expect(ids(diffOne((h) => (h.resource.aws_security_group.group.tags = { Name: "g" })))).toEqual([]);
    // A task definition's other changes register a new revision, which is normal; its family is flagged.
    const base = smallStack();
    base.resource.aws_ecs_task_definition = { t: { family: "f", cpu: "1024" } };
    expect(ids(diffOne((h) => (h.resource.aws_ecs_task_definition.t.cpu = "2048"), base))).toEqual([]);
    expect(ids(diffOne((h) => (h.resource.aws_ecs_task_definition.t.family = "g"), base))).toEqual(["replacement"]);
  });

  test("a construct under a new address without a moved block; with one it is a move", () => {
    const rename = (h: any) => {
      h.resource.aws_s3_bucket.bucket2 = h.resource.aws_s3_bucket.bucket;
      delete h.resource.aws_s3_bucket.bucket;
    };
    const plain = diffOne(rename);
    expect(ids(plain)).toEqual(["data-loss", "address-changed", "prevent-destroy-removed"]);
    expect(flagsOf(plain, "address-changed")[0].message).toBe(
      'aws_s3_bucket.bucket -> aws_s3_bucket.bucket2 (construct s/bucket) without a moved block: Terraform destroys it and creates it again. Make it a move: moved { from = aws_s3_bucket.bucket to = aws_s3_bucket.bucket2 } (cdktf: moveFromId("aws_s3_bucket.bucket") on the new resource)',
    );
    expect(plain.stacks[0].plan).toEqual([
      { address: "aws_s3_bucket.bucket", action: "delete" },
      { address: "aws_s3_bucket.bucket2", action: "create" },
    ]);
    const moved = diffOne((h) => {
      rename(h);
      h.moved = [{ from: "aws_s3_bucket.bucket", to: "aws_s3_bucket.bucket2" }];
    });
    expect(ids(moved)).toEqual([]);
    expect(moved.stacks[0].plan).toEqual([{ address: "aws_s3_bucket.bucket2", action: "no-op", previous_address: "aws_s3_bucket.bucket" }]);
    // The same resource under a new name and a new construct path: found by its identity (the bucket name).
    const repathed = diffOne((h) => {
      rename(h);
      h.resource.aws_s3_bucket.bucket2["//"].metadata.path = "s/storage";
    });
    expect(item(repathed.stacks[0].items, "aws_s3_bucket.bucket2")).toMatchObject({ change: "renamed", from: "aws_s3_bucket.bucket", action: "create" });
  });

  test("prevent_destroy removed from a resource, or with the resource", () => {
    expect(diffOne((h) => delete h.resource.aws_s3_bucket.bucket.lifecycle).flags).toEqual([
      { id: "prevent-destroy-removed", stack: "s", address: "aws_s3_bucket.bucket", message: "lifecycle.prevent_destroy is no longer set" },
    ]);
    expect(
      flagsOf(
        diffOne((h) => delete h.resource.aws_s3_bucket),
        "prevent-destroy-removed",
      )[0].message,
    ).toMatch(/was removed/);
    expect(ids(diffOne((h) => (h.resource.aws_s3_bucket.bucket.lifecycle.ignore_changes = ["tags"])))).toEqual([]);
  });

  test("import block removed, import id changed", () => {
    expect(diffOne((h) => (h.import = [])).flags).toEqual([
      { id: "import-removed", stack: "s", address: "aws_iam_role.role", message: 'the import block for aws_iam_role.role (id "legacy-role") was removed' },
    ]);
    expect(diffOne((h) => (h.import[0].id = "other-role")).flags).toEqual([
      { id: "import-changed", stack: "s", address: "aws_iam_role.role", message: 'import id "legacy-role" -> "other-role"' },
    ]);
  });

  test.each([
    ["an action", (d: any) => d.Statement[0].Action.push("s3:PutObject"), "statement Read gains actions s3:PutObject", null],
    ["a wildcard action", (d: any) => d.Statement[0].Action.push("s3:*"), "statement Read gains actions s3:* (wildcard)", null],
    ["a resource", (d: any) => (d.Statement[0].Resource = ["arn:aws:s3:::b/*", "arn:aws:s3:::c/*"]), "statement Read gains resources arn:aws:s3:::c/*", null],
    ["Resource *", (d: any) => (d.Statement[0].Resource = "*"), "statement Read gains resources * (wildcard)", null],
    ["a removed condition", (d: any) => delete d.Statement[0].Condition, "statement Read has its condition removed", null],
    [
      "a new statement",
      (d: any) => d.Statement.push({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }),
      "new Allow statement (no Sid): kms:Decrypt on * (wildcard: *)",
      null,
    ],
    ["a removed Deny", (d: any) => d.Statement.pop(), "Deny statement NoDelete removed", null],
    [
      "NotAction",
      (d: any) => {
        d.Statement[0].NotAction = ["iam:*"];
        delete d.Statement[0].Action;
      },
      "statement Read now uses NotAction (everything except iam:*)",
      null,
    ],
    [
      "a shorter NotAction",
      (d: any) => {
        d.Statement[0].NotAction = ["iam:*"];
        delete d.Statement[0].Action;
      },
      "statement Read excludes fewer actions (NotAction lost iam:PassRole)",
      (d: any) => {
        d.Statement[0].NotAction = ["iam:*", "iam:PassRole"];
        delete d.Statement[0].Action;
      },
    ],
  ])("IAM broadened by %s", (_label, change, message, prepare: ((d: any) => void) | null) => {
    const base = smallStack();
    if (prepare) {
      const doc = policyOf(base);
      prepare(doc);
      setPolicy(base, doc);
    }
    const report = diffOne((h) => {
      const doc = policyOf(h);
      change(doc);
      setPolicy(h, doc);
    }, base);
    expect(flagsOf(report, "iam-broadened").map((f: any) => f.message)).toEqual([`policy: ${message}`]);
  });

  test("IAM narrowed or reordered is not flagged; a trust policy gaining a principal is", () => {
    const narrowed = diffOne((h) => {
      const doc = policyOf(h);
      doc.Statement[0].Action = [];
      doc.Statement.reverse();
      setPolicy(h, doc);
    });
    expect(ids(narrowed)).toEqual([]);
    const trust = diffOne((h) => {
      const doc = JSON.parse(h.resource.aws_iam_role.role.assume_role_policy);
      doc.Statement[0].Principal.AWS = "*";
      h.resource.aws_iam_role.role.assume_role_policy = JSON.stringify(doc);
    });
    expect(flagsOf(trust, "iam-broadened")[0].message).toBe("assume_role_policy: a statement gains principals AWS:* (wildcard)");
  });

  test("IAM: a managed policy attached; a new resource's policy flagged only for a wildcard", () => {
    const attached = diffOne(
      (h) => (h.resource.aws_iam_role_policy_attachment = { admin: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } }),
    );
    expect(flagsOf(attached, "iam-broadened")[0].message).toBe("managed policy arn:aws:iam::aws:policy/AdministratorAccess attached to r");
    const scoped = diffOne(
      (h) =>
        (h.resource.aws_iam_policy = {
          p: { name: "p", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" }] }) },
        }),
    );
    expect(ids(scoped)).toEqual([]);
    const wide = diffOne(
      (h) => (h.resource.aws_iam_policy = { p: { name: "p", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } }),
    );
    expect(flagsOf(wide, "iam-broadened")[0].message).toBe("policy: new Allow statement (no Sid): * on * (wildcard: *, *)");
  });

  test.each([
    ["an ingress rule to 0.0.0.0/0", (h: any) => (h.resource.aws_vpc_security_group_ingress_rule.http.cidr_ipv4 = "0.0.0.0/0"), "tcp port 80 from 0.0.0.0/0"],
    ["an ingress rule to ::/0", (h: any) => (h.resource.aws_vpc_security_group_ingress_rule.http.cidr_ipv6 = "::/0"), "tcp port 80 from ::/0"],
    [
      "an inline ingress block",
      (h: any) => h.resource.aws_security_group.group.ingress.push({ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"] }),
      "tcp port 22 from 0.0.0.0/0",
    ],
    [
      "a security group rule",
      (h: any) =>
        (h.resource.aws_security_group_rule = {
          r: { type: "ingress", from_port: 0, to_port: 65535, protocol: "-1", ipv6_cidr_blocks: ["::/0"], security_group_id: "sg" },
        }),
      "all protocols ports 0-65535 from ::/0",
    ],
  ])("ingress opened to the world by %s", (_label, change, message) => {
    expect(flagsOf(diffOne(change), "ingress-open-to-world").map((f: any) => f.message)).toEqual([`ingress open to the internet: ${message}`]);
  });

  test("ingress already open, or egress to the world, is not flagged", () => {
    const open = smallStack();
    open.resource.aws_vpc_security_group_ingress_rule.http.cidr_ipv4 = "0.0.0.0/0";
    expect(ids(diffOne((h) => (h.resource.aws_vpc_security_group_ingress_rule.http.description = "web"), open))).toEqual([]);
    expect(
      ids(diffOne((h) => (h.resource.aws_vpc_security_group_egress_rule = { e: { security_group_id: "sg", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" } }))),
    ).toEqual([]);
  });

  test("a checkov finding newly skipped", () => {
    const report = diffOne((h) => (h.resource.aws_s3_bucket.bucket["//"].checkov_skip = { CKV_AWS_144: "no replica needed" }));
    expect(report.flags).toEqual([
      { id: "checkov-skip-added", stack: "s", address: "aws_s3_bucket.bucket", message: "CKV_AWS_144 skipped: no replica needed" },
    ]);
    expect(item(report.stacks[0].items, "aws_s3_bucket.bucket").attributes).toEqual([{ path: "//.checkov_skip", after: { CKV_AWS_144: "no replica needed" } }]);
    const another = smallStack();
    another.resource.aws_s3_bucket.bucket["//"].checkov_skip = { CKV_AWS_144: "no replica needed" };
    const second = diffOne((h) => (h.resource.aws_s3_bucket.bucket["//"].checkov_skip.CKV_AWS_18 = "logs elsewhere"), another);
    expect(second.flags.map((f: any) => f.message)).toEqual(["CKV_AWS_18 skipped: logs elsewhere"]);
    expect(item(second.stacks[0].items, "aws_s3_bucket.bucket").attributes).toEqual([{ path: "//.checkov_skip.CKV_AWS_18", after: "logs elsewhere" }]);
    // A reason is shown in the flag text as words, never as HTML.
    const html = diffOne((h) => (h.resource.aws_s3_bucket.bucket["//"].checkov_skip = { CKV_AWS_21: "<img src=x> kept" }));
    const md: string = renderMarkdown(html);
    expect(md).toContain("CKV_AWS_21 skipped: &lt;img src=x&gt; kept");
    expect(md.slice(0, md.indexOf("### Changes by stack"))).not.toContain("<img");
  });

  test("every flag id has its plain-words explanation in the docs", () => {
    const doc = readFileSync(join(root, "docs", "reviewing-changes.md"), "utf8");
    for (const id of Object.keys(FLAG_INFO)) expect({ id, documented: doc.includes(`\`${id}\``) }).toEqual({ id, documented: true });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Markdown and the CLI.

describe("synth diff Markdown", () => {
  test("no change", () => {
    expect(renderMarkdown(diffStacks({ s: smallStack() }, { s: smallStack() }))).toBe("## Synthesized Terraform changes\n\nNo change in 1 stacks (`s`).\n");
  });

  test("a long stack section is collapsed; a short one is not", () => {
    const many = diffOne((h) => {
      for (let i = 0; i < 30; i++) h.resource.aws_s3_bucket[`b${i}`] = { bucket: `b${i}` };
    });
    expect(renderMarkdown(many)).toContain("<details>\n<summary>`s`: changed (30 to create)</summary>");
    const few = renderMarkdown(diffOne((h) => (h.resource.aws_s3_bucket.bucket.force_destroy = true)));
    expect(few).toContain("#### `s`: changed (1 to update)");
    expect(few).toContain("- **~** `aws_s3_bucket.bucket` (`s/bucket`)\n  - `force_destroy`: added `true`");
  });

  test("truncated to a limit with a note, flags kept, details closed", () => {
    const report = diffOne((h) => {
      h.import = [];
      for (let i = 0; i < 400; i++) h.resource.aws_s3_bucket[`b${i}`] = { bucket: `bucket-number-${i}`, tags: { Index: String(i) } };
    });
    const full: string = renderMarkdown(report);
    expect(full.length).toBeGreaterThan(20000);
    const cut: string = renderMarkdown(report, { maxChars: 5000, truncatedNote: "See the artifact." });
    expect(cut.length).toBeLessThanOrEqual(5000);
    expect(cut.endsWith("> See the artifact.\n")).toBe(true);
    expect(cut).toContain("import-removed");
    expect((cut.match(/<details>/g) ?? []).length).toBe((cut.match(/<\/details>/g) ?? []).length);
    expect((cut.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
  });

  test("a cut inside a long value's code block closes the block", () => {
    const report = diffOne((h) => {
      for (let i = 0; i < 20; i++)
        h.resource.aws_s3_bucket.bucket[`long_${i}`] = "x"
          .repeat(60)
          .split("")
          .map((c, j) => `${c}${i}-${j}`)
          .join("\n");
    });
    const full: string = renderMarkdown(report);
    expect(full).toContain("    ```\n    x0-0\n");
    let cutInsideBlock = 0;
    for (let limit = 1500; limit < full.length; limit += 97) {
      const cut: string = renderMarkdown(report, { maxChars: limit });
      expect(cut.length).toBeLessThanOrEqual(limit);
      expect((cut.match(/^\s*```/gm) ?? []).length % 2).toBe(0);
      // Closed at the block's own indentation, inside the list item.
      if (/\n {4}x\d+-\d+\n {4}```(\n<\/details>)*\n\n> Output truncated/.test(cut)) cutInsideBlock++;
    }
    expect(cutInsideBlock).toBeGreaterThan(0);
  });
});

describe("npm run diff (CLI)", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

  test("exit code 1 with changes; --json prints the report; --out writes the file", () => {
    const md = run(baseDir, headDir);
    expect(md.status).toBe(1);
    expect(md.stdout).toBe(renderMarkdown(real));
    const json = run("--json", baseDir, headDir);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(real)));
    const out = join(work, "diff.md");
    expect(run("--out", out, "--max-chars", "3000", baseDir, headDir).status).toBe(1);
    expect(readFileSync(out, "utf8").length).toBeLessThanOrEqual(3000);
  });

  test("reads cdktf.out/stacks without a manifest", () => {
    const bare = join(work, "bare");
    mkdirSync(bare);
    cpSync(join(baseDir, "stacks"), join(bare, "stacks"), { recursive: true });
    expect(run(baseDir, bare).status).toBe(0);
  });

  test.each([
    ["one folder", [baseDir], "expected two folders (base and head), got 1"],
    ["a missing folder", [join(work, "nope"), baseDir], "not a folder"],
    ["a folder that is no synth output", [work, baseDir], "not a cdktf synth output"],
    ["an unknown option", ["--color", baseDir, baseDir], "unknown option --color"],
    ["a bad limit", ["--max-chars", "ten", baseDir, baseDir], "--max-chars must be a whole number"],
  ])("exit code 2 for %s", (_label, args, message) => {
    const result = run(...(args as string[]));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });

  test("exit code 2 for a stack file that is not JSON", () => {
    const broken = join(work, "broken");
    cpSync(baseDir, broken, { recursive: true });
    writeFileSync(join(broken, "stacks", STAGING, "cdk.tf.json"), "{ not json");
    const result = run(baseDir, broken);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("not valid JSON");
  });
});
