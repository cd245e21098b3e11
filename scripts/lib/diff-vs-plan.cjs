/*
 * The pieces of `npm run test:diff-vs-plan` (scripts/diff-vs-plan.cjs) that need no engine: Terraform's verdict per
 * address from a saved plan (`terraform show -json`), the synth diff's verdict for the same pair of stacks, their
 * comparison, and a construct-id rename done on a synthesized stack (the resource key renamed, every reference and
 * depends_on entry following it). Plan JSON format: https://developer.hashicorp.com/terraform/internals/json-format
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { changesOf } = require("./plan-judge.cjs");
const { diffStacks } = require("./synth-diff.cjs");

/**
 * KNOWN_MOTO_READBACK_GAPS as scripts/integration.cjs defines it (one list for both tiers: that file runs its tier
 * when loaded, so the object literal is read from its text).
 */
function motoReadbackGaps(file = path.join(__dirname, "..", "integration.cjs")) {
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf("const KNOWN_MOTO_READBACK_GAPS = ");
  const end = text.indexOf("\n};\n", start);
  if (start < 0 || end < 0) throw new Error(`${file}: no KNOWN_MOTO_READBACK_GAPS object found`);
  return Function(`"use strict"; return (${text.slice(start + "const KNOWN_MOTO_READBACK_GAPS = ".length, end + 2)});`)();
}

/**
 * Terraform's verdict per managed resource: Map address -> { action, previous_address? }, no-ops left out unless
 * moved. An update that touches only a type's known moto read-back gaps is a no-op (the endpoint, not the change).
 */
function terraformVerdicts(plan, gaps = {}) {
  const changed = new Map(changesOf(plan).map((c) => [c.address, c]));
  const out = new Map();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const c = changed.get(rc.address);
    let action = "no-op";
    if (c) {
      action = c.action === "delete/create" || c.action === "create/delete" ? "replace" : c.action;
      const gap = gaps[rc.type];
      if (action === "update" && gap && c.attributes.length > 0 && c.attributes.every((a) => gap.attributes.includes(a))) action = "no-op";
    }
    if (action !== "no-op" || rc.previous_address) out.set(rc.address, rc.previous_address ? { action, previous_address: rc.previous_address } : { action });
  }
  return out;
}

/** The synth diff's verdict for the same pair: Map address -> { action, previous_address? }. */
function diffVerdicts(baseStack, headStack) {
  const report = diffStacks({ stack: baseStack }, { stack: headStack });
  return {
    report,
    verdicts: new Map(
      report.stacks[0].plan.map((p) => [p.address, p.previous_address ? { action: p.action, previous_address: p.previous_address } : { action: p.action }]),
    ),
  };
}

function describeVerdict(v) {
  return v ? `${v.action}${v.previous_address ? ` (moved from ${v.previous_address})` : ""}` : "no-op";
}

/** Every address where the two verdicts differ: [{ address, terraform, diff }] (texts). */
function disagreements(terraform, diff) {
  const out = [];
  for (const address of [...new Set([...terraform.keys(), ...diff.keys()])].sort()) {
    const t = describeVerdict(terraform.get(address));
    const d = describeVerdict(diff.get(address));
    if (t !== d) out.push({ address, terraform: t, diff: d });
  }
  return out;
}

/** Counts of a verdict map in words: "3 replace, 6 update, 1 moved". */
function summary(verdicts) {
  const counts = {};
  for (const v of verdicts.values()) {
    const key = v.previous_address ? (v.action === "no-op" ? "moved" : `moved+${v.action}`) : v.action;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  const order = ["create", "update", "replace", "delete", "moved"];
  return (
    Object.keys(counts)
      .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
      .map((k) => `${counts[k]} ${k}`)
      .join(", ") || "no change"
  );
}

/**
 * A copy of a synthesized stack with the resource `from` (type.name) under the address `to`, as a construct-id
 * change makes it: the key renamed, the construct path's last part with it, and every reference and depends_on
 * entry following. With `moved`, a top-level moved block as cdktf's moveFromId writes it.
 */
function renameResource(stack, from, to, { moved = false } = {}) {
  const [type, name] = from.split(".");
  const [toType, toName] = to.split(".");
  if (type !== toType) throw new Error(`a rename keeps the type: ${from} -> ${to}`);
  const text = JSON.stringify(stack).replace(new RegExp(`(?<![A-Za-z0-9_.-])${type}\\.${name.replace(/[-]/g, "\\-")}(?![A-Za-z0-9_-])`, "g"), to);
  const copy = JSON.parse(text);
  const body = copy.resource?.[type]?.[name];
  if (!body) throw new Error(`no resource ${from} in the stack`);
  delete copy.resource[type][name];
  copy.resource[type][toName] = body;
  const id = toName.replace(/_[0-9A-F]{8}$/, "");
  if (body["//"]?.metadata) body["//"].metadata = { ...body["//"].metadata, path: String(body["//"].metadata.path).replace(/[^/]+$/, id), uniqueId: toName };
  if (moved) copy.moved = [...(copy.moved ?? []), { from, to }];
  return copy;
}

module.exports = { motoReadbackGaps, terraformVerdicts, diffVerdicts, disagreements, describeVerdict, summary, renameResource };
