/**
 * IAM policy documents as plain data, serialized with JSON.stringify so that reviewers read ordinary JSON in
 * the synthesized output and tests can parse it. Resource ARNs may be cdktf string tokens: they resolve to
 * Terraform interpolations inside the string.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Record<string, string | readonly string[]>;
  readonly Condition?: Record<string, Record<string, string | boolean | readonly string[]>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy letting one AWS service assume the role. With `sourceAccount`, only on behalf of that account
 * (the confused-deputy guard ECS, CodeBuild and CodePipeline honour); EC2 instance profiles do not send it.
 * Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
    },
  ]);
}
