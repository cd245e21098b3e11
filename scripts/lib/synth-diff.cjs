/*
 * Semantic diff of two cdktf synth outputs (cdktf.out folders), for people reviewing a pull request.
 *
 * Used by `npm run diff -- <base> <head>` (scripts/synth-diff.cjs) and by other tools (require this file).
 * No dependencies: plain Node.
 *
 * ## Interface
 *
 *   diffSynth(baseDir, headDir) -> Report
 *     Reads both folders (loadSynth) and compares them. Throws SynthDiffInputError when a folder is not a
 *     synth output (no manifest.json and no stacks/<name>/cdk.tf.json) or a stack file is not JSON.
 *   diffStacks(baseStacks, headStacks) -> Report
 *     The same on already-parsed stacks: { [stackName]: <cdk.tf.json object> } (for tests and tools).
 *   loadSynth(dir) -> { [stackName]: <cdk.tf.json object> }
 *   renderMarkdown(report, options) -> string (see renderMarkdown below for the options)
 *   hasChanges(report) -> boolean
 *   FLAG_INFO: { [flagId]: { title, why, action } } (the plain-words text behind every flag id)
 *   REPLACEMENT_ATTRIBUTES: the curated list of attributes whose change replaces a resource, per type
 *
 *   Report = {
 *     stacks: [{ stack, status: "added"|"removed"|"changed"|"unchanged", items: Item[] }],   // by stack name
 *     flags:  [{ id, stack, address, message }],  // ordered by FLAG_INFO order, stack, address, message;
 *                                                // address is null for stack-level flags (stack-added/-removed),
 *                                                // the import's target for import-removed/-changed
 *                                                // (message: one line in plain words, values JSON-quoted)
 *   }
 *   Item = {
 *     kind: "resource"|"data"|"import"|"output"|"moved"|"terraform"|"provider"|"variable"|"locals",
 *     address,        // Terraform address: aws_ecs_service.service_E7C408F2, data.aws_vpc.x, output.name,
 *                     // var.name, local.name, provider.aws (provider.aws.<alias> for an alias),
 *                     // terraform.backend / terraform.cloud / terraform.required_providers /
 *                     // terraform.required_version, import.<to address>, moved.<from address>
 *     path,           // construct path from the resource's "//".metadata.path, or null
 *     change: "added"|"removed"|"changed",
 *     attributes: [{ path, before, after }],
 *   }
 *   Items in a stack are sorted by kind (the order above) then address. Unchanged stacks have no items.
 *
 * ## Attribute paths
 *
 *   - Object keys are joined with dots: `runtime_platform.cpu_architecture`. A key holding characters other
 *     than letters, digits and `_-:/@$*` is written in JSON quotes inside brackets: `Condition.StringEquals["kms:ViaService"]`
 *     stays `Condition.StringEquals.kms:ViaService`, but `["token.actions.githubusercontent.com:sub"]` is bracketed.
 *   - A string holding a JSON object or array (container_definitions, policies, buildspec, lifecycle policies,
 *     anything that parses) is decoded and compared field by field; the path continues into it.
 *   - Arrays of {name, value} or {name, valueFrom} pairs (container environment and secrets) are compared as
 *     maps: `container_definitions[slp_saas].environment.WP_HOME`.
 *   - Other arrays of objects with a unique `name` are keyed by it in brackets (`container_definitions[slp_saas]`,
 *     `stage[Source]`), IAM statements by a unique `Sid` (`policy.Statement[EcrLogin]`); otherwise by position
 *     (`ingress[0]`). A bracketed key holding `[`, `]` or quotes is written in JSON quotes.
 *   - Arrays of plain values (IAM actions, subnet lists) are compared whole: one attribute, both arrays.
 *   - `before` is missing when the attribute was added, `after` when it was removed (`"before" in attribute`).
 *     A value added or removed as a whole (a new statement) is one attribute holding the whole (decoded) value.
 *   - Added and removed items list their top-level attributes, JSON strings decoded.
 *   - The resource's "//".metadata (construct path, unique id) is not compared; other "//" entries are
 *     (e.g. `//.checkov_skip.CKV_AWS_136`: an accepted scanner finding).
 *
 * ## Flags
 *
 *   See FLAG_INFO and docs/reviewing-changes.md: stack-added, stack-removed, backend-changed, provider-changed,
 *   adopted-resource-changed, replacement, address-changed, prevent-destroy-removed, import-removed,
 *   import-changed, iam-broadened, ingress-open-to-world, checkov-skip-added.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

class SynthDiffInputError extends Error {}

const KIND_ORDER = ["terraform", "provider", "variable", "locals", "import", "moved", "resource", "data", "output"];

/** Plain-words text for every flag id, in the order flags are listed. */
const FLAG_INFO = {
  "stack-removed": {
    title: "Stack removed",
    why: "A whole stack is gone from the synth output. Its resources are no longer managed by this code; whoever runs `cdktf destroy` (or a Terraform Cloud workspace) for it would delete all of them.",
    action: "Make sure removing the environment is intended, and plan its teardown or state removal deliberately.",
  },
  "stack-added": {
    title: "Stack added",
    why: "A new stack (environment or bootstrap) appears: everything in it will be created on its first deploy.",
    action: "Check the account, region and state backend of the new stack, and that its state bucket exists.",
  },
  "backend-changed": {
    title: "State backend changed",
    why: "Where Terraform keeps this stack's state changed. The next `terraform init` must migrate the state; if it does not, Terraform starts from an empty state and tries to create everything again.",
    action: "Migrate the state on purpose (`terraform init -migrate-state`) before the next apply.",
  },
  "provider-changed": {
    title: "Provider target or version changed",
    why: "The AWS provider's region, allowed accounts, role, endpoints or version changed: every resource of the stack may be read from or written to a different place, or behave differently.",
    action: "Confirm the stack still targets the same account and region, and read the provider changelog for a version change.",
  },
  "adopted-resource-changed": {
    title: "Adopted resource changed",
    why: "This resource was built outside Terraform (in the console) and adopted with an `import` block. A change here changes a live resource that existed before this code; removing it destroys that resource.",
    action: "Read the plan for this address: it must be an in-place update (`~`), never a replacement (`-/+`) or a destroy.",
  },
  replacement: {
    title: "Change that replaces the resource",
    why: "The provider cannot change this attribute in place: Terraform destroys the resource and creates a new one (for a launch template's image, instance type or user data: a new template version, and the instances running the old one are replaced).",
    action: "Check the plan shows the replacement you expect, what depends on the resource, and whether data or downtime is involved.",
  },
  "address-changed": {
    title: "Resource renamed without a moved block",
    why: "The same construct now has a different Terraform address and no `moved` block links them: Terraform destroys the old resource and creates a new one.",
    action: "Add a `moved` block (cdktf `moveTo`/`moveFromId`) or keep the construct id, unless the replacement is intended.",
  },
  "prevent-destroy-removed": {
    title: "Destroy protection removed",
    why: "`lifecycle.prevent_destroy` protected this resource and is now gone (or the resource itself is gone, which removes the protection with it): Terraform may now delete it.",
    action: "Only merge if deleting this resource is intended; otherwise restore the protection.",
  },
  "import-removed": {
    title: "Import block removed",
    why: "An `import` block that adopts an existing resource is gone. After the import has been applied once this is harmless; if it never was, Terraform tries to create a resource that already exists (or loses track of it).",
    action: "Confirm every environment has applied the import (the address is in its state) before removing the block.",
  },
  "import-changed": {
    title: "Import target changed",
    why: "An `import` block now adopts a different existing resource id: the next apply attaches this address to another live resource.",
    action: "Confirm the new id is the resource you mean, in every environment.",
  },
  "iam-broadened": {
    title: "IAM permissions broadened",
    why: "A policy statement grants more than before: new actions, resources, principals or a wildcard (`*`), a condition removed, a new Allow statement, a Deny removed or a managed policy attached.",
    action: "Check each new permission is needed and scoped as narrowly as the API allows (SECURITY.md: least privilege).",
  },
  "ingress-open-to-world": {
    title: "Ingress opened to the internet",
    why: "A security group now accepts traffic from any address (`0.0.0.0/0` or `::/0`).",
    action: "Make sure the port must be public; otherwise restrict the source to a VPC range or a security group.",
  },
  "checkov-skip-added": {
    title: "Security finding accepted",
    why: "A checkov finding is now skipped for this resource (an accepted risk with a reason).",
    action: "Read the reason and agree with it, or fix the finding instead.",
  },
};
const FLAG_ORDER = Object.keys(FLAG_INFO);

/*
 * Attributes whose change replaces the resource, for the resource types this project uses. Source: the
 * provider docs' "Changing this forces a new resource" notes and the resource schemas (ForceNew /
 * RequiresReplace) of hashicorp/terraform-provider-aws, e.g. internal/service/ecs/service.go (cluster, iam_role,
 * launch_type, name, scheduling_strategy, deployment_controller.type: ForceNew) and
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group ("description"
 * maps to GroupDescription, for which there is no Update API). A test fails when the app synthesizes a type
 * missing here (__tests__/tools/synth-diff.test.ts). Paths are attribute paths without list
 * positions; a change at or below one of them matches. An entry's `reason` overrides the generic text.
 */
const INSTANCES = "the instances are replaced (at once when the Auto Scaling group has an instance_refresh; without one, only instances launched later use it)";
const REPLACEMENT_ATTRIBUTES = {
  aws_acm_certificate: ["domain_name", "subject_alternative_names", "key_algorithm", "certificate_authority_arn"],
  aws_acm_certificate_validation: ["certificate_arn", "validation_record_fqdns"],
  aws_autoscaling_group: [
    "name",
    "name_prefix",
    { path: "launch_template.id", reason: "the group switches to another launch template: new instances come from it" },
    { path: "launch_template.name", reason: "the group switches to another launch template: new instances come from it" },
  ],
  aws_autoscaling_policy: ["name", "autoscaling_group_name"],
  aws_cloudwatch_composite_alarm: ["alarm_name"],
  aws_cloudwatch_dashboard: ["dashboard_name"],
  aws_cloudwatch_event_rule: ["name", "name_prefix", "event_bus_name"],
  aws_cloudwatch_event_target: ["rule", "target_id", "event_bus_name"],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  aws_cloudwatch_metric_alarm: ["alarm_name"],
  aws_codebuild_project: ["name"],
  aws_codepipeline: ["name"],
  aws_codestarconnections_connection: ["name", "provider_type", "host_arn"],
  aws_codestarnotifications_notification_rule: ["name", "resource"],
  aws_ecr_lifecycle_policy: ["repository"],
  aws_ecr_repository: ["name", "encryption_configuration"],
  aws_ecs_capacity_provider: ["name", "auto_scaling_group_provider.auto_scaling_group_arn"],
  aws_ecs_cluster: ["name"],
  aws_ecs_cluster_capacity_providers: ["cluster_name"],
  aws_ecs_service: ["name", "cluster", "scheduling_strategy", "launch_type", "iam_role", "deployment_controller"],
  // Every other task definition change registers a new revision, which is how ECS updates a task: normal.
  aws_ecs_task_definition: [
    { path: "family", reason: "a new task definition family starts; the service moves to it and the old family's revisions stay registered" },
  ],
  aws_eip: ["domain", "network_border_group", "public_ipv4_pool"],
  aws_iam_instance_profile: ["name", "name_prefix", "path"],
  aws_iam_openid_connect_provider: ["url"],
  aws_iam_policy: ["name", "name_prefix", "path"],
  aws_iam_role: ["name", "name_prefix", "path"],
  aws_iam_role_policy: ["name", "name_prefix", "role"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_internet_gateway: [], // vpc_id changes by detach and attach, in place
  aws_kms_alias: ["name", "name_prefix"],
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
  aws_launch_template: [
    "name",
    "name_prefix",
    { path: "image_id", reason: `a new template version with another machine image: ${INSTANCES}` },
    { path: "instance_type", reason: `a new template version with another instance type: ${INSTANCES}` },
    { path: "user_data", reason: `a new template version with other start-up commands: ${INSTANCES}` },
  ],
  aws_lb: ["name", "name_prefix", "internal", "load_balancer_type"],
  aws_lb_listener: ["load_balancer_arn"],
  aws_lb_target_group: ["name", "name_prefix", "port", "protocol", "protocol_version", "target_type", "vpc_id"],
  aws_nat_gateway: ["allocation_id", "subnet_id", "connectivity_type", "private_ip"],
  aws_route53_record: ["name", "zone_id"],
  aws_route_table: ["vpc_id"],
  aws_route_table_association: ["subnet_id", "gateway_id"],
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_s3_bucket_lifecycle_configuration: ["bucket", "expected_bucket_owner"],
  aws_s3_bucket_logging: ["bucket", "expected_bucket_owner"],
  aws_s3_bucket_ownership_controls: ["bucket"],
  aws_s3_bucket_policy: ["bucket"],
  aws_s3_bucket_public_access_block: ["bucket"],
  aws_s3_bucket_server_side_encryption_configuration: ["bucket", "expected_bucket_owner"],
  aws_s3_bucket_versioning: ["bucket", "expected_bucket_owner"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_security_group: ["name", "name_prefix", "vpc_id", "description"],
  aws_sns_topic: ["name", "name_prefix", "fifo_topic"],
  aws_sns_topic_policy: ["arn"],
  aws_sqs_queue: ["name", "name_prefix", "fifo_queue"],
  aws_sqs_queue_policy: ["queue_url"],
  aws_sns_topic_subscription: ["topic_arn", "protocol", "endpoint"],
  aws_subnet: ["vpc_id", "cidr_block", "availability_zone", "availability_zone_id"],
  aws_vpc: ["cidr_block", "ipv4_ipam_pool_id"],
  aws_vpc_security_group_egress_rule: ["security_group_id"],
  aws_vpc_security_group_ingress_rule: ["security_group_id"],
  aws_wafv2_web_acl: ["name", "name_prefix", "scope"],
  aws_wafv2_web_acl_association: ["resource_arn", "web_acl_arn"],
};

// ---------------------------------------------------------------------------------------------------------
// Loading

/** Stacks of a synth output folder: { name: parsed cdk.tf.json }. Accepts cdktf.out or cdktf.out/stacks. */
function loadSynth(dir) {
  if (typeof dir !== "string" || dir.length === 0) throw new SynthDiffInputError("a synth output folder is required");
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SynthDiffInputError(`${dir}: not a folder (expected a cdktf.out folder)`);
  const files = {};
  const manifestFile = path.join(dir, "manifest.json");
  if (fs.existsSync(manifestFile)) {
    const manifest = readJson(manifestFile);
    if (!manifest || typeof manifest.stacks !== "object") throw new SynthDiffInputError(`${manifestFile}: no "stacks" in the manifest`);
    for (const [name, stack] of Object.entries(manifest.stacks))
      files[name] = path.join(dir, stack.synthesizedStackPath ?? path.join("stacks", name, "cdk.tf.json"));
  } else {
    const stacksDir = fs.existsSync(path.join(dir, "stacks")) ? path.join(dir, "stacks") : dir;
    for (const name of fs.readdirSync(stacksDir)) {
      const file = path.join(stacksDir, name, "cdk.tf.json");
      if (fs.existsSync(file)) files[name] = file;
    }
    if (Object.keys(files).length === 0) throw new SynthDiffInputError(`${dir}: no manifest.json and no stacks/<name>/cdk.tf.json: not a cdktf synth output`);
  }
  const stacks = {};
  for (const name of Object.keys(files).sort(compare)) {
    if (!fs.existsSync(files[name])) throw new SynthDiffInputError(`${files[name]}: listed in the manifest but missing`);
    stacks[name] = readJson(files[name]);
  }
  return stacks;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new SynthDiffInputError(`${file}: not valid JSON (${error.message})`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generic helpers

/** Code-point order: the same on every machine and locale. */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function equal(a, b) {
  return stableStringify(a) === stableStringify(b);
}

function stableStringify(v) {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort(compare)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

/** The decoded value of a string holding a JSON object or array, else undefined. */
function decodeJsonString(v) {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) return undefined;
  try {
    const parsed = JSON.parse(t);
    return parsed !== null && typeof parsed === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A value with every JSON string inside it decoded (for display of added/removed values). */
function decodeDeep(v) {
  const decoded = decodeJsonString(v);
  if (decoded !== undefined) return decodeDeep(decoded);
  if (Array.isArray(v)) return v.map(decodeDeep);
  if (isObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort(compare)
        .map((k) => [k, decodeDeep(v[k])]),
    );
  return v;
}

const PLAIN_KEY = /^[A-Za-z0-9_\-:/@$*]+$/;

function joinKey(prefix, key) {
  if (PLAIN_KEY.test(key)) return prefix === "" ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function joinBracket(prefix, key) {
  return `${prefix}[${/^[^[\]"]+$/.test(key) ? key : JSON.stringify(key)}]`;
}

// ---------------------------------------------------------------------------------------------------------
// Value diff

/** How an array is compared: "pairs" (name/value map), "name" / "Sid" (keyed), "values" (whole), "index". */
function arrayKeying(arr) {
  if (arr.length === 0) return "empty";
  if (arr.every((e) => !isObject(e) && !Array.isArray(e))) return "values";
  if (!arr.every(isObject)) return "index";
  const unique = (key) => arr.every((e) => typeof e[key] === "string") && new Set(arr.map((e) => e[key])).size === arr.length;
  if (unique("name") && arr.every((e) => Object.keys(e).every((k) => ["name", "value", "valueFrom"].includes(k)) && Object.keys(e).length === 2))
    return "pairs";
  if (unique("name")) return "name";
  // IAM statements: keyed by Sid where present (unique), by position where not.
  const sids = arr.filter((e) => e.Sid !== undefined);
  if (sids.length > 0 && sids.every((e) => typeof e.Sid === "string") && new Set(sids.map((e) => e.Sid)).size === sids.length) return "Sid";
  return "index";
}

function commonKeying(a, b) {
  const ka = arrayKeying(a);
  const kb = arrayKeying(b);
  if (ka === "empty") return kb === "empty" ? "values" : kb;
  if (kb === "empty" || ka === kb) return ka;
  return "index";
}

/** Appends { path, before, after } for every difference between two values. */
function diffValues(before, after, at, out) {
  const db = decodeJsonString(before);
  const da = decodeJsonString(after);
  if (db !== undefined && da !== undefined) return diffValues(db, da, at, out);
  if (equal(before, after)) return out;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compare);
    for (const k of keys) {
      const p = joinKey(at, k);
      if (!(k in after)) out.push({ path: p, before: decodeDeep(before[k]) });
      else if (!(k in before)) out.push({ path: p, after: decodeDeep(after[k]) });
      else diffValues(before[k], after[k], p, out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const keying = commonKeying(before, after);
    if (keying === "values") {
      out.push({ path: at, before: decodeDeep(before), after: decodeDeep(after) });
      return out;
    }
    if (keying === "index") {
      for (let i = 0; i < Math.max(before.length, after.length); i++) {
        const p = `${at}[${i}]`;
        if (i >= after.length) out.push({ path: p, before: decodeDeep(before[i]) });
        else if (i >= before.length) out.push({ path: p, after: decodeDeep(after[i]) });
        else diffValues(before[i], after[i], p, out);
      }
      return out;
    }
    const keyName = keying === "pairs" ? "name" : keying;
    const keyOf = (e, i) => e[keyName] ?? String(i);
    const toMap = (arr) => new Map(arr.map((e, i) => [keyOf(e, i), keying === "pairs" ? ("valueFrom" in e ? { valueFrom: e.valueFrom } : e.value) : e]));
    const mb = toMap(before);
    const ma = toMap(after);
    const keys = [...new Set([...mb.keys(), ...ma.keys()])].sort(compare);
    const found = out.length;
    for (const k of keys) {
      const p = keying === "pairs" ? joinKey(at, k) : joinBracket(at, k);
      if (!ma.has(k)) out.push({ path: p, before: decodeDeep(mb.get(k)) });
      else if (!mb.has(k)) out.push({ path: p, after: decodeDeep(ma.get(k)) });
      else diffValues(mb.get(k), ma.get(k), p, out);
    }
    // Same members in another order: say so (container order, statement order) rather than show nothing.
    if (keys.every((k) => mb.has(k) && ma.has(k)) && !equal([...mb.keys()], [...ma.keys()]) && out.length === found) {
      out.push({ path: `${at} (order)`, before: [...mb.keys()], after: [...ma.keys()] });
    }
    return out;
  }
  out.push({ path: at, before: decodeDeep(before), after: decodeDeep(after) });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Items of a stack

/** Every addressable block of a stack: Map address -> { kind, address, path, body }. */
function stackEntries(stack) {
  const entries = new Map();
  const add = (kind, address, body, constructPath = null) => entries.set(address, { kind, address, path: constructPath, body });
  const metaPath = (body) => (isObject(body) && isObject(body["//"]) && isObject(body["//"].metadata) ? (body["//"].metadata.path ?? null) : null);
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) add("resource", `${type}.${name}`, body, metaPath(body));
  }
  for (const [type, byName] of Object.entries(stack.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) add("data", `data.${type}.${name}`, body, metaPath(body));
  }
  for (const [name, body] of Object.entries(stack.output ?? {})) add("output", `output.${name}`, body);
  for (const [name, body] of Object.entries(stack.variable ?? {})) add("variable", `var.${name}`, body);
  const locals = Array.isArray(stack.locals) ? stack.locals : stack.locals ? [stack.locals] : [];
  for (const block of locals) for (const [name, body] of Object.entries(block)) add("locals", `local.${name}`, body);
  for (const block of asList(stack.import)) add("import", `import.${block.to}`, block);
  for (const block of asList(stack.moved)) add("moved", `moved.${block.from}`, block);
  for (const [name, configs] of Object.entries(stack.provider ?? {})) {
    for (const config of asList(configs)) add("provider", config.alias ? `provider.${name}.${config.alias}` : `provider.${name}`, config);
  }
  for (const [key, body] of Object.entries(stack.terraform ?? {})) add("terraform", `terraform.${key}`, body);
  return entries;
}

function asList(v) {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** The part of a block that is compared: the "//" metadata (construct path, unique id) is left out. */
function comparable(entry) {
  if (entry.kind !== "resource" && entry.kind !== "data") return entry.body;
  const { "//": meta, ...rest } = entry.body;
  const { metadata, ...otherMeta } = isObject(meta) ? meta : {};
  // Always an object, so a first "//" entry (a checkov skip) diffs as `//.checkov_skip.ID`, not as "//".
  return { "//": otherMeta, ...rest };
}

function topLevel(body, side) {
  if (!isObject(body)) return [{ path: "(value)", [side]: decodeDeep(body) }];
  return Object.keys(body)
    .filter((k) => !(k === "//" && isObject(body[k]) && Object.keys(body[k]).length === 0))
    .sort(compare)
    .map((k) => ({ path: k, [side]: decodeDeep(body[k]) }));
}

function diffStackItems(base, head) {
  const b = stackEntries(base ?? {});
  const h = stackEntries(head ?? {});
  const items = [];
  for (const address of new Set([...b.keys(), ...h.keys()])) {
    const before = b.get(address);
    const after = h.get(address);
    if (!after) items.push({ kind: before.kind, address, path: before.path, change: "removed", attributes: topLevel(comparable(before), "before") });
    else if (!before) items.push({ kind: after.kind, address, path: after.path, change: "added", attributes: topLevel(comparable(after), "after") });
    else {
      const attributes = diffValues(comparable(before), comparable(after), "", []).map((a) => (a.path === "" ? { ...a, path: "(value)" } : a));
      if (attributes.length > 0) items.push({ kind: after.kind, address, path: after.path ?? before.path, change: "changed", attributes });
    }
  }
  return items.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || compare(x.address, y.address));
}

// ---------------------------------------------------------------------------------------------------------
// Flags

function resourceBody(stack, address) {
  const dot = address.indexOf(".");
  return stack?.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}

function importTargets(stack) {
  return new Map(asList(stack?.import).map((block) => [block.to, block.id]));
}

function normalizedPath(p) {
  return p.replace(/\[\d+\]/g, "");
}

function replacementRule(type, attributePath) {
  const rules = REPLACEMENT_ATTRIBUTES[type] ?? [];
  const p = normalizedPath(attributePath);
  for (const rule of rules) {
    const r = typeof rule === "string" ? { path: rule } : rule;
    if (p === r.path || p.startsWith(`${r.path}.`) || p.startsWith(`${r.path}[`)) return r;
  }
  return undefined;
}

/** Policy documents anywhere in a value: Map path -> document (an object with a Statement). */
function policyDocuments(value, at = "", out = new Map()) {
  const decoded = decodeJsonString(value);
  if (decoded !== undefined) return policyDocuments(decoded, at, out);
  if (isObject(value)) {
    if ("Statement" in value) out.set(at, value);
    else for (const k of Object.keys(value)) if (k !== "//") policyDocuments(value[k], joinKey(at, k), out);
  } else if (Array.isArray(value)) value.forEach((v, i) => policyDocuments(v, `${at}[${i}]`, out));
  return out;
}

function statements(doc) {
  return asList(doc?.Statement).filter(isObject);
}

function principals(p) {
  if (p === undefined) return [];
  if (typeof p === "string") return [p];
  if (isObject(p)) return Object.keys(p).flatMap((k) => asList(p[k]).map((v) => `${k}:${v}`));
  return asList(p).map(String);
}

/** What a statement grants, as sets of strings. */
function grants(s) {
  return {
    actions: asList(s.Action).map(String),
    notActions: asList(s.NotAction).map(String),
    resources: asList(s.Resource).map(String),
    notResources: asList(s.NotResource).map(String),
    principals: principals(s.Principal),
    notPrincipals: principals(s.NotPrincipal),
    condition: s.Condition,
  };
}

/** Actions: any `*` (`*`, `s3:*`, `s3:Get*`); resources and principals: everything (`*`, `AWS:*`). */
function isWildcard(v, kind) {
  return kind === "actions" ? v.includes("*") : v === "*" || v === "AWS:*";
}

/** Human sentences for what head statement `s` grants beyond base statement `old` (undefined: a new statement). */
function statementGains(s, old) {
  const g = grants(s);
  const label = s.Sid ? `statement ${s.Sid}` : "a statement";
  if (!old) {
    const wild = [
      ...g.actions.filter((v) => isWildcard(v, "actions")),
      ...g.resources.filter((v) => isWildcard(v)),
      ...g.principals.filter((v) => isWildcard(v)),
    ];
    return [
      `new Allow statement${s.Sid ? ` ${s.Sid}` : " (no Sid)"}: ${g.actions.join(", ") || `NotAction ${g.notActions.join(", ")}`} on ${g.resources.join(", ") || g.notResources.join(", ") || "(no resource)"}${g.principals.length ? ` for ${g.principals.join(", ")}` : ""}${wild.length ? ` (wildcard: ${wild.join(", ")})` : ""}`,
    ];
  }
  const o = grants(old);
  const gained = (k) => g[k].filter((v) => !o[k].includes(v));
  const lost = (k) => o[k].filter((v) => !g[k].includes(v));
  const out = [];
  const fmt = (what) => `${label} gains ${what} ${gained(what).join(", ")}${gained(what).some((v) => isWildcard(v, what)) ? " (wildcard)" : ""}`;
  for (const what of ["actions", "resources", "principals"]) if (gained(what).length) out.push(fmt(what));
  // NotAction / NotResource / NotPrincipal grant everything except what they list: fewer entries is more.
  if (lost("notActions").length) out.push(`${label} excludes fewer actions (NotAction lost ${lost("notActions").join(", ")})`);
  if (lost("notResources").length) out.push(`${label} excludes fewer resources (NotResource lost ${lost("notResources").join(", ")})`);
  if (g.notActions.length && !o.notActions.length) out.push(`${label} now uses NotAction (everything except ${g.notActions.join(", ")})`);
  if (g.notResources.length && !o.notResources.length) out.push(`${label} now uses NotResource (everything except ${g.notResources.join(", ")})`);
  if (o.condition !== undefined && !equal(o.condition, g.condition))
    out.push(`${label} has its condition ${g.condition === undefined ? "removed" : "changed"}`);
  return out;
}

/** Broadening between two policy documents (base may be undefined: a new document). */
function policyGains(baseDoc, headDoc) {
  const bs = statements(baseDoc);
  const hs = statements(headDoc);
  // Statements with a Sid match by Sid; those without by position.
  const match = (s, i) => (s.Sid !== undefined ? bs.find((o) => o.Sid === s.Sid) : bs[i] && bs[i].Sid === undefined ? bs[i] : undefined);
  const out = [];
  hs.forEach((s, i) => {
    if (s.Effect === "Deny") return;
    const old = match(s, i);
    out.push(...statementGains(s, old && old.Effect !== "Deny" ? old : undefined));
  });
  bs.forEach((old, i) => {
    if (old.Effect !== "Deny") return;
    const now = old.Sid !== undefined ? hs.find((s) => s.Sid === old.Sid) : hs[i] && hs[i].Sid === undefined ? hs[i] : undefined;
    if (!now || now.Effect !== "Deny") out.push(`Deny ${old.Sid ? `statement ${old.Sid}` : "statement"} removed`);
    else {
      const o = grants(old);
      const g = grants(now);
      const lostActions = o.actions.filter((a) => !g.actions.includes(a));
      const lostResources = o.resources.filter((a) => !g.resources.includes(a));
      if (lostActions.length || lostResources.length)
        out.push(`Deny ${old.Sid ? `statement ${old.Sid}` : "statement"} narrowed (no longer denies ${[...lostActions, ...lostResources].join(", ")})`);
    }
  });
  return out;
}

const POLICY_ATTACHMENTS = new Set([
  "aws_iam_role_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
  "aws_iam_policy_attachment",
]);

/** Open-to-world ingress of a resource: a set of readable rule descriptions. */
function openIngress(type, body) {
  const out = new Set();
  if (!isObject(body)) return out;
  const world = (cidrs4, cidrs6) => [...asList(cidrs4).filter((c) => c === "0.0.0.0/0"), ...asList(cidrs6).filter((c) => c === "::/0")];
  const ports = (r) => (r.from_port === undefined ? "all ports" : r.from_port === r.to_port ? `port ${r.from_port}` : `ports ${r.from_port}-${r.to_port}`);
  const proto = (p) => (p === undefined || p === "-1" || p === -1 ? "all protocols" : String(p));
  if (type === "aws_vpc_security_group_ingress_rule") {
    for (const c of world(body.cidr_ipv4, body.cidr_ipv6)) out.add(`${proto(body.ip_protocol)} ${ports(body)} from ${c}`);
  } else if (type === "aws_security_group_rule" && body.type === "ingress") {
    for (const c of world(body.cidr_blocks, body.ipv6_cidr_blocks)) out.add(`${proto(body.protocol)} ${ports(body)} from ${c}`);
  } else if (type === "aws_security_group") {
    for (const r of asList(body.ingress).filter(isObject))
      for (const c of world(r.cidr_blocks, r.ipv6_cidr_blocks)) out.add(`${proto(r.protocol)} ${ports(r)} from ${c}`);
  }
  return out;
}

function flagsForStack(name, base, head, items) {
  const flags = [];
  const flag = (id, address, message) => flags.push({ id, stack: name, address, message });
  const adopted = new Map([...importTargets(base), ...importTargets(head)]);

  const newStack = base === undefined;
  for (const item of items) {
    if (!newStack && item.kind === "terraform" && (item.address === "terraform.backend" || item.address === "terraform.cloud")) {
      flag("backend-changed", item.address, `${item.address} ${item.change}: ${describeAttributes(item)}`);
    }
    if (item.kind === "terraform" && item.address === "terraform.required_providers" && item.change === "changed") {
      flag("provider-changed", item.address, `provider requirements changed: ${describeAttributes(item)}`);
    }
    if (item.kind === "provider" && item.change !== "added") {
      const watched = item.attributes.filter(
        (a) => /^(region|allowed_account_ids|forbidden_account_ids|assume_role|endpoints|profile|alias)/.test(a.path) || item.change === "removed",
      );
      if (watched.length) flag("provider-changed", item.address, `${item.address} ${item.change}: ${watched.map(describeAttribute).join("; ")}`);
    }
    if (item.kind === "import") {
      if (item.change === "removed")
        flag(
          "import-removed",
          item.address.slice("import.".length),
          `the import block for ${item.address.slice("import.".length)} (id ${JSON.stringify(resourceIdOf(item, "before"))}) was removed`,
        );
      if (item.change === "changed" && item.attributes.some((a) => a.path === "id")) {
        const a = item.attributes.find((x) => x.path === "id");
        flag("import-changed", item.address.slice("import.".length), `import id ${JSON.stringify(a.before)} -> ${JSON.stringify(a.after)}`);
      }
    }
    if (item.kind !== "resource") continue;
    const type = item.address.slice(0, item.address.indexOf("."));
    const before = resourceBody(base, item.address);
    const after = resourceBody(head, item.address);

    if (adopted.has(item.address) && item.change !== "added") {
      flag(
        "adopted-resource-changed",
        item.address,
        item.change === "removed"
          ? `adopted resource (import id ${JSON.stringify(adopted.get(item.address))}) removed from the code: Terraform would destroy it`
          : `adopted resource (import id ${JSON.stringify(adopted.get(item.address))}) changed: ${item.attributes.map((a) => a.path).join(", ")}`,
      );
    }
    if (item.change === "changed") {
      const hits = [];
      for (const a of item.attributes) {
        const rule = replacementRule(type, a.path);
        if (rule) hits.push(`${a.path}: ${rule.reason ?? `cannot change in place, the ${type} is destroyed and created again`}`);
      }
      if (hits.length) flag("replacement", item.address, hits.join("; "));
    }
    if (before?.lifecycle?.prevent_destroy === true && (after === undefined || after?.lifecycle?.prevent_destroy !== true)) {
      flag(
        "prevent-destroy-removed",
        item.address,
        after === undefined ? "a resource with prevent_destroy was removed: the protection goes with it" : "lifecycle.prevent_destroy is no longer set",
      );
    }
    if (after !== undefined) {
      const baseDocs = policyDocuments(before === undefined ? {} : withoutMeta(before));
      for (const [at, doc] of policyDocuments(withoutMeta(after))) {
        const gains = policyGains(baseDocs.get(at), doc);
        // A new resource's policy is listed in full below; flag it only where it holds a wildcard.
        const shown = before === undefined ? gains.filter((g) => g.includes("wildcard")) : gains;
        if (shown.length) flag("iam-broadened", item.address, `${at}: ${shown.join("; ")}`);
      }
      if (POLICY_ATTACHMENTS.has(type) && (before === undefined || before.policy_arn !== after.policy_arn)) {
        flag("iam-broadened", item.address, `managed policy ${after.policy_arn} attached${after.role ? ` to ${after.role}` : ""}`);
      }
      if (type === "aws_iam_role" && after.managed_policy_arns !== undefined) {
        const gained = asList(after.managed_policy_arns).filter((p) => !asList(before?.managed_policy_arns).includes(p));
        if (gained.length) flag("iam-broadened", item.address, `managed policies attached: ${gained.join(", ")}`);
      }
      const was = openIngress(type, before);
      const open = [...openIngress(type, after)].filter((r) => !was.has(r));
      if (open.length) flag("ingress-open-to-world", item.address, `ingress open to the internet: ${open.join("; ")}`);
      const skipsBefore = isObject(before?.["//"]?.checkov_skip) ? before["//"].checkov_skip : {};
      const skipsAfter = isObject(after["//"]?.checkov_skip) ? after["//"].checkov_skip : {};
      for (const id of Object.keys(skipsAfter).sort(compare)) {
        if (!(id in skipsBefore)) flag("checkov-skip-added", item.address, `${id} skipped: ${skipsAfter[id]}`);
      }
    }
  }

  // The same construct under a new address, with no moved block from the old one: destroy and create.
  const moves = new Set(items.filter((i) => i.kind === "moved" && i.change !== "removed").map((i) => i.address.slice("moved.".length)));
  const removedByPath = new Map(items.filter((i) => i.kind === "resource" && i.change === "removed" && i.path).map((i) => [i.path, i.address]));
  for (const item of items) {
    if (item.kind !== "resource" || item.change !== "added" || !item.path || !removedByPath.has(item.path)) continue;
    const old = removedByPath.get(item.path);
    if (!moves.has(old))
      flag("address-changed", item.address, `construct ${item.path} moved from ${old} to ${item.address} without a moved block: destroy and create`);
  }
  return flags;
}

function resourceIdOf(item, side) {
  return item.attributes.find((a) => a.path === "id")?.[side];
}

function withoutMeta(body) {
  if (!isObject(body)) return body;
  const { "//": _meta, ...rest } = body;
  return rest;
}

function describeAttribute(a) {
  if (!("before" in a)) return `${a.path} added (${short(a.after)})`;
  if (!("after" in a)) return `${a.path} removed (was ${short(a.before)})`;
  return `${a.path}: ${short(a.before)} -> ${short(a.after)}`;
}

function describeAttributes(item) {
  return item.attributes.map(describeAttribute).join("; ");
}

function short(v, max = 120) {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

// ---------------------------------------------------------------------------------------------------------
// Report

function diffStacks(baseStacks, headStacks) {
  const names = [...new Set([...Object.keys(baseStacks), ...Object.keys(headStacks)])].sort(compare);
  const stacks = [];
  let flags = [];
  for (const name of names) {
    const base = baseStacks[name];
    const head = headStacks[name];
    const status = base === undefined ? "added" : head === undefined ? "removed" : null;
    const items = diffStackItems(base, head);
    stacks.push({ stack: name, status: status ?? (items.length ? "changed" : "unchanged"), items });
    if (status === "added")
      flags.push({
        id: "stack-added",
        stack: name,
        address: null,
        message: `new stack ${name} with ${items.filter((i) => i.kind === "resource").length} resources`,
      });
    if (status === "removed")
      flags.push({
        id: "stack-removed",
        stack: name,
        address: null,
        message: `stack ${name} with ${items.filter((i) => i.kind === "resource").length} resources is gone`,
      });
    // Everything in a removed stack goes together; one flag says it (per-resource flags would only repeat it).
    if (status !== "removed") flags.push(...flagsForStack(name, base, head, items));
  }
  flags = flags.sort(
    (a, b) =>
      FLAG_ORDER.indexOf(a.id) - FLAG_ORDER.indexOf(b.id) ||
      compare(a.stack, b.stack) ||
      compare(a.address ?? "", b.address ?? "") ||
      compare(a.message, b.message),
  );
  return { stacks, flags };
}

function diffSynth(baseDir, headDir) {
  return diffStacks(loadSynth(baseDir), loadSynth(headDir));
}

function hasChanges(report) {
  return report.stacks.some((s) => s.status !== "unchanged");
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

const SIGN = { added: "+", removed: "-", changed: "~" };

function code(text) {
  const s = String(text).replace(/\n/g, "\\n");
  const ticks = s.includes("`") ? "``" : "`";
  return `${ticks}${ticks === "``" ? " " : ""}${s}${ticks === "``" ? " " : ""}${ticks}`;
}

function fence(text) {
  const ticks = text.includes("```") ? "````" : "```";
  return `${ticks}\n${text}\n${ticks}`;
}

function isPlainList(v) {
  return Array.isArray(v) && v.every((e) => e === null || typeof e !== "object");
}

function blockText(v) {
  return typeof v === "string" ? v : JSON.stringify(v, null, 2);
}

function renderAttribute(a, inlineMax) {
  const hasBefore = "before" in a;
  const hasAfter = "after" in a;
  const inline = (v) => JSON.stringify(v);
  if (hasBefore && hasAfter && isPlainList(a.before) && isPlainList(a.after)) {
    const added = a.after.filter((v) => !a.before.includes(v));
    const removed = a.before.filter((v) => !a.after.includes(v));
    const parts = [];
    if (added.length) parts.push(`added ${added.map((v) => code(JSON.stringify(v))).join(", ")}`);
    if (removed.length) parts.push(`removed ${removed.map((v) => code(JSON.stringify(v))).join(", ")}`);
    if (!parts.length) parts.push(`same values, new order ${code(JSON.stringify(a.after))}`);
    return [`  - ${code(a.path)}: ${parts.join("; ")}`];
  }
  const fits = (!hasBefore || inline(a.before).length <= inlineMax) && (!hasAfter || inline(a.after).length <= inlineMax);
  if (fits) {
    if (hasBefore && hasAfter) return [`  - ${code(a.path)}: ${code(inline(a.before))} → ${code(inline(a.after))}`];
    if (hasAfter) return [`  - ${code(a.path)}: added ${code(inline(a.after))}`];
    return [`  - ${code(a.path)}: removed (was ${code(inline(a.before))})`];
  }
  const lines = [`  - ${code(a.path)}:${hasBefore && hasAfter ? "" : hasAfter ? " added" : " removed"}`];
  if (hasBefore) lines.push(...(hasAfter ? ["    before:"] : []), ...indent(fence(blockText(a.before)), "    "));
  if (hasAfter) lines.push(...(hasBefore ? ["    after:"] : []), ...indent(fence(blockText(a.after)), "    "));
  return lines;
}

/** Flag messages quote config values outside code spans: keep them from being read as HTML. */
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function indent(text, prefix) {
  return text.split("\n").map((l) => prefix + l);
}

function renderItem(item, options) {
  const where = item.path ? ` (${code(item.path)})` : "";
  const head = `- **${SIGN[item.change]}** ${code(item.address)}${where}`;
  const body = item.attributes.flatMap((a) => renderAttribute(a, options.inlineMax));
  if (item.change !== "changed") {
    // Added/removed items: the full configuration, folded away.
    return [
      head,
      "",
      "  <details><summary>" +
        (item.change === "added" ? "configuration" : "configuration before") +
        ` (${plural(item.attributes.length, "attribute")})</summary>`,
      "",
      ...body,
      "",
      "  </details>",
      "",
    ];
  }
  return [head, ...body];
}

/**
 * Markdown for people. options:
 *   title          heading (default "Synthesized Terraform changes")
 *   maxChars       cut the text to at most this many characters, ending with `truncatedNote` (default none)
 *   truncatedNote  text after a cut (default: "Output truncated: the full diff is in the workflow artifact.")
 *   collapseAfter  a stack section with more lines than this is folded in <details> (default 40)
 *   inlineMax      values longer than this are shown as code blocks (default 100)
 */
function renderMarkdown(report, options = {}) {
  const o = {
    title: "Synthesized Terraform changes",
    collapseAfter: 40,
    inlineMax: 100,
    truncatedNote: "Output truncated: the full diff is in the workflow artifact.",
    ...definedOnly(options),
  };
  const lines = [`## ${o.title}`, ""];
  const changed = report.stacks.filter((s) => s.status !== "unchanged");
  if (changed.length === 0) {
    lines.push(`No change in ${report.stacks.length} stacks (${report.stacks.map((s) => code(s.stack)).join(", ")}).`);
    return finish(lines, o);
  }
  const count = (s, c) => s.items.filter((i) => i.change === c).length;
  lines.push("| Stack | Status | Added | Removed | Changed |", "|---|---|---|---|---|");
  for (const s of report.stacks) lines.push(`| ${code(s.stack)} | ${s.status} | ${count(s, "added")} | ${count(s, "removed")} | ${count(s, "changed")} |`);
  lines.push("");
  if (report.flags.length) {
    lines.push(`### ⚠️ ${report.flags.length} flag${report.flags.length === 1 ? "" : "s"} to review`, "");
    let last = null;
    for (const f of report.flags) {
      if (f.id !== last) {
        const info = FLAG_INFO[f.id];
        lines.push(`**${info.title}** (${code(f.id)}): ${info.why} *What to do:* ${info.action}`, "");
        last = f.id;
      }
      lines.push(`- ${code(f.stack)}${f.address ? ` ${code(f.address)}` : ""}: ${escapeHtml(f.message.replace(/\n/g, " "))}`);
      const next = report.flags[report.flags.indexOf(f) + 1];
      if (!next || next.id !== f.id) lines.push("");
    }
  } else {
    lines.push("No flags: nothing adopted, replaced, broadened, opened or unprotected.", "");
  }
  lines.push("### Changes by stack", "");
  for (const s of changed) {
    const section = [];
    if (s.status === "added" || s.status === "removed") {
      // A whole stack: its addresses are enough here; every attribute is in the JSON report (--json).
      for (const kind of KIND_ORDER) {
        const items = s.items.filter((i) => i.kind === kind);
        if (items.length) section.push(`**${kind === "data" ? "data sources" : kind}**: ${items.map((i) => code(i.address)).join(", ")}`, "");
      }
      lines.push(
        "<details>",
        `<summary>${code(s.stack)}: stack ${s.status} (${plural(s.items.filter((i) => i.kind === "resource").length, "resource")})</summary>`,
        "",
        ...section,
        "</details>",
        "",
      );
      continue;
    }
    for (const kind of KIND_ORDER) {
      const items = s.items.filter((i) => i.kind === kind);
      if (!items.length) continue;
      section.push(`**${kind === "data" ? "data sources" : kind}**`, "");
      for (const item of items) section.push(...renderItem(item, o));
      section.push("");
    }
    const summary = `${code(s.stack)}: ${s.status} (${count(s, "added")} added, ${count(s, "removed")} removed, ${count(s, "changed")} changed)`;
    if (section.length > o.collapseAfter) lines.push("<details>", `<summary>${summary}</summary>`, "", ...section, "</details>", "");
    else lines.push(`#### ${summary}`, "", ...section);
  }
  const unchanged = report.stacks.filter((s) => s.status === "unchanged");
  if (unchanged.length) lines.push(`Unchanged: ${unchanged.map((s) => code(s.stack)).join(", ")}.`, "");
  return finish(lines, o);
}

function definedOnly(options) {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function finish(lines, o) {
  const text =
    lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n";
  if (!o.maxChars || text.length <= o.maxChars) return text;
  const note = `\n\n> ${o.truncatedNote}\n`;
  // Shrink until the cut text, what closes it and the note fit.
  for (let budget = o.maxChars - note.length; budget > 0; budget -= 50) {
    let cut = text.slice(0, budget);
    const lastBreak = cut.lastIndexOf("\n");
    if (lastBreak > 0) cut = cut.slice(0, lastBreak);
    // Close what the cut left open, so the rest of the page still renders.
    const fences = cut.match(/^[ \t]*```/gm) ?? [];
    // An open code block closes at its own indentation (inside a list item an unindented fence would open a new one).
    if (fences.length % 2 === 1) cut += `\n${fences[fences.length - 1]}`;
    const opens = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
    for (let i = 0; i < opens; i++) cut += "\n</details>";
    if (cut.length + note.length <= o.maxChars) return cut + note;
  }
  return note.trimStart();
}

module.exports = { diffSynth, diffStacks, loadSynth, renderMarkdown, hasChanges, FLAG_INFO, REPLACEMENT_ATTRIBUTES, SynthDiffInputError };
