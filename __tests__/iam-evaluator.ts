/*
 * The synthesized IAM of the CI identities stack, evaluated by a real IAM policy evaluator
 * (@cloud-copilot/iam-simulate, AGPL-3.0, a dev dependency only): identity policies (inline and customer-managed),
 * permissions boundaries, resource policies (KMS key policies) and every condition operator. Tests ask "may this
 * role make this request" and get the decision with the statements that decided it.
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { policy, TerraformJson } from "./helpers";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface Principal {
  readonly name: string;
  readonly arn: string;
  /** Identity policies, by name (inline policy name, or customer-managed policy name). */
  readonly policies: readonly { name: string; policy: any }[];
  /** The permissions boundary, when the principal has one. */
  readonly boundary?: { name: string; policy: any };
}

export interface Request {
  readonly action: string;
  /** The resource ARN, or "*" for actions that take none. */
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy (a KMS key policy, a bucket policy). */
  readonly resourcePolicy?: any;
}

export interface Verdict {
  readonly decision: Decision;
  /** The statements that decided: `policy/Sid` of each allow (when allowed) or deny (when denied). */
  readonly deciding: string[];
}

/** The CI roles of an identities stack, with their inline and customer-managed policies resolved. */
export function ciPrincipals(json: TerraformJson): Map<string, Principal> {
  const managed = new Map(
    Object.entries(json.resource.aws_iam_policy ?? {}).map(([id, p]) => [
      `\${aws_iam_policy.${id}.arn}`,
      { name: p.name as string, policy: policy(p.policy as string) },
    ]),
  );
  const principals = new Map<string, Principal>();
  for (const [id, role] of Object.entries(json.resource.aws_iam_role)) {
    const inline = Object.values(json.resource.aws_iam_role_policy ?? {})
      .filter((p) => p.role === `\${aws_iam_role.${id}.id}`)
      .map((p) => ({ name: p.name as string, policy: policy(p.policy as string) }));
    const attached = Object.values(json.resource.aws_iam_role_policy_attachment ?? {})
      .filter((a) => a.role === `\${aws_iam_role.${id}.name}`)
      .map((a) => {
        const found = managed.get(a.policy_arn as string);
        // An AWS-managed policy would be evaluated without its text: refuse rather than guess.
        if (!found) throw new Error(`role ${role.name}: attached policy ${a.policy_arn} is not defined in this stack, so it cannot be evaluated`);
        return found;
      });
    principals.set(role.name as string, {
      name: role.name as string,
      arn: `arn:aws:iam::${accountOf(json)}:role${role.path ?? "/"}${role.name}`,
      policies: [...inline, ...attached],
    });
  }
  return principals;
}

/** The account id the stack's provider is pinned to. */
export function accountOf(json: TerraformJson): string {
  return (json.provider as any).aws[0].allowed_account_ids[0];
}

/** A principal made of one policy document, e.g. to check a statement against a boundary alone. */
export function principalOf(name: string, accountId: string, statements: readonly unknown[], boundary?: any): Principal {
  return {
    name,
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    policies: [{ name, policy: { Version: "2012-10-17", Statement: statements } }],
    boundary: boundary ? { name: `${name}-boundary`, policy: boundary } : undefined,
  };
}

/**
 * Evaluates one request. The evaluator does not model every condition key: it ignores
 * `kms:EncryptionContext:<key>` (it reports such keys as ignored), so a request that gives one throws here
 * rather than being judged without it; tests drop that condition and assert it on the JSON instead. Requests on AWS's own resources (public SSM parameters: no account in the ARN) need the
 * evaluator's unsafe mode, which skips its ARN-account check; everything else runs with full validation, and a
 * request the evaluator cannot validate (an unknown action, a resource of the wrong type for the action) throws.
 */
export async function evaluate(principal: Principal, request: Request): Promise<Verdict> {
  const accountId = principal.arn.split(":")[4];
  const simulation = {
    request: {
      principal: principal.arn,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resource.split(":")[4] || accountId },
      contextVariables: { "aws:PrincipalArn": principal.arn, "aws:PrincipalAccount": accountId, ...request.context },
    },
    identityPolicies: principal.policies.map((p) => ({ name: p.name, policy: p.policy })),
    permissionBoundaryPolicies: principal.boundary ? [principal.boundary] : undefined,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  const awsOwned =
    /^arn:aws:[a-z0-9-]+:[a-z0-9-*]*::/.test(request.resource) &&
    !request.resource.startsWith("arn:aws:iam::") &&
    !request.resource.startsWith("arn:aws:s3:::");
  // The unsafe mode answers with the decision alone, without the analysis.
  if (awsOwned) return { decision: (await runUnsafeSimulation(simulation as any, {})) as unknown as Decision, deciding: [] };
  const result: any = await runSimulation(simulation as any, {});
  if (result.resultType === "error") throw new Error(`cannot evaluate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  const analyses = result.resultType === "single" ? [result.result] : result.results;
  const decision: Decision = result.overallResult;
  // A key the action does not support is ignored, as AWS would (it never sends it); the encryption-context
  // keys KMS does send are the one gap found, and a condition on them would be judged without the value.
  const ignored = analyses.flatMap((r: any) => r.ignoredContextKeys ?? []).filter((key: string) => key.startsWith("kms:EncryptionContext:"));
  if (ignored.length > 0)
    throw new Error(`the evaluator ignores context keys ${ignored.join(", ")} of ${request.action}: it cannot judge this request as given`);
  const deciding = analyses.flatMap((r: any) => {
    const a = r.analysis ?? {};
    const parts = [a.identityAnalysis, a.permissionBoundaryAnalysis, a.resourceAnalysis].filter(Boolean);
    const statements = parts.flatMap((p: any) => (decision === "Allowed" ? p.allowStatements : p.denyStatements) ?? []);
    return statements.map((s: any) => `${s.policyId ?? "resource policy"}/${s.statement?.Sid ?? "(no Sid)"}`);
  });
  return { decision, deciding: [...new Set<string>(deciding)] };
}

/** "role may <action> on <resource>" for test names and failure messages. */
export function describeRequest(principal: Principal, request: Request): string {
  const context = request.context && Object.keys(request.context).length > 0 ? ` ${JSON.stringify(request.context)}` : "";
  return `${principal.name}: ${request.action} on ${request.resource}${context}`;
}
