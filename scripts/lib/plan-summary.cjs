/*
 * Summarizes a saved Terraform plan, as `terraform show -json <planfile>` prints it, for the pull-request comment
 * (scripts/plan-summary.cjs, .github/workflows/pull-request.yml): how many resources the plan would create,
 * update, replace, destroy, import and move, and which ones it would replace or destroy (those lose data or
 * cause an outage, so they are named). Only counts and addresses leave the plan: attribute values (which the
 * JSON holds in clear, sensitive ones included) never reach the summary.
 *
 * Classification of `resource_changes[].change` (https://developer.hashicorp.com/terraform/internals/json-format):
 * - actions ["create"] create, ["update"] update, ["delete"] destroy, ["delete","create"] and ["create","delete"]
 *   replace; ["no-op"], ["read"] (data sources) count as nothing; ["forget"] and ["create","forget"] (a `removed`
 *   block that keeps the object) count only their create, the object itself is left alone.
 * - `importing` present: an import, counted besides the action (an imported resource may also be updated).
 * - `previous_address` present and different from `address`: a move, counted besides the action.
 * Anything else is refused (PlanSummaryInputError): a summary that silently dropped a kind of change would lie.
 */
"use strict";

class PlanSummaryInputError extends Error {}

const KINDS = ["create", "update", "replace", "destroy", "import", "move"];

/** actions as written (joined with ",") -> the counted kind, or null for a change that counts as nothing. */
const ACTIONS = {
  "no-op": null,
  read: null,
  forget: null,
  create: "create",
  "create,forget": "create",
  update: "update",
  delete: "destroy",
  "delete,create": "replace",
  "create,delete": "replace",
};

/**
 * Counts and notable changes of one plan: { counts: { create, update, replace, destroy, import, move },
 * notable: [{ action: "replace" | "destroy", address, deposed }] }, replacements first, then destructions, each
 * in address order (code-unit order: the same on every machine).
 */
function summarizePlan(plan) {
  if (!plan || typeof plan !== "object" || Array.isArray(plan) || !("format_version" in plan)) {
    throw new PlanSummaryInputError("not a Terraform plan in JSON (expected the output of `terraform show -json <planfile>`)");
  }
  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new PlanSummaryInputError("resource_changes is not a list");
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const notable = [];
  changes.forEach((rc, i) => {
    const where = `resource_changes[${i}]`;
    if (!rc || typeof rc !== "object" || typeof rc.address !== "string" || rc.address === "") {
      throw new PlanSummaryInputError(`${where} has no address`);
    }
    const actions = rc.change?.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
      throw new PlanSummaryInputError(`${where} (${rc.address}) has no change.actions list`);
    }
    const key = actions.join(",");
    if (!(key in ACTIONS)) throw new PlanSummaryInputError(`${where} (${rc.address}) has unknown actions [${actions.join(", ")}]`);
    const kind = ACTIONS[key];
    if (kind) counts[kind] += 1;
    if (rc.change.importing) counts.import += 1;
    if (typeof rc.previous_address === "string" && rc.previous_address !== rc.address) counts.move += 1;
    if (kind === "replace" || kind === "destroy") notable.push({ action: kind, address: rc.address, deposed: rc.deposed ?? null });
  });
  const order = (a, b) =>
    a.action !== b.action ? (a.action === "replace" ? -1 : 1) : compare(a.address, b.address) || compare(a.deposed ?? "", b.deposed ?? "");
  return { counts, notable: notable.sort(order) };
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Markdown code span that survives backticks inside the text. */
function code(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = longest > 0 ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The Markdown lines of one stack: the counts, then one line per replaced or destroyed resource. */
function renderStack(stack, summary) {
  const counts = KINDS.map((k) => `${summary.counts[k]} to ${k}`).join(", ");
  const lines = [`**${code(stack)}**: ${counts}`];
  for (const n of summary.notable) lines.push(`- ${n.action} ${code(n.address)}${n.deposed ? ` (deposed object ${code(String(n.deposed))})` : ""}`);
  return lines;
}

/** The one line that stands in for the plan when it did not run. */
function renderSkipped(reason) {
  const why = String(reason ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (!why) throw new PlanSummaryInputError("--skipped needs a reason");
  return `Terraform plan: skipped — ${why}`;
}

module.exports = { KINDS, PlanSummaryInputError, summarizePlan, renderStack, renderSkipped };
