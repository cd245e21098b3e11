/*
 * Judges a saved Terraform plan, as `terraform show -json <planfile>` prints it: which resources the plan would
 * change, and whether every change is one the caller allows (e.g. a local endpoint's known read-back gaps).
 * `cdktf plan` exits 0 whether or not there are changes, so the drift workflow and the integration tier read
 * the saved plan with this instead. Plan JSON format: https://developer.hashicorp.com/terraform/internals/json-format
 */
"use strict";

/** A change that does nothing: a no-op, or a data source read. Pending imports are changes. */
function isNoOp(change) {
  const actions = change.change?.actions ?? [];
  if (change.change?.importing) return false;
  return actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read");
}

/** How a change reads for a person: create, update, delete, replace, import. */
function actionOf(change) {
  const actions = change.change.actions;
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.length === 1 && actions[0] === "no-op" && change.change.importing) return "import";
  return actions.join("/") + (change.change.importing ? " (import)" : "");
}

/** The top-level attributes a change alters (known before/after differences and values known only after apply). */
function changedAttributes(change) {
  const before = change.change.before ?? {};
  const after = change.change.after ?? {};
  const unknown = change.change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) || unknown[k] === true).sort();
}

/**
 * The resource changes of a plan that are not no-ops, in plan order:
 * { address, type, action, actions, attributes }.
 */
function changesOf(plan) {
  if (!plan || typeof plan !== "object" || !("format_version" in plan)) {
    throw new Error("not a Terraform plan in JSON (expected the output of `terraform show -json <planfile>`)");
  }
  return (plan.resource_changes ?? [])
    .filter((c) => !isNoOp(c))
    .map((c) => ({ address: c.address, type: c.type, action: actionOf(c), actions: c.change.actions, attributes: changedAttributes(c) }));
}

/**
 * Splits a plan's changes into allowed and unexpected ones. `allowed` maps a resource type to the attributes
 * an in-place update may touch and why (e.g. { aws_ecs_service: { attributes: [...], why: "..." } }); any other
 * change (create, delete, replace, import, or an update of another attribute) is unexpected.
 */
function judgePlan(plan, allowed = {}) {
  const changes = changesOf(plan);
  const isAllowed = (c) => {
    const gap = allowed[c.type];
    return Boolean(gap) && c.action === "update" && c.attributes.length > 0 && c.attributes.every((a) => gap.attributes.includes(a));
  };
  return { changes, allowed: changes.filter(isAllowed), unexpected: changes.filter((c) => !isAllowed(c)) };
}

/** One line per change, for logs and job summaries: `update aws_ecs_service.x [desired_count]`. */
function describeChange(c) {
  return `${c.action} ${c.address}${c.attributes.length > 0 && c.action !== "create" && c.action !== "delete" ? ` [${c.attributes.join(", ")}]` : ""}`;
}

module.exports = { changesOf, judgePlan, describeChange };
