import { TerraformResource } from "cdktf";

/**
 * Records, next to the resource, that a policy-scanner finding is accepted on purpose and why.
 *
 * The reason lands in the resource's `"//"` comment block of the synthesized JSON, where reviewers read it.
 * checkov's terraform_json runner does not read inline skip comments (it scans every block with an empty
 * skip list: checkov/terraform_json/runner.py, run_block), so scripts/scan.cjs applies these skips itself
 * and lists them. Every accepted finding also appears in SECURITY.md (a test keeps the two in step).
 */
export const CHECKOV_SKIP_KEY = "checkov_skip";

export function acceptFinding(resource: TerraformResource, checkId: string, reason: string): void {
  if (!/^CKV2?_[A-Z0-9]+_\d+$/.test(checkId)) throw new Error(`acceptFinding: "${checkId}" is not a checkov check id`);
  if (reason.trim().length < 20) throw new Error(`acceptFinding: ${checkId} needs a reason a reviewer would accept`);
  resource.addOverride(`//.${CHECKOV_SKIP_KEY}.${checkId}`, reason);
}

/** Logs kept under a year are a per-environment choice (validation requires 365+ days in production). */
export function acceptShortRetention(logGroup: TerraformResource, days: number): void {
  if (days < 365) {
    acceptFinding(logGroup, "CKV_AWS_338", `Retention of ${days} days is this non-production environment's configured choice (production requires 365+).`);
  }
}
