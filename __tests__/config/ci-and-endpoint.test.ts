import { loadEnvironments, RAW_ENVIRONMENTS, validateEnvironment } from "../../src/config";
import { ci } from "../../src/config/ci";
import { validateCi } from "../../src/config/ci-schema";
import { local } from "../../src/config/local";
import { production } from "../../src/config/production";
import { problemsOf, stagingRaw } from "../helpers";

const raw = (x: unknown): any => JSON.parse(JSON.stringify(x));
const environments = loadEnvironments();

/** The message validateCi throws for a changed copy of src/config/ci.ts, or "" when it passes. */
function ciProblems(change: (c: any) => void): string {
  const config = raw(ci);
  change(config);
  try {
    validateCi(config, environments);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("the CI configuration (src/config/ci.ts)", () => {
  test("is valid for the project's environments", () => {
    expect(validateCi(ci, environments).github.repository).toBe("storelocatorplus/myslp-ecs-platform");
  });

  // One row per rule: how the config is broken, the field the message must name, what it says is allowed.
  const rows: [string, string, string, (c: any) => void][] = [
    ["repository without an owner", "ci.github.repository", "<owner>/<repository>", (c) => (c.github.repository = "myslp-ecs-platform")],
    ["owner starting with a hyphen", "ci.github.repository", "single hyphens", (c) => (c.github.repository = "-acme/infra")],
    ["owner with a double hyphen", "ci.github.repository", "single hyphens", (c) => (c.github.repository = "ac--me/infra")],
    ["owner of 40 characters", "ci.github.repository", "1-39", (c) => (c.github.repository = `${"a".repeat(40)}/infra`)],
    ["repository with a space", "ci.github.repository", "letters, digits, . _ -", (c) => (c.github.repository = "acme/my infra")],
    ["repository named ..", "ci.github.repository", "<owner>/<repository>", (c) => (c.github.repository = "acme/..")],
    ["repository given with .git", "ci.github.repository", "without .git", (c) => (c.github.repository = "acme/infra.git")],
    ["a URL instead of owner/name", "ci.github.repository", "<owner>/<repository>", (c) => (c.github.repository = "https://github.com/acme/infra")],
    ["main branch with ..", "ci.github.mainBranch", "git branch name", (c) => (c.github.mainBranch = "release..1")],
    ["empty main branch", "ci.github.mainBranch", "must not be empty", (c) => (c.github.mainBranch = "")],
    ["provider mode misspelt", "ci.accounts.0.githubOidcProvider", '"create"', (c) => (c.accounts[0].githubOidcProvider = "import")],
    [
      "Terraform Cloud provider mode misspelt",
      "ci.accounts.0.terraformCloudOidcProvider",
      '"existing"',
      (c) => (c.accounts[0].terraformCloudOidcProvider = "yes"),
    ],
    ["account id of 11 digits", "ci.accounts.0.accountId", "12-digit", (c) => (c.accounts[0].accountId = "74459003204")],
    ["no accounts", "ci.accounts", "at least one account", (c) => (c.accounts = [])],
    ["an unknown key", "ci.github", 'Unrecognized key: "token"', (c) => (c.github.token = "ghp_secret")],
    [
      "the environments' account missing",
      "ci.accounts",
      "account 744590032041 (environments staging, production) is not listed",
      (c) => (c.accounts[0].accountId = "123456789012"),
    ],
    [
      "an account no environment runs in",
      "ci.accounts.1.accountId",
      "no environment runs in account 123456789012",
      (c) => c.accounts.push({ accountId: "123456789012", githubOidcProvider: "create" }),
    ],
    ["an account listed twice", "ci.accounts.1.accountId", "listed twice", (c) => c.accounts.push({ ...c.accounts[0] })],
  ];
  test.each(rows)("rejects %s, naming %s", (_label, field, allowed, change) => {
    const message = ciProblems(change);
    expect(message).toContain("Invalid CI configuration (src/config/ci.ts)");
    const line = message.split("\n").find((l) => l.includes(`${field}:`) || l.includes(`${field} `));
    expect(line).toBeDefined();
    expect(line).toContain(allowed);
  });

  test("never echoes the value of an unknown key", () => {
    expect(ciProblems((c) => (c.github.token = "ghp_secret"))).not.toContain("ghp_secret");
  });

  test("the local endpoint's account need not be listed (it gets no CI identities)", () => {
    const elsewhere = raw(local);
    elsewhere.accountId = "123456789012";
    elsewhere.task.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:local";
    expect(() => validateCi(ci, [...environments, validateEnvironment(elsewhere)])).not.toThrow();
  });
});

describe("provider version, endpoint, local state and the secret recovery window (environment config)", () => {
  const rows: [string, string, string, () => any, (r: any) => void][] = [
    ["a provider version range", "provider.version", "exact provider version", () => stagingRaw(), (r) => (r.provider = { version: "~> 6.25" })],
    ["a provider older than 5.0", "provider.version", "5.0.0 or later", () => stagingRaw(), (r) => (r.provider = { version: "4.67.0" })],
    ["an unknown endpoint", "provider.endpoint", '"aws"|"local"', () => stagingRaw(), (r) => (r.provider = { endpoint: "localstack" })],
    [
      "provider 5.x where the pipeline re-pushes the moving tag",
      "provider.version",
      "IMMUTABLE_WITH_EXCLUSION",
      () => stagingRaw(),
      (r) => (r.provider = { version: "5.100.0" }),
    ],
    [
      "a production environment at a local endpoint",
      "provider.endpoint",
      'must be "aws" in a production environment',
      () => raw(production),
      (r) => (r.provider = { endpoint: "local" }),
    ],
    ["local state for a real account", "state.backend", 'only with provider.endpoint "local"', () => stagingRaw(), (r) => (r.state = { backend: "local" })],
    [
      "a recovery window of 3 days",
      "wordpress.database.passwordSecret",
      "7-30 days",
      () => stagingRaw(),
      (r) => (r.wordpress.database.passwordSecret.recoveryWindowDays = 3),
    ],
    [
      "no recovery window for a real secret",
      "wordpress.database.passwordSecret.recoveryWindowDays",
      "only at a local endpoint",
      () => stagingRaw(),
      (r) => (r.wordpress.database.passwordSecret.recoveryWindowDays = 0),
    ],
    [
      "a Terraform Cloud project with a slash",
      "state.project",
      "HCP Terraform project name",
      () => stagingRaw(),
      (r) => (r.state = { backend: "cloud", organization: "o", workspace: "w", project: "a/b" }),
    ],
  ];
  test.each(rows)("rejects %s, naming %s", (_label, field, allowed, make, change) => {
    const base = make();
    change(base);
    const problems = problemsOf(base);
    const line = problems.find((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}.`));
    expect({ problems, found: line !== undefined }).toEqual({ problems, found: true });
    expect(line).toContain(allowed);
  });

  test("accepts the local environment's settings there, and 7-30 days anywhere", () => {
    expect(validateEnvironment(local).provider).toEqual({ version: "5.100.0", endpoint: "local" });
    const week = stagingRaw();
    week.wordpress.database.passwordSecret.recoveryWindowDays = 7;
    expect(problemsOf(week)).toEqual([]);
  });
});

describe("the local environment beside the real ones", () => {
  test("is one of the app's environments, and validates together with staging (no shared repository or bucket)", () => {
    expect(RAW_ENVIRONMENTS.map((e: any) => e.name)).toEqual(["staging", "production", "local"]);
    expect(loadEnvironments().map((e) => e.name)).toEqual(["staging", "production", "local"]);
  });

  test("two real environments still may not both manage the repository", () => {
    const second = raw(production);
    second.imageRepository.name = "myslp2024-aarch64";
    second.task.image = second.task.image.replace("myslp-production-aarch64", "myslp2024-aarch64");
    expect(() => loadEnvironments([stagingRaw(), second])).toThrow("must be managed by exactly one environment, but staging and production do");
  });

  test("a second local-endpoint environment does clash with the first", () => {
    const twin = raw(local);
    twin.name = "local-two";
    twin.task.image = twin.task.image.replace(":local", ":local-two");
    expect(() => loadEnvironments([raw(local), twin])).toThrow(
      "local endpoint 744590032041/us-east-1/myslp2024-aarch64 must be managed by exactly one environment",
    );
  });
});
