/**
 * One naming rule for every name the spec does not give: `<project>-<environment>-<purpose>`.
 * Names the spec gives (cluster, service, task family, ...) are written out in the environment's config.
 */
export function environmentPrefix(project: string, environment: string): string {
  return `${project}-${environment}`;
}

export function resourceName(project: string, environment: string, purpose: string): string {
  return `${environmentPrefix(project, environment)}-${purpose}`;
}

/**
 * The ARN partition of a region, from its name: cn-* is aws-cn, us-gov-* is aws-us-gov, every other public
 * region is aws. Whether the region exists is the provider's to say: it refuses an unknown region at plan time.
 */
export function partitionOf(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/** The stack id `cdktf deploy <id>` takes for an environment. */
export function stackName(project: string, environment: string): string {
  return environmentPrefix(project, environment);
}

/** Task definition family, in the spec's pattern (`slp_saas_staging`). */
export function taskFamily(environment: string): string {
  return `slp_saas_${environment}`;
}

/** A globally unique bucket name: `<project>-<environment>-<purpose>-<account id>`. */
export function bucketName(project: string, environment: string, purpose: string, accountId: string): string {
  return `${resourceName(project, environment, purpose)}-${accountId}`;
}

/**
 * The IAM path of everything CI runs as or is bounded by (its roles, their policies, the environments'
 * boundaries): no deploy role may change anything under it (src/constructs/ci/guardrails.ts).
 */
export const CI_IAM_PATH = "/ci/";

/**
 * The permissions boundary every role of an environment carries: a customer-managed policy under /ci/ that
 * the CI identities stack creates (src/constructs/ci/workload-boundary.ts).
 */
export function workloadBoundaryArn(project: string, environment: string, accountId: string): string {
  return `arn:aws:iam::${accountId}:policy${CI_IAM_PATH}${resourceName(project, environment, "workload-boundary")}`;
}
