// The CI identity constructs alone, with explicit props: GIVEN / WHEN / THEN, one stack per test.
import { CiManagedPolicy, MANAGED_POLICY_LIMIT, packStatements } from "../../../src/constructs/ci/managed-policy";
import { OidcProvider } from "../../../src/constructs/ci/oidc-provider";
import { WebIdentityRole } from "../../../src/constructs/ci/web-identity-role";
import { BoundEveryRole, WorkloadBoundary } from "../../../src/constructs/ci/workload-boundary";
import type { DeployScope } from "../../../src/constructs/shared/deploy-scope";
import { Aspects } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { only, policy, ref, synthConstruct } from "../../helpers";

const scope: DeployScope = {
  accountId: "111122223333",
  region: "eu-west-1",
  environment: "qa",
  namePrefix: "app-qa",
  clusterName: "app-qa-cluster",
  serviceName: "app-qa-service",
  taskFamily: "app_qa",
  capacityProviderName: "app-qa-arm64",
  autoScalingGroupName: "app-qa-ecs",
  roleNames: [],
  logGroupNames: ["/ecs/app_qa"],
  bucketNames: ["app-qa-logs-111122223333"],
  imageRepositoryName: "app-qa-images",
  managesImageRepository: true,
  secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/qa/db-??????",
  createsSecret: true,
  createsNetwork: false,
  databaseAccess: false,
  attachablePolicyArns: [],
  boundaryArn: "arn:aws:iam::111122223333:policy/ci/app-qa-workload-boundary",
};

describe("WebIdentityRole", () => {
  test("trusts exactly the given audience and subjects of the provider, under /ci/", () => {
    const { json } = synthConstruct((s) => {
      const provider = new OidcProvider(s, "oidc", { url: "https://token.example.com", audiences: ["sts.amazonaws.com"], mode: "create" });
      new WebIdentityRole(s, "role", { name: "ci-qa", description: "qa", provider, audience: "sts.amazonaws.com", subjects: ["repo:o/r:ref:refs/heads/main"] });
    });
    const role = only(json, "aws_iam_role");
    expect(role.path).toBe("/ci/");
    expect(policy(role.assume_role_policy as string).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: ref(json, "aws_iam_openid_connect_provider", "arn") },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.example.com:aud": "sts.amazonaws.com", "token.example.com:sub": "repo:o/r:ref:refs/heads/main" } },
      },
    ]);
  });

  test("refuses a wildcard subject and no subject at all", () => {
    const build = (subjects: string[]) => () =>
      synthConstruct((s) => {
        const provider = new OidcProvider(s, "oidc", { url: "https://token.example.com", audiences: ["a"], mode: "existing" });
        new WebIdentityRole(s, "role", { name: "ci-qa", description: "qa", provider, audience: "a", subjects });
      });
    expect(build(["repo:o/*"])).toThrow('subject "repo:o/*" has a wildcard');
    expect(build([])).toThrow("at least one token subject is required");
  });
});

describe("CiManagedPolicy and packStatements", () => {
  test("a policy under /ci/ holding the statements", () => {
    const { json } = synthConstruct((s) => {
      new CiManagedPolicy(s, "p", {
        name: "ci-read",
        description: "reads",
        statements: [{ Sid: "R", Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }],
      });
    });
    expect(only(json, "aws_iam_policy")).toMatchObject({ name: "ci-read", path: "/ci/" });
    expect(policy(only(json, "aws_iam_policy").policy as string).Statement.map((st) => st.Sid)).toEqual(["R"]);
  });

  test("packs statements into documents under IAM's limit, in order, and refuses one that can never fit", () => {
    const statement = (i: number) => ({ Sid: `S${i}`, Effect: "Allow" as const, Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(200)}-${i}/*` });
    const chunks = packStatements(
      Array.from({ length: 60 }, (_, i) => statement(i)),
      MANAGED_POLICY_LIMIT,
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat().map((st) => st.Sid)).toEqual(Array.from({ length: 60 }, (_, i) => `S${i}`));
    for (const chunk of chunks) expect(JSON.stringify({ Version: "2012-10-17", Statement: chunk }).length).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(() => packStatements([{ ...statement(0), Resource: "x".repeat(MANAGED_POLICY_LIMIT) }], MANAGED_POLICY_LIMIT)).toThrow("alone exceeds");
  });
});

describe("WorkloadBoundary and BoundEveryRole", () => {
  test("the boundary policy is named as the scope's boundaryArn says, and refuses a mismatch", () => {
    const { json } = synthConstruct((s) => {
      new WorkloadBoundary(s, "b", { scope, name: "app-qa-workload-boundary" });
    });
    expect(only(json, "aws_iam_policy")).toMatchObject({ name: "app-qa-workload-boundary", path: "/ci/" });
    expect(() => synthConstruct((s) => new WorkloadBoundary(s, "b", { scope, name: "other" }))).toThrow("scope.boundaryArn is");
  });

  test("every role in the scope gets the boundary, whichever construct created it", () => {
    const { json } = synthConstruct((s) => {
      new IamRole(s, "a", { name: "app-qa-a", assumeRolePolicy: "{}" });
      new IamRole(s, "b", { name: "app-qa-b", assumeRolePolicy: "{}" });
      Aspects.of(s).add(new BoundEveryRole(scope.boundaryArn));
    });
    const roles = Object.values(json.resource.aws_iam_role);
    expect(roles.map((r) => r.permissions_boundary)).toEqual([scope.boundaryArn, scope.boundaryArn]);
  });
});
