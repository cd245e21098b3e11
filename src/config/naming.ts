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
