/*
 * Must allow: every AWS API call the Terraform AWS provider made when the integration tier planned, deployed,
 * re-planned and destroyed the `local` environment (captured from the real run at TF_LOG_PROVIDER=DEBUG into
 * __tests__/fixtures/provider-calls.json; `npm run capture:provider-calls` regenerates it), evaluated by a real
 * IAM policy evaluator against the CI roles the identities stack synthesizes for that environment: the deploy
 * role for the deploy and destroy phases, and the plan role (and the deploy role) for the plan phase.
 * The local environment is given to the identities stack as a real one (no local endpoint, S3 state), so its
 * roles come from the same code as staging's and production's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Testing } from "cdktf";
import { validateEnvironment } from "../../src/config";
import { ci } from "../../src/config/ci";
import { validateCi } from "../../src/config/ci-schema";
import { local } from "../../src/config/local";
import { CiIdentitiesStack, deployScopeOf } from "../../src/stacks/ci-identities-stack";
import { ciPrincipals, evaluate, Request } from "../iam-evaluator";
import { policy, synthPlatform, TerraformJson } from "../helpers";

interface Call {
  phase: "plan" | "deploy" | "destroy";
  service: string;
  operation: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  impliedBy?: string;
}

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "provider-calls.json"), "utf8")) as { provider: string; calls: Call[] };

/**
 * Calls that no policy can allow or deny, with why. Only what AWS itself answers the same whatever the policy.
 */
const NOT_POLICY_DECIDED: Record<string, string> = {
  // The provider's account-id lookup tries iam:GetUser (no user name) first; for a role session AWS answers
  // ValidationError whatever the policy says, and the provider falls back to sts:GetCallerIdentity.
  "iam:GetUser": "answered ValidationError for a role session; the provider falls back to sts:GetCallerIdentity",
};

const raw = JSON.parse(JSON.stringify(local));
delete raw.provider;
// A real secret must stay recoverable; the permissions do not depend on the window.
raw.wordpress.database.passwordSecret.recoveryWindowDays = 7;
raw.state = {
  backend: "s3",
  bucket: "myslp-terraform-state-744590032041-us-east-1",
  key: "myslp/local/terraform.tfstate",
  region: "us-east-1",
  accessLogBucket: "myslp-terraform-state-logs-744590032041-us-east-1",
};
const env = validateEnvironment(raw);
const scope = deployScopeOf(env);
const identities = JSON.parse(
  Testing.synth(
    new CiIdentitiesStack(Testing.app() as App, "ci", {
      project: env.project,
      account: validateCi(ci, [env]).accounts[0],
      github: ci.github,
      environments: [env],
    }),
  ),
) as TerraformJson;
const roles = ciPrincipals(identities);
const deploy = roles.get("github-myslp-deploy-local")!;
const plan = roles.get("github-myslp-plan")!;
const keyPolicy = policy(Object.values(synthPlatform(env).json.resource.aws_kms_key)[0].policy as string);

/**
 * The request as AWS evaluates it: what the call itself carried, plus what AWS knows of the resource. Every
 * existing resource the stack touches carries its Environment tag (the provider's default tags put it on at
 * creation, which the fixture's create calls show), and every role of the environment its boundary (the
 * synthesized roles say so: ci-permissions.test.ts).
 */
function requestOf(call: Call): Request {
  // AWS sets aws:RequestedRegion on every request; a resource that exists (its ARN names it) has its tags.
  const context: Record<string, string | string[]> = { "aws:RequestedRegion": env.region, ...call.context };
  const existing = call.resource !== "*" && !call.resource.endsWith("/*");
  if (existing) context["aws:ResourceTag/Environment"] = env.name;
  if (call.action.startsWith("iam:") && call.resource.includes(`:role/${scope.namePrefix}-`) && !("iam:PermissionsBoundary" in context)) {
    context["iam:PermissionsBoundary"] = scope.boundaryArn;
  }
  return { action: call.action, resource: call.resource, context, resourcePolicy: call.action.startsWith("kms:") ? keyPolicy : undefined };
}

const decided = fixture.calls.filter((c) => !(c.action in NOT_POLICY_DECIDED));
const label = (c: Call) => `${c.phase} ${c.action} ${c.resource}${c.impliedBy ? ` (by ${c.impliedBy})` : ""}`;

describe(`the provider's real calls (${fixture.provider}, integration tier) are allowed`, () => {
  test("the fixture covers a real deploy, re-plan and destroy", () => {
    const phases = new Set(fixture.calls.map((c) => c.phase));
    expect([...phases].sort()).toEqual(["deploy", "destroy", "plan"]);
    const actions = new Set(fixture.calls.map((c) => c.action));
    for (const action of ["ecs:CreateService", "iam:CreateRole", "iam:PassRole", "kms:CreateKey", "ecs:DeleteCluster", "ec2:DeleteVpc"])
      expect(actions).toContain(action);
  });

  test("every role the environment creates asks for its boundary when created", () => {
    const creates = fixture.calls.filter((c) => c.action === "iam:CreateRole");
    expect(creates.length).toBeGreaterThan(0);
    for (const c of creates)
      expect({ role: c.resource, boundary: c.context["iam:PermissionsBoundary"] }).toEqual({ role: c.resource, boundary: scope.boundaryArn });
  });

  test("by the deploy role: every call of every phase, zero denials", async () => {
    const denied: string[] = [];
    for (const call of decided) {
      const verdict = await evaluate(deploy, requestOf(call));
      if (verdict.decision !== "Allowed")
        denied.push(`${label(call)}: ${verdict.decision}${verdict.deciding.length ? ` by ${verdict.deciding.join(", ")}` : ""}`);
    }
    expect(denied).toEqual([]);
  });

  test("by the plan role: every call of the plan phase, zero denials", async () => {
    const denied: string[] = [];
    for (const call of decided.filter((c) => c.phase === "plan")) {
      const verdict = await evaluate(plan, requestOf(call));
      if (verdict.decision !== "Allowed") denied.push(`${label(call)}: ${verdict.decision}`);
    }
    expect(denied).toEqual([]);
  });

  test("the plan role is denied every write the deploy made", async () => {
    const writes = decided.filter(
      (c) =>
        c.phase !== "plan" &&
        /:(Create|Put|Delete|Update|Attach|Detach|Modify|Authorize|Revoke|Register|Deregister|Tag|Untag|Run|Pass|Allocate|Associate|Disassociate|Attach|Release|Schedule|Enable|Set)/.test(
          c.action,
        ),
    );
    expect(writes.length).toBeGreaterThan(50);
    const allowed: string[] = [];
    for (const call of writes) if ((await evaluate(plan, requestOf(call))).decision === "Allowed") allowed.push(label(call));
    expect(allowed).toEqual([]);
  });
});
