import { Construct } from "constructs";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";

export interface OidcProviderProps {
  /** The issuer, e.g. https://token.actions.githubusercontent.com. */
  readonly url: string;
  /** The audiences (client ids) its tokens carry, e.g. sts.amazonaws.com. */
  readonly audiences: readonly string[];
  /**
   * "create": a new IAM OIDC identity provider; "existing": look up the account's provider for this URL
   * (IAM allows one per URL per account, so a second stack creating it would fail).
   */
  readonly mode: "create" | "existing";
}

/**
 * An IAM OpenID Connect identity provider that CI tokens are exchanged through. No thumbprint list: IAM
 * verifies these issuers through its own trusted CA library, and thumbprint_list is optional in the AWS
 * provider (5.x and 6.x). Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 */
export class OidcProvider extends Construct {
  readonly arn: string;
  /** The issuer without https://, the prefix of its IAM condition keys (`<host>:sub`, `<host>:aud`). */
  readonly host: string;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    if (!/^https:\/\/[a-z0-9.-]+$/.test(props.url)) throw new Error(`OidcProvider: "${props.url}" is not an https:// issuer URL without a path`);
    this.host = props.url.replace(/^https:\/\//, "");
    if (props.mode === "existing") {
      this.arn = new DataAwsIamOpenidConnectProvider(this, "provider", { url: props.url }).arn;
    } else {
      this.arn = new IamOpenidConnectProvider(this, "provider", { url: props.url, clientIdList: [...props.audiences] }).arn;
    }
  }
}
