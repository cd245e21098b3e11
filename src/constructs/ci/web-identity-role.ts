import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CI_IAM_PATH } from "../../config/naming";
import { policyDocument, PolicyStatement } from "../shared/iam-policy";
import type { OidcProvider } from "./oidc-provider";

/** IAM's limit on the inline policies of one role, all together (IAM quotas: role policy size). */
export const ROLE_INLINE_POLICY_LIMIT = 10240;

export interface WebIdentityRoleProps {
  /** Role name (1-64 characters); CI roles live under the path /ci/, outside every environment's names. */
  readonly name: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** The identity provider whose tokens may assume the role. */
  readonly provider: OidcProvider;
  /** The audience the token must carry (`<host>:aud`). */
  readonly audience: string;
  /** The exact token subjects allowed (`<host>:sub`, StringEquals: no wildcards). */
  readonly subjects: readonly string[];
  /** AWS-managed policies to attach, by ARN. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Inline policies, by name. @default none */
  readonly inlinePolicies?: Readonly<Record<string, readonly PolicyStatement[]>>;
  /** @default 3600 (one hour: a deploy of this platform takes minutes) */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * A role that an OIDC token (GitHub Actions, HCP Terraform) assumes with sts:AssumeRoleWithWebIdentity, only
 * when the token's audience and subject are exactly the ones given.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
 */
export class WebIdentityRole extends Construct {
  readonly arn: string;
  readonly name: string;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: WebIdentityRoleProps) {
    super(scope, id);
    if (props.subjects.length === 0) throw new Error(`WebIdentityRole ${props.name}: at least one token subject is required`);
    const wildcard = props.subjects.find((s) => /[*?]/.test(s));
    if (wildcard) throw new Error(`WebIdentityRole ${props.name}: subject "${wildcard}" has a wildcard; give exact subjects`);
    const inline = Object.entries(props.inlinePolicies ?? {}).map(([name, statements]) => ({ name, document: policyDocument(statements) }));
    const size = inline.reduce((n, p) => n + p.document.length, 0);
    // Tokens (ARNs of this stack's resources) are longer unresolved than resolved, so this errs on the safe side.
    if (size > ROLE_INLINE_POLICY_LIMIT) {
      throw new Error(`WebIdentityRole ${props.name}: inline policies total ${size} characters, IAM allows ${ROLE_INLINE_POLICY_LIMIT} per role`);
    }
    this.role = new IamRole(this, "role", {
      name: props.name,
      path: CI_IAM_PATH,
      description: props.description,
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: props.provider.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${props.provider.host}:aud`]: props.audience,
              [`${props.provider.host}:sub`]: props.subjects.length === 1 ? props.subjects[0] : [...props.subjects],
            },
          },
        },
      ]),
    });
    (props.managedPolicyArns ?? []).forEach((policyArn, index) => {
      new IamRolePolicyAttachment(this, `managed_${index}`, { role: this.role.name, policyArn });
    });
    for (const { name, document } of inline) {
      new IamRolePolicy(this, `policy_${name.replace(/-/g, "_")}`, { role: this.role.id, name, policy: document });
    }
    this.arn = this.role.arn;
    this.name = this.role.name;
  }
}
