import { Construct } from "constructs";
import { DataAwsSecretsmanagerSecret } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import type { DatabasePasswordSecretConfig } from "../config";

export interface DatabasePasswordSecretProps {
  readonly config: DatabasePasswordSecretConfig;
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
        recoveryWindowInDays: 30,
      });
      this.arn = secret.arn;
    } else {
      this.arn = new DataAwsSecretsmanagerSecret(this, "secret", { name: config.name }).arn;
    }
  }
}
