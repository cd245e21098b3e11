import { Construct } from "constructs";
import { DataAwsSecretsmanagerSecret } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import type { DatabasePasswordSecretConfig } from "../../config";
import { acceptFinding } from "../shared/policy-exceptions";

export interface DatabasePasswordSecretProps {
  /** An existing secret by ARN or name, or a new one by name (config `wordpress.database.passwordSecret`). */
  readonly config: DatabasePasswordSecretConfig;
  /** The environment's KMS key, for a secret this construct creates. */
  readonly kmsKeyArn: string;
  /**
   * Days a deleted secret stays recoverable (7-30), or 0 to delete it at once, for a secret created here.
   * @default 30
   */
  readonly recoveryWindowDays?: number;
}

/**
 * Where the database password lives: a Secrets Manager secret, given by ARN, looked up by name, or created
 * here empty (an operator puts the value; Terraform never sees it). Only the ARN leaves this construct.
 */
export class DatabasePasswordSecret extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: DatabasePasswordSecretProps) {
    super(scope, id);
    const { config } = props;
    if ("arn" in config) {
      this.arn = config.arn;
    } else if (config.create) {
      const secret = new SecretsmanagerSecret(this, "secret", {
        name: config.name,
        description: "WordPress database password (WORDPRESS_DB_PASSWORD); value set by an operator, never by Terraform",
        // 0 makes the provider delete without recovery (ForceDeleteWithoutRecovery), so a redeploy can reuse the name.
        recoveryWindowInDays: props.recoveryWindowDays ?? 30,
        kmsKeyId: props.kmsKeyArn,
      });
      acceptFinding(
        secret,
        "CKV2_AWS_57",
        "Rotating the Aurora password needs a rotation Lambda with database access that this stack does not own; rotate by hand (README).",
      );
      this.arn = secret.arn;
    } else {
      this.arn = new DataAwsSecretsmanagerSecret(this, "secret", { name: config.name }).arn;
    }
  }
}
