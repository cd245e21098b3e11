import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { CI_IAM_PATH } from "../../config/naming";
import { policyDocument, PolicyStatement } from "../shared/iam-policy";

/** IAM's limit on one customer-managed policy, whitespace not counted (IAM quotas: managed policy size). */
export const MANAGED_POLICY_LIMIT = 6144;

/**
 * Statements packed in order into documents of at most `limit` characters each. A single statement larger
 * than the limit is an error (it could never be attached).
 */
export function packStatements(statements: readonly PolicyStatement[], limit: number): PolicyStatement[][] {
  const chunks: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  for (const statement of statements) {
    if (policyDocument([statement]).length > limit) throw new Error(`policy statement ${statement.Sid ?? "(no Sid)"} alone exceeds ${limit} characters`);
    if (current.length > 0 && policyDocument([...current, statement]).length > limit) {
      chunks.push(current);
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface CiManagedPolicyProps {
  /** The policy's name (under the path /ci/). */
  readonly name: string;
  /** What the policy is for, shown in IAM. */
  readonly description: string;
  /** The policy's statements (at most MANAGED_POLICY_LIMIT characters together). */
  readonly statements: readonly PolicyStatement[];
}

/**
 * A customer-managed policy under /ci/ for CI roles: it keeps reads, guardrails and deploy statements out of a
 * role's 10,240 characters of inline policy. Rejects a document IAM would refuse.
 */
export class CiManagedPolicy extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CiManagedPolicyProps) {
    super(scope, id);
    const document = policyDocument(props.statements);
    if (document.length > MANAGED_POLICY_LIMIT) {
      throw new Error(
        `CiManagedPolicy ${props.name}: ${document.length} characters, IAM allows ${MANAGED_POLICY_LIMIT} per managed policy (pack with packStatements)`,
      );
    }
    this.arn = new IamPolicy(this, "policy", { name: props.name, path: CI_IAM_PATH, description: props.description, policy: document }).arn;
  }
}
