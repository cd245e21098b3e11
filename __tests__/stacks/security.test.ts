import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { acceptFinding } from "../../src/constructs/shared/policy-exceptions";
import { all, named, only, policy, problemsOf, ref, stagingConfig, stagingRaw, synthApp, synthPlatform } from "../helpers";

const root = resolve(__dirname, "..", "..");

/** Every file under a directory, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("no secret reaches the synthesized output", () => {
  const password = "Hunter2-test-password-9f3c";
  const accessKey = "AKIAIOSFODNN7EXAMPLE";
  const secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const dir = mkdtempSync(join(tmpdir(), "myslp-secrets-"));
  // The app run as cdktf runs it, with a password and AWS credentials in its environment.
  const run = spawnSync(process.execPath, [join(root, "scripts", "run-app.cjs")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, WORDPRESS_DB_PASSWORD: password, AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey },
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const output = () => files(join(dir, "cdktf.out")).map((f) => [f, readFileSync(f, "utf8")] as const);

  test("the app synthesized", () => {
    expect(run.status).toBe(0);
    expect(output().length).toBeGreaterThan(2);
  });

  test("neither the password nor the credentials appear in cdktf.out", () => {
    for (const [file, text] of output()) {
      for (const secret of [password, accessKey, secretKey]) expect({ file, leaked: text.includes(secret) }).toEqual({ file, leaked: false });
    }
  });

  test("no AWS access key id or secret key pattern appears in cdktf.out", () => {
    for (const [file, text] of output()) {
      expect({ file, match: text.match(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/) }).toEqual({ file, match: null });
      expect({ file, match: text.match(/aws_secret_access_key|secret_key"\s*:/i) }).toEqual({ file, match: null });
    }
  });

  test("the database password is only ever a secret reference in the task definition", () => {
    const stack = JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", "myslp-staging", "cdk.tf.json"), "utf8"));
    const containers = JSON.parse(Object.values<any>(stack.resource.aws_ecs_task_definition)[0].container_definitions);
    expect(containers[0].environment.map((e: { name: string }) => e.name)).not.toContain("WORDPRESS_DB_PASSWORD");
    expect(containers[0].secrets.map((s: { name: string }) => s.name)).toEqual(["WORDPRESS_DB_PASSWORD"]);
    expect(stack.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });
});

describe("encryption with the environment's KMS key", () => {
  const { json } = synthPlatform();
  const key = ref(json, "aws_kms_key", "arn");

  test("one rotating key per environment, usable by CloudWatch Logs for this account's groups only", () => {
    const k = only(json, "aws_kms_key");
    expect(k.enable_key_rotation).toBe(true);
    const logs = policy(k.policy).Statement.find((s) => s.Sid === "CloudWatchLogsForThisAccount");
    expect(logs.Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
    expect(logs.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:744590032041:log-group:*" } });
  });

  test("encrypts both log groups, the secret and the build", () => {
    for (const group of all(json, "aws_cloudwatch_log_group")) expect(group.kms_key_id).toBe(key);
    expect(only(json, "aws_secretsmanager_secret").kms_key_id).toBe(key);
    expect(only(json, "aws_codebuild_project").encryption_key).toBe(key);
  });

  test("the execution role may decrypt with it only through Secrets Manager", () => {
    const statement = policy(named(json, "aws_iam_role_policy", "execution_role_policy").policy).Statement.find((s) => s.Sid === "DecryptDatabasePassword");
    expect(statement).toEqual({
      Sid: "DecryptDatabasePassword",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: key,
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    });
  });

  test("a new image repository uses KMS; an existing AES-256 one keeps AES-256", () => {
    const kms = synthPlatform(stagingConfig((r) => (r.imageRepository.encryption = "KMS"))).json;
    expect(only(kms, "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "KMS" }]);
    expect(only(json, "aws_ecr_repository").encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
  });
});

describe("accepted policy-scanner findings", () => {
  const app = synthApp();
  const skips = app.stacks.flatMap((stack) => {
    const json = app.json(stack);
    return Object.entries<Record<string, any>>(json.resource).flatMap(([type, blocks]) =>
      Object.values(blocks).flatMap((block) => Object.entries<string>(block["//"]?.checkov_skip ?? {}).map(([id, reason]) => ({ stack, type, id, reason }))),
    );
  });
  afterAll(app.remove);
  const securityMd = readFileSync(join(root, "SECURITY.md"), "utf8");

  test("are recorded next to their resources in the synthesized JSON", () => {
    expect(skips.length).toBeGreaterThanOrEqual(16);
    expect(skips.map((s) => s.id)).toContain("CKV_AWS_316");
  });

  test("are each listed in SECURITY.md with the same check id and reason", () => {
    const rows = securityMd.split("\n").filter((l) => l.startsWith("| "));
    for (const skip of skips) {
      const row = rows.find((r) => r.includes(skip.id) && r.includes(skip.reason) && r.includes(skip.type));
      expect({ skip, listed: row !== undefined }).toEqual({ skip, listed: true });
    }
  });

  test("need a check id and a real reason", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const role = new IamRole(stack, "r", { assumeRolePolicy: "{}" });
    expect(() => acceptFinding(role, "not-a-check", "a long enough reason for a reviewer")).toThrow('"not-a-check" is not a checkov check id');
    expect(() => acceptFinding(role, "CKV_AWS_1", "because")).toThrow("CKV_AWS_1 needs a reason a reviewer would accept");
  });

  test("log-retention skips exist only where retention is under a year", () => {
    const { json } = synthPlatform(
      stagingConfig((r) => {
        r.task.logRetentionDays = 365;
        r.pipeline!.build.logRetentionDays = 400;
      }),
    );
    expect(JSON.stringify(json)).not.toContain("CKV_AWS_338");
  });
});

describe("production settings", () => {
  test("refuse short log retention", () => {
    const raw = stagingRaw();
    Object.assign(raw, { production: true, alarms: { emailSubscriptions: ["ops@example.com"] } });
    raw.wordpress.debug = false;
    raw.wordpress.configExtra = "define('WP_DEBUG_LOG', false);";
    expect(problemsOf(raw)).toEqual([
      "task.logRetentionDays: must be at least 365 in a production environment (got 30)",
      "pipeline.build.logRetentionDays: must be at least 365 in a production environment (got 30)",
    ]);
  });
});
