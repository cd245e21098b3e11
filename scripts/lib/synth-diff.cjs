/*
 * Semantic diff of two cdktf synth outputs (cdktf.out folders), for people reviewing a pull request, with what
 * Terraform will plan for it: replacements cascade through references, renames and `moved` blocks are recognised,
 * `lifecycle.ignore_changes` is honoured, and destroys that fail or lose data are flagged first.
 *
 * Used by `npm run diff -- <base> <head>` (scripts/synth-diff.cjs), by `npm run test:diff-vs-plan`
 * (scripts/diff-vs-plan.cjs: the verdict checked against a real `terraform plan`) and by other tools (require
 * this file). No dependencies: plain Node.
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
 *     stacks: [{ stack, status: "added"|"removed"|"changed"|"unchanged", items: Item[], plan: Plan[] }],
 *     flags:  [{ id, stack, address, message }],  // ordered by FLAG_INFO order, stack, address, message;
 *                                                // address is null for stack-level flags (stack-added/-removed),
 *                                                // the import's target for import-removed/-changed
 *                                                // (message: one line in plain words, values JSON-quoted)
 *   }
 *   Plan = { address, action: "create"|"update"|"replace"|"delete"|"no-op", previous_address? }
 *     // what Terraform will do to each resource, as `terraform show -json` lists it in resource_changes
 *     // (previous_address: moved there by a `moved` block); no-ops are left out unless moved
 *   Item = {
 *     kind: "resource"|"data"|"import"|"output"|"moved"|"terraform"|"provider"|"variable"|"locals",
 *     address,        // Terraform address: aws_ecs_service.service_E7C408F2, data.aws_vpc.x, output.name,
 *                     // var.name, local.name, provider.aws (provider.aws.<alias> for an alias),
 *                     // terraform.backend / terraform.cloud / terraform.required_providers /
 *                     // terraform.required_version, import.<to address>, moved.<from address>
 *     path,           // construct path from the resource's "//".metadata.path, or null
 *     change: "added"|"removed"|"changed"|"moved"|"renamed",
 *                     // moved: a `moved` block brings the resource from `from`; renamed: the same resource
 *                     // (same type and identity) under a new address without one (Terraform destroys `from`)
 *     attributes: [{ path, before, after, via?, ignored? }],
 *                     // via: the references through which Terraform sees the change (the text is the same);
 *                     // after is "(known after apply)" when a reference is unknown until apply;
 *                     // ignored: lifecycle.ignore_changes covers it, Terraform does nothing about it
 *     // resources only:
 *     action,         // Terraform's action for `address` (see Plan); "create" for a renamed resource
 *     from?,          // the old address (moved, renamed)
 *     reasons: [{ kind: "replace"|"instances"|"quiet"|"update"|"scope", text }],
 *                     // why it is replaced or updated (a cascade names the reference), IAM scope changes
 *   }
 *   Items in a stack are sorted by kind (the order above) then address. Unchanged stacks have no items.
 *
 * ## How the plan is predicted
 *
 *   - A resource is replaced when a changed attribute is in REPLACEMENT_ATTRIBUTES, updated when another one
 *     changes, untouched when only `lifecycle.ignore_changes` attributes (or "all") change.
 *   - References are evaluated like Terraform: `${aws_x.y.attr}` where aws_x.y sets attr in its configuration is
 *     that value (a change only when the value changes); a computed attribute (id, arn, a name the provider
 *     picks) is unknown when aws_x.y is created or replaced (COMPUTED_ON_UPDATE: also when it is updated), and
 *     an unknown value is a change. So replacements cascade through attributes that force replacement.
 *     References inside JSON strings (policies, container definitions) count. A data source whose arguments are
 *     unknown, or whose depends_on changes, is read at apply: its attributes are unknown.
 *   - `moved` blocks (top-level "moved": [{ from, to }], as cdktf's moveTo / moveFromId write them) move the
 *     old state: the resource and every reference to it compare under the new address.
 *   - A removed and an added resource of the same type with the same construct path, the same configuration or
 *     the same name-like identity is one resource renamed: destroy and create for Terraform, one item here with
 *     the moved block that would make it a no-op.
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
 *   See FLAG_INFO and docs/reviewing-changes.md: destroy-refused, data-loss, stack-removed, stack-added,
 *   backend-changed, provider-changed, adopted-resource-changed, replacement, address-changed,
 *   prevent-destroy-removed, import-removed, import-changed, iam-broadened, ingress-open-to-world,
 *   checkov-skip-added.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

class SynthDiffInputError extends Error {}

const KIND_ORDER = ["terraform", "provider", "variable", "locals", "import", "moved", "resource", "data", "output"];

/** Plain-words text for every flag id, in the order flags are listed. */

/** Plain-words text for every flag id, in the order flags are listed (what can break production first). */
const FLAG_INFO = {
  "destroy-refused": {
    title: "Destroy that will be refused",
    why: "This change destroys (or replaces, which destroys first) a resource that is protected: AWS refuses to delete it while its deletion protection is on, or Terraform refuses to plan it (`lifecycle.prevent_destroy`). The apply stops half-way, after the resources that go before it are already gone.",
    action:
      "Turn the protection off in a separate, reviewed change first if the destroy is really intended; otherwise change the code so the resource is kept (a `moved` block, or keep the setting that forces the replacement).",
  },
  "data-loss": {
    title: "Stateful or protected resource destroyed",
    why: "A resource that holds data or serves traffic (load balancer, image repository, log group, bucket, secret, KMS key, the security group the database admits), or one marked `prevent_destroy` that the change removes, is destroyed or replaced: what it holds is lost, or what depends on it breaks until the new one exists.",
    action:
      "Make sure losing it is intended (back up what it holds) or keep it: a `moved` block for a rename, or leave the setting that forces the replacement.",
  },
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
    why: "The provider cannot change this attribute in place: Terraform destroys the resource and creates a new one, and every resource whose replacing attribute references it is replaced too (for a launch template's image, instance type or user data: a new template version, and the instances running the old one are replaced).",
    action: "Check the plan shows the replacement you expect, what depends on the resource, and whether data or downtime is involved.",
  },
  "address-changed": {
    title: "Resource renamed without a moved block",
    why: "The same resource (same type and identity) now has a different Terraform address and no `moved` block links them: Terraform destroys the old one and creates a new one.",
    action: "Add the `moved` block shown (cdktf `moveFromId` on the new resource, or `moveTo`), or keep the construct id, unless the replacement is intended.",
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
    why: "A policy allows more than before: an (action, resource, condition) it did not allow (a new action, resource or principal not covered by an existing one, a wildcard `*`), a condition removed, a new Allow statement, a Deny removed or narrowed, or a managed policy attached. An ARN replaced one-for-one in the same statement is a changed scope, listed with the resource, not a broadening.",
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
 * Attributes whose change replaces the resource, for every resource type this project synthesizes (a test fails
 * when the app synthesizes a type missing here: __tests__/tools/synth-diff.test.ts). Source: the resource schemas
 * of hashicorp/terraform-provider-aws (ForceNew / RequiresReplace; a resource without an Update function has every
 * argument ForceNew) and the registry docs' "Changing this forces a new resource" notes, e.g.
 * internal/service/ecs/service.go (cluster, iam_role, launch_type, name, scheduling_strategy, deployment_controller),
 * internal/service/ecs/cluster_capacity_providers.go (cluster_name), internal/service/ecs/capacity_provider.go
 * (auto_scaling_group_provider.auto_scaling_group_arn, cluster, managed_instances_provider),
 * internal/service/ecr/lifecycle_policy.go (policy and repository: no Update, both ForceNew),
 * internal/service/ecs/task_definition.go (every argument but tags, skip_destroy and track_latest: a new revision)
 * and https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group ("description"
 * maps to GroupDescription, for which there is no Update API).
 *
 * Entries are attribute paths without list positions; a change at or below one matches. An object entry may say:
 *   reason   the text shown instead of the generic "cannot change in place";
 *   inPlace  Terraform updates the resource in place, but the change replaces something else (a launch
 *            template's new version replaces the instances): flagged, planned as an update;
 *   quiet    a replacement that is the normal way to change it (a task definition's new revision): planned as a
 *            replacement, not flagged;
 *   path "*" with `except`: every attribute but those.
 */
const INSTANCES = "the instances are replaced (at once when the Auto Scaling group has an instance_refresh; without one, only instances launched later use it)";
const NEW_TEMPLATE = "the group switches to another launch template: new instances come from it";
const REPLACEMENT_ATTRIBUTES = {
  aws_acm_certificate: ["domain_name", "subject_alternative_names", "key_algorithm", "certificate_authority_arn"],
  aws_acm_certificate_validation: ["certificate_arn", "validation_record_fqdns"],
  aws_autoscaling_group: [
    "name",
    "name_prefix",
    // UpdateAutoScalingGroup takes a new launch template: an update, after which new instances come from it.
    { path: "launch_template.id", inPlace: true, reason: NEW_TEMPLATE },
    { path: "launch_template.name", inPlace: true, reason: NEW_TEMPLATE },
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
  // No Update function: a new policy text is a new resource (DeleteLifecyclePolicy, then PutLifecyclePolicy).
  aws_ecr_lifecycle_policy: ["repository", "policy"],
  aws_ecr_repository: ["name", "encryption_configuration"],
  aws_ecs_capacity_provider: ["name", "auto_scaling_group_provider.auto_scaling_group_arn", "cluster", "managed_instances_provider"],
  aws_ecs_cluster: ["name"],
  aws_ecs_cluster_capacity_providers: ["cluster_name"],
  aws_ecs_service: ["name", "cluster", "scheduling_strategy", "launch_type", "iam_role", "deployment_controller"],
  aws_ecs_task_definition: [
    { path: "family", reason: "a new task definition family starts; the service moves to it and the old family's revisions stay registered" },
    // Every other change registers a new revision (Terraform plans a replacement), which is how ECS updates a task.
    { path: "*", except: ["tags", "tags_all", "skip_destroy", "track_latest"], quiet: true, reason: "a new task definition revision" },
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
    // UpdateLaunchTemplate writes a new version (an in-place update); the instances follow it.
    { path: "image_id", inPlace: true, reason: `a new template version with another machine image: ${INSTANCES}` },
    { path: "instance_type", inPlace: true, reason: `a new template version with another instance type: ${INSTANCES}` },
    { path: "user_data", inPlace: true, reason: `a new template version with other start-up commands: ${INSTANCES}` },
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

/**
 * Computed attributes the provider marks unknown on an in-place update (CustomizeDiff), so a reference to them
 * changes too: a launch template's new version (internal/service/ec2/ec2_launch_template.go). Every other computed
 * attribute keeps its value through an update and becomes unknown only when the resource is created or replaced.
 */
const COMPUTED_ON_UPDATE = { aws_launch_template: ["latest_version", "default_version"] };

/**
 * Resources whose destroy loses data or breaks what depends on them: the words for the `data-loss` flag. A security
 * group is in the list only where a database's ingress rule admits it (see databaseFacingGroups).
 */
const STATEFUL = {
  aws_lb: "the load balancer and its DNS name go away: the site is down until a new one exists and DNS points at it",
  aws_ecr_repository:
    "the repository and every image in it are deleted (AWS refuses while it holds images unless force_delete is set: the apply fails half-way); the tasks cannot pull their image",
  aws_cloudwatch_log_group: "the log group and every log in it are deleted",
  aws_s3_bucket: "the bucket and its objects are lost (AWS refuses to delete a bucket that is not empty unless force_destroy is set: the apply fails half-way)",
  aws_secretsmanager_secret:
    "the secret value is scheduled for deletion, and a secret of the same name cannot be created until the recovery window ends: the tasks lose their password",
  aws_kms_key: "the key is scheduled for deletion: whatever it encrypts (secrets, logs, images, state) becomes unreadable when the waiting period ends",
  aws_security_group: "the database's ingress rule that admits this group goes with it: the tasks lose their database connection until the new rule exists",
};
const DATABASE_PORTS = new Set([3306, 5432, 1433, 1521]);

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
// What Terraform plans: references, moves, renames, ignore_changes and the cascade of replacements

/** A reference inside a string: [data.]type.name.attribute (only addresses of the stack count). */
const REFERENCE = /(?<![A-Za-z0-9_.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)/g;
/** A whole interpolation that is one reference: `${aws_x.y.attr}`. */
const WHOLE_REFERENCE = /\$\{(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/g;
/** An address inside a string: a reference's, or a depends_on entry. */
const ADDRESS = /(?<![A-Za-z0-9_.-])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?![A-Za-z0-9_-])/g;
/** Top-level keys that are Terraform meta-arguments, not resource attributes: they change no attribute. */
const META_KEYS = new Set(["//", "lifecycle", "depends_on", "provider", "provisioner", "connection", "count", "for_each", "timeouts"]);
/** Name-like attributes that identify a resource of any type (a rename keeps them). */
const IDENTITY_KEYS = ["name", "bucket", "family", "alarm_name", "dashboard_name", "domain_name", "url", "name_prefix", "bucket_prefix"];
const UNKNOWN_MARK = "\u27e8known after apply\u27e9";
const READ_MARK = "\u27e8read again at plan time\u27e9";
const UNKNOWN = "(known after apply)";

function typeOf(address) {
  return address.slice(0, address.indexOf("."));
}

function metaPath(body) {
  return isObject(body) && isObject(body["//"]) && isObject(body["//"].metadata) ? (body["//"].metadata.path ?? null) : null;
}

/** A value with every address in `map` (old -> new) replaced in its strings (references and depends_on). */
function rewriteAddresses(value, map) {
  if (map.size === 0) return value;
  if (typeof value === "string") return value.replace(ADDRESS, (m, data, type, name) => (!data && map.has(`${type}.${name}`) ? map.get(`${type}.${name}`) : m));
  if (Array.isArray(value)) return value.map((v) => rewriteAddresses(v, map));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteAddresses(v, map)]));
  return value;
}

/** The attributes Terraform compares: the body without meta-arguments. */
function attributesOf(body) {
  return Object.fromEntries(Object.entries(isObject(body) ? body : {}).filter(([k]) => !META_KEYS.has(k)));
}

function stackView(stack, map = new Map()) {
  const resources = new Map();
  const data = new Map();
  for (const [type, byName] of Object.entries(stack?.resource ?? {}))
    for (const [name, body] of Object.entries(byName)) resources.set(map.get(`${type}.${name}`) ?? `${type}.${name}`, rewriteAddresses(body, map));
  for (const [type, byName] of Object.entries(stack?.data ?? {}))
    for (const [name, body] of Object.entries(byName)) data.set(`data.${type}.${name}`, rewriteAddresses(body, map));
  return { resources, data };
}

/** The `moved` blocks Terraform acts on: from an address in the base, to one only in the head. */
function movesOf(base, head) {
  const before = stackView(base).resources;
  const after = stackView(head).resources;
  const moves = new Map();
  for (const block of asList(head?.moved)) {
    if (before.has(block.from) && after.has(block.to) && !before.has(block.to) && !after.has(block.from)) moves.set(block.from, block.to);
  }
  return moves;
}

/**
 * Removed and added resources that are the same one under a new address (no moved block): same type, and the
 * same construct path, or the same configuration, or the same name-like identity. Map old -> new; a match must be
 * unique both ways. Found in rounds: a renamed role makes its policy attachments' configurations equal.
 */
function pairRenames(base, head) {
  const removed = [...base.resources.keys()].filter((a) => !head.resources.has(a)).sort(compare);
  const added = [...head.resources.keys()].filter((a) => !base.resources.has(a)).sort(compare);
  const pairs = new Map();
  const same = (old, now) => {
    const ob = base.resources.get(old);
    const nb = head.resources.get(now);
    if (metaPath(ob) && metaPath(ob) === metaPath(nb)) return true;
    if (equal(attributesOf(rewriteAddresses(ob, pairs)), attributesOf(nb))) return true;
    for (const key of IDENTITY_KEYS) {
      if (typeof ob[key] === "string" && typeof nb[key] === "string") return !ob[key].includes("${") && ob[key] === nb[key];
    }
    return false;
  };
  for (let progress = true; progress;) {
    progress = false;
    const taken = new Set(pairs.values());
    for (const old of removed.filter((a) => !pairs.has(a))) {
      const type = typeOf(old);
      const matches = added.filter((a) => typeOf(a) === type && !taken.has(a) && same(old, a));
      if (matches.length !== 1) continue;
      const back = removed.filter((a) => typeOf(a) === type && !pairs.has(a) && same(a, matches[0]));
      if (back.length !== 1) continue;
      pairs.set(old, matches[0]);
      taken.add(matches[0]);
      progress = true;
    }
  }
  return pairs;
}

/** `lifecycle.ignore_changes` as a test on attribute paths ("all", or attribute names and paths). */
function ignoreRule(lifecycle) {
  const value = isObject(lifecycle) ? lifecycle.ignore_changes : undefined;
  if (value === "all" || (Array.isArray(value) && value.includes("all"))) return () => true;
  const entries = asList(value).map((e) =>
    String(e)
      .replace(/\[["']?([^\]"']*)["']?\]/g, ".$1")
      .replace(/\.\d+(?=\.|$)/g, ""),
  );
  return (p) => {
    const n = normalizedPath(p).replace(/\[([^\]]*)\]/g, ".$1");
    return entries.some((e) => n === e || n.startsWith(`${e}.`));
  };
}

/**
 * Terraform's plan for one stack, from its configuration before (base) and after (head): for every resource
 * address the action (create, update, replace, delete, no-op), with the attributes that change, those ignored
 * (lifecycle.ignore_changes) and why it is replaced. References are followed as Terraform evaluates them: a
 * reference to an attribute set in the referenced resource's configuration is that value (known, changed only
 * when the value changes); to a computed attribute (id, arn, a name the provider picks) it is unknown when that
 * resource is created or replaced (or, for COMPUTED_ON_UPDATE, updated), and an unknown value is a change,
 * which replaces the referencing resource where the attribute forces replacement: the cascade.
 */
function planModel(baseStack, headStack) {
  const moves = movesOf(baseStack, headStack);
  const base = stackView(baseStack, moves);
  const head = stackView(headStack);
  const renames = pairRenames(base, head);
  const memo = new Map();
  const dataMemo = new Map();
  const visiting = new Set();

  /** The value a reference stands for on one side: literal text, a marker (unknown / read again), or undefined (unchanged). */
  function refValue(address, attribute, side, depth) {
    const view = side === "base" ? base : head;
    const body = address.startsWith("data.") ? view.data.get(address) : view.resources.get(address);
    if (body === undefined) return undefined;
    if (attribute in body && !META_KEYS.has(attribute)) {
      const v = body[attribute];
      return typeof v === "string" ? substitute(v, side, depth + 1) : stableStringify(v);
    }
    if (side === "base") return undefined;
    if (address.startsWith("data.")) {
      const d = evalData(address);
      if (d.deferred) return UNKNOWN_MARK;
      return d.changed ? READ_MARK : undefined;
    }
    const action = evalResource(address).action;
    if (action === "create" || action === "replace") return UNKNOWN_MARK;
    if (action === "update" && (COMPUTED_ON_UPDATE[typeOf(address)] ?? []).includes(attribute)) return UNKNOWN_MARK;
    return undefined;
  }

  /** A string with its references replaced by what they stand for (`${ref}` alone by the bare value). */
  function substitute(text, side, depth = 0) {
    if (!text.includes("${") || depth > 20) return text;
    const value = (data, type, name, attribute) => refValue(`${data ? "data." : ""}${type}.${name}`, attribute, side, depth);
    return text
      .replace(WHOLE_REFERENCE, (m, data, type, name, attribute) => value(data, type, name, attribute) ?? m)
      .replace(REFERENCE, (m, data, type, name, attribute) => value(data, type, name, attribute) ?? m);
  }

  function resolve(value, side) {
    const v = decodeDeep(value);
    const walk = (x) =>
      typeof x === "string"
        ? substitute(x, side)
        : Array.isArray(x)
          ? x.map(walk)
          : isObject(x)
            ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]))
            : x;
    return walk(v);
  }

  function evalData(address) {
    if (dataMemo.has(address)) return dataMemo.get(address);
    dataMemo.set(address, { deferred: false, changed: false }); // a cycle reads as unchanged
    const body = head.data.get(address);
    const after = resolve(attributesOf(body), "head");
    const dependsOnChange = asList(body?.depends_on).some((d) => !String(d).startsWith("data.") && evalResource(String(d)).action !== "no-op");
    const deferred = JSON.stringify(after).includes(UNKNOWN_MARK) || dependsOnChange;
    const before = base.data.get(address);
    const changed = before !== undefined && !equal(resolve(attributesOf(before), "base"), after);
    const result = { deferred, changed };
    dataMemo.set(address, result);
    return result;
  }

  /** The references in a top-level attribute whose value changes: [{ ref, address, attribute, how }]. */
  function causes(address, key) {
    const raw = JSON.stringify(head.resources.get(address)?.[key] ?? "");
    const out = [];
    const seen = new Set();
    for (const m of raw.matchAll(REFERENCE)) {
      const target = `${m[1] ? "data." : ""}${m[2]}.${m[3]}`;
      const ref = `${target}.${m[4]}`;
      if (seen.has(ref)) continue;
      seen.add(ref);
      const now = refValue(target, m[4], "head", 0);
      if (now === undefined) continue;
      const was = refValue(target, m[4], "base", 0);
      let how;
      if (now.includes(UNKNOWN_MARK) || now.includes(READ_MARK)) {
        const action = target.startsWith("data.") ? (now.includes(UNKNOWN_MARK) ? "deferred" : "read") : evalResource(target).action;
        how = { replace: "replaced", create: "created", update: "updated", deferred: "deferred" }[action] ?? "read";
      } else if (was !== now) how = "changes";
      if (how) out.push({ ref, address: target, attribute: m[4], how });
    }
    return out;
  }

  function evalResource(address) {
    if (memo.has(address)) return memo.get(address);
    if (visiting.has(address)) return { action: "no-op", changed: [], ignored: [], hits: [] };
    visiting.add(address);
    const prior = base.resources.get(address);
    const config = head.resources.get(address);
    let result;
    if (config === undefined) result = { action: "delete", changed: [], ignored: [], hits: [] };
    else if (prior === undefined) result = { action: "create", changed: [], ignored: [], hits: [] };
    else {
      const type = typeOf(address);
      const diffs = diffValues(resolve(attributesOf(prior), "base"), resolve(attributesOf(config), "head"), "", []);
      const ignores = ignoreRule(config.lifecycle);
      const changed = diffs.filter((d) => !ignores(d.path));
      const ignored = diffs.filter((d) => ignores(d.path));
      const hits = changed.map((d) => ({ d, rule: replacementRule(type, d.path) })).filter((h) => h.rule);
      const action = hits.some((h) => !h.rule.inPlace) ? "replace" : changed.length ? "update" : "no-op";
      result = { action, changed, ignored, hits };
    }
    visiting.delete(address);
    memo.set(address, result);
    return result;
  }

  const addresses = [...new Set([...base.resources.keys(), ...head.resources.keys()])].sort(compare);
  const movedFrom = new Map([...moves].map(([from, to]) => [to, from]));
  const plan = [];
  for (const address of addresses) {
    const { action } = evalResource(address);
    const previous = movedFrom.get(address);
    if (action !== "no-op" || previous) plan.push(previous ? { address, action, previous_address: previous } : { address, action });
  }
  return { base, head, moves, movedFrom, renames, renamedFrom: new Map([...renames].map(([o, n]) => [n, o])), plan, evalResource, causes };
}

/** Words for why a reference changes the attribute holding it. */
function causeText(c) {
  if (c.how === "changes") return `\`${c.address}.${c.attribute}\`, which changes`;
  if (c.how === "read") return `\`${c.address}.${c.attribute}\`, read again with new arguments when the plan runs`;
  if (c.how === "deferred") return `\`${c.address}.${c.attribute}\`, which Terraform reads only during the apply (it depends on a change)`;
  if (c.how === "updated") return `\`${c.address}.${c.attribute}\`, which the update of \`${c.address}\` makes unknown`;
  return `the ${c.how} \`${c.address}\` (its \`${c.attribute}\` is known only after apply)`;
}

// ---------------------------------------------------------------------------------------------------------
// Items of a stack

/** Every addressable block of a stack but its resources: Map address -> { kind, address, path, body }. */
function stackEntries(stack) {
  const entries = new Map();
  const add = (kind, address, body, constructPath = null) => entries.set(address, { kind, address, path: constructPath, body });
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

function pathCovers(outer, inner) {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || inner.startsWith(`${outer} (`);
}

/**
 * The resource items of a stack with Terraform's verdict: action, the reasons, the attributes (as written, plus
 * those changed through a reference: `via`, and those Terraform ignores: `ignored`).
 */
function resourceItems(model) {
  const items = [];
  const resource = (address, body) => ({ kind: "resource", address, body });
  // A resource only one side has: its top-level attributes, as written on that side.
  const whole = (address, body, change) => ({
    kind: "resource",
    address,
    path: metaPath(body),
    change,
    action: change === "added" ? "create" : "delete",
    attributes: topLevel(comparable(resource(address, body)), change === "added" ? "after" : "before"),
  });
  for (const address of [...new Set([...model.base.resources.keys(), ...model.head.resources.keys()])].sort(compare)) {
    const before = model.base.resources.get(address);
    const after = model.head.resources.get(address);
    const verdict = model.evalResource(address);
    if (after === undefined) {
      if (model.renames.has(address)) continue; // shown with its new address
      items.push(whole(address, before, "removed"));
      continue;
    }
    const from = model.movedFrom.get(address) ?? model.renamedFrom.get(address);
    if (before === undefined && from === undefined) {
      items.push(whole(address, after, "added"));
      continue;
    }
    // References to a renamed resource compare under its new address: the swap itself is no change to show.
    const was = rewriteAddresses(before ?? model.base.resources.get(from), model.renames);
    const written = diffValues(comparable(resource(address, was)), comparable(resource(address, after)), "", []).map((a) =>
      a.path === "" ? { ...a, path: "(value)" } : a,
    );
    const ignoredPaths = new Set(verdict.ignored.map((d) => d.path));
    const attributes = written.map((a) =>
      verdict.ignored.some((d) => pathCovers(a.path, d.path) || pathCovers(d.path, a.path)) ? { ...a, ignored: true } : a,
    );
    // Changes Terraform sees that the configuration text does not show: through references.
    for (const d of [...verdict.changed, ...verdict.ignored]) {
      if (written.some((a) => pathCovers(a.path, d.path) || pathCovers(d.path, a.path))) continue;
      const top = d.path.split(/[.[]/)[0];
      const via = model.causes(address, top).map((c) => c.ref);
      const after_ = typeof d.after === "string" && d.after.includes(UNKNOWN_MARK) ? UNKNOWN : d.after;
      attributes.push({ path: d.path, before: d.before, after: after_, via, ...(ignoredPaths.has(d.path) ? { ignored: true } : {}) });
    }
    const item = {
      kind: "resource",
      address,
      path: metaPath(after) ?? metaPath(was),
      change: model.movedFrom.has(address) ? "moved" : model.renamedFrom.has(address) ? "renamed" : "changed",
      action: model.renamedFrom.has(address) ? "create" : verdict.action,
      attributes,
    };
    if (from !== undefined) item.from = from;
    item.reasons = reasonsFor(model, address, verdict);
    if (item.change === "changed" && attributes.length === 0 && verdict.action === "no-op") continue;
    items.push(item);
  }
  return items;
}

/** Why Terraform replaces or updates a resource, in words (one line per cause). */
function reasonsFor(model, address, verdict) {
  const reasons = [];
  const type = typeOf(address);
  const prior = model.base.resources.get(address);
  const config = model.head.resources.get(address);
  if (!prior || !config) return reasons;
  const written = new Set(diffValues(resolveless(rewriteAddresses(prior, model.renames)), resolveless(config), "", []).map((a) => a.path));
  const isWritten = (p) => [...written].some((w) => pathCovers(w, p) || pathCovers(p, w));
  const seen = new Set();
  for (const { d, rule } of verdict.hits) {
    const top = d.path.split(/[.[]/)[0];
    if (isWritten(d.path)) {
      const text = `${rule.path === "*" ? top : rule.path}: ${rule.reason ?? `cannot change in place, the ${type} is destroyed and created again`}`;
      if (!seen.has(text)) reasons.push({ kind: rule.inPlace ? "instances" : rule.quiet ? "quiet" : "replace", text });
      seen.add(text);
      continue;
    }
    for (const c of model.causes(address, top)) {
      const text = rule.inPlace
        ? `\`${top}\` references ${causeText(c)}: ${rule.reason}`
        : `replaced because \`${top}\` references ${causeText(c)}${rule.quiet ? ` (${rule.reason})` : ""}`;
      if (!seen.has(text)) reasons.push({ kind: rule.inPlace ? "instances" : rule.quiet ? "quiet" : "replace", text });
      seen.add(text);
    }
  }
  if (verdict.action === "update" || verdict.action === "replace") {
    const tops = [...new Set(verdict.changed.filter((d) => !isWritten(d.path) && !verdict.hits.some((h) => h.d === d)).map((d) => d.path.split(/[.[]/)[0]))];
    for (const top of tops) {
      for (const c of model.causes(address, top)) {
        const text = `${verdict.action === "replace" ? "also changes" : "updated"} because \`${top}\` references ${causeText(c)}`;
        if (!seen.has(text)) reasons.push({ kind: "update", text });
        seen.add(text);
      }
    }
  }
  return reasons;
}

/** A body as written (decoded, meta-arguments left out), for telling written changes from referenced ones. */
function resolveless(body) {
  return decodeDeep(attributesOf(body));
}

function diffStackItems(base, head, model) {
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
  items.push(...resourceItems(model));
  return items.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || compare(x.address, y.address));
}

// ---------------------------------------------------------------------------------------------------------
// Flags

function importTargets(stack) {
  return new Map(asList(stack?.import).map((block) => [block.to, block.id]));
}

function normalizedPath(p) {
  return p.replace(/\[\d+\]/g, "");
}

/** The REPLACEMENT_ATTRIBUTES entry an attribute path falls under, as an object, or undefined. */
function replacementRule(type, attributePath) {
  const rules = REPLACEMENT_ATTRIBUTES[type] ?? [];
  const p = normalizedPath(attributePath);
  const top = p.split(/[.[ ]/)[0];
  for (const rule of rules) {
    const r = typeof rule === "string" ? { path: rule } : rule;
    if (r.path === "*" ? !(r.except ?? []).includes(top) : p === r.path || p.startsWith(`${r.path}.`) || p.startsWith(`${r.path}[`)) return r;
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

function globMatch(pattern, value, ignoreCase) {
  if (pattern === value) return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return ignoreCase && pattern.toLowerCase() === value.toLowerCase();
  const body = pattern
    .split("*")
    .map((part) =>
      part
        .split("?")
        .map((s) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&"))
        .join("."),
    )
    .join(".*");
  return new RegExp(`^${body}$`, ignoreCase ? "i" : "").test(value);
}

/** What Allow statements grant, as (action, resource, principal, condition) tuples (NotAction/NotResource apart). */
function allowTuples(doc) {
  const out = [];
  for (const s of statements(doc)) {
    if (s.Effect === "Deny") continue;
    const g = grants(s);
    if (g.notActions.length || g.notResources.length) continue;
    out.push(...tuplesOf(g.actions, g.resources, g.principals, s.Condition));
  }
  return out;
}

function tuplesOf(actions, resources, principals, condition) {
  const cond = condition === undefined ? undefined : stableStringify(condition);
  const out = [];
  for (const a of actions.length ? actions : [""])
    for (const r of resources.length ? resources : [""]) for (const p of principals.length ? principals : [""]) out.push({ a, r, p, cond });
  return out;
}

/** A tuple some base tuple already allows (`s3:*` covers `s3:GetObject`; no condition covers any condition). */
function isCovered(t, base) {
  return base.some(
    (b) =>
      globMatch(b.a, t.a, true) && globMatch(b.r, t.r, false) && (b.p === t.p || b.p === "*" || b.p === "AWS:*") && (b.cond === undefined || b.cond === t.cond),
  );
}

/**
 * What head statement `s` grants beyond base statement `old` (undefined: a new statement), as sentences, given
 * everything the base document allowed (`baseTuples`): { gains, scope }. A gain already allowed elsewhere is no
 * gain; resources replaced one-for-one (same actions, principals and condition, no new wildcard) are a changed
 * scope, not a broadening.
 */
function statementGains(s, old, baseTuples) {
  const g = grants(s);
  const label = s.Sid ? `statement ${s.Sid}` : "a statement";
  if (!old) {
    if (!g.notActions.length && !g.notResources.length && tuplesOf(g.actions, g.resources, g.principals, s.Condition).every((t) => isCovered(t, baseTuples)))
      return { gains: [], scope: [] };
    const wild = [
      ...g.actions.filter((v) => isWildcard(v, "actions")),
      ...g.resources.filter((v) => isWildcard(v)),
      ...g.principals.filter((v) => isWildcard(v)),
    ];
    return {
      gains: [
        `new Allow statement${s.Sid ? ` ${s.Sid}` : " (no Sid)"}: ${g.actions.join(", ") || `NotAction ${g.notActions.join(", ")}`} on ${g.resources.join(", ") || g.notResources.join(", ") || "(no resource)"}${g.principals.length ? ` for ${g.principals.join(", ")}` : ""}${wild.length ? ` (wildcard: ${wild.join(", ")})` : ""}`,
      ],
      scope: [],
    };
  }
  const o = grants(old);
  const gained = (k) => g[k].filter((v) => !o[k].includes(v));
  const lost = (k) => o[k].filter((v) => !g[k].includes(v));
  const uncovered = {
    actions: gained("actions").filter((a) => !tuplesOf([a], g.resources, g.principals, s.Condition).every((t) => isCovered(t, baseTuples))),
    resources: gained("resources").filter((r) => !tuplesOf(g.actions, [r], g.principals, s.Condition).every((t) => isCovered(t, baseTuples))),
    principals: gained("principals").filter((p) => !tuplesOf(g.actions, g.resources, [p], s.Condition).every((t) => isCovered(t, baseTuples))),
  };
  const out = [];
  const scope = [];
  const swapped =
    !uncovered.actions.length &&
    !uncovered.principals.length &&
    uncovered.resources.length > 0 &&
    oneForOne(gained("resources"), lost("resources")) &&
    equal(o.condition, g.condition);
  if (swapped) {
    scope.push(`${label}: ${lost("resources").join(", ")} → ${gained("resources").join(", ")}`);
    uncovered.resources = [];
  }
  const fmt = (what) => `${label} gains ${what} ${uncovered[what].join(", ")}${uncovered[what].some((v) => isWildcard(v, what)) ? " (wildcard)" : ""}`;
  for (const what of ["actions", "resources", "principals"]) if (uncovered[what].length) out.push(fmt(what));
  // NotAction / NotResource / NotPrincipal grant everything except what they list: fewer entries is more.
  if (lost("notActions").length) out.push(`${label} excludes fewer actions (NotAction lost ${lost("notActions").join(", ")})`);
  if (lost("notResources").length) out.push(`${label} excludes fewer resources (NotResource lost ${lost("notResources").join(", ")})`);
  if (g.notActions.length && !o.notActions.length) out.push(`${label} now uses NotAction (everything except ${g.notActions.join(", ")})`);
  if (g.notResources.length && !o.notResources.length) out.push(`${label} now uses NotResource (everything except ${g.notResources.join(", ")})`);
  if (o.condition !== undefined && !equal(o.condition, g.condition)) {
    const swaps = conditionSwaps(o.condition, g.condition);
    if (swaps) scope.push(...swaps.map((w) => `${label}: condition ${w}`));
    else out.push(`${label} has its condition ${g.condition === undefined ? "removed" : "changed"}`);
  }
  return { gains: out, scope };
}

/**
 * A condition whose values were only replaced one-for-one (same operators and keys; a key added narrows it):
 * sentences for each swap, or undefined when the condition was removed, lost a key or gained values.
 */
function conditionSwaps(before, after) {
  if (!isObject(before) || !isObject(after)) return undefined;
  const out = [];
  for (const [operator, keys] of Object.entries(before)) {
    if (!isObject(keys) || !isObject(after[operator])) return undefined;
    for (const [key, values] of Object.entries(keys)) {
      if (!(key in after[operator])) return undefined;
      const was = asList(values).map(String);
      const now = asList(after[operator][key]).map(String);
      const gained = now.filter((v) => !was.includes(v));
      const lost = was.filter((v) => !now.includes(v));
      if (!gained.length) continue;
      if (!oneForOne(gained, lost)) return undefined;
      out.push(`${operator} ${key}: ${lost.join(", ")} → ${gained.join(", ")}`);
    }
  }
  return out;
}

/** Resources replaced one-for-one: as many gained as lost, none `*`, each gained with no more wildcards than a lost one. */
function oneForOne(gained, lost) {
  if (gained.length !== lost.length || gained.includes("*")) return false;
  const stars = (r) => (r.match(/\*/g) ?? []).length;
  const left = lost.map(stars).sort((a, b) => a - b);
  return gained
    .map(stars)
    .sort((a, b) => a - b)
    .every((n, i) => n <= left[i]);
}

/** Broadening between two policy documents (base may be undefined: a new document): { gains, scope }. */
function policyGains(baseDoc, headDoc) {
  const bs = statements(baseDoc);
  const hs = statements(headDoc);
  const baseTuples = allowTuples(baseDoc);
  // Statements with a Sid match by Sid; those without by position.
  const match = (s, i) => (s.Sid !== undefined ? bs.find((o) => o.Sid === s.Sid) : bs[i] && bs[i].Sid === undefined ? bs[i] : undefined);
  const out = [];
  const scope = [];
  hs.forEach((s, i) => {
    if (s.Effect === "Deny") return;
    const old = match(s, i);
    const r = statementGains(s, old && old.Effect !== "Deny" ? old : undefined, baseTuples);
    out.push(...r.gains);
    scope.push(...r.scope);
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
  return { gains: out, scope };
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

/** Security groups a database's ingress rule admits (by reference), in a stack view: Set of addresses. */
function databaseFacingGroups(view) {
  const out = new Set();
  const onDatabasePort = (from, to) => [...DATABASE_PORTS].some((p) => Number(from) <= p && p <= Number(to));
  for (const [address, body] of view.resources) {
    const type = typeOf(address);
    let source;
    if (type === "aws_vpc_security_group_ingress_rule") source = body.referenced_security_group_id;
    else if (type === "aws_security_group_rule" && body.type === "ingress") source = body.source_security_group_id;
    if (typeof source !== "string" || !onDatabasePort(body.from_port, body.to_port)) continue;
    for (const m of source.matchAll(REFERENCE)) if (!m[1] && m[2] === "aws_security_group") out.add(`${m[2]}.${m[3]}`);
  }
  return out;
}

const TYPE_WORDS = {
  aws_lb: "load balancer",
  aws_db_instance: "database",
  aws_rds_cluster: "database cluster",
  aws_ecr_repository: "image repository",
  aws_cloudwatch_log_group: "log group",
  aws_s3_bucket: "bucket",
  aws_secretsmanager_secret: "secret",
  aws_kms_key: "KMS key",
  aws_security_group: "security group",
};

/** Destroys (and replacements) that fail or lose data: destroy-refused first, else data-loss; one flag per address. */
function destroyFlags(model, flag) {
  const facing = databaseFacingGroups(model.base);
  const gone = model.plan.filter((p) => p.action === "delete" || p.action === "replace");
  const goneSet = new Set(gone.map((p) => p.address));
  for (const { address, action } of gone) {
    const prior = model.base.resources.get(address);
    const config = model.head.resources.get(address);
    const type = typeOf(address);
    const words = TYPE_WORDS[type] ?? type;
    const verb =
      action === "replace"
        ? "replaced (destroyed, then created again)"
        : model.renames.has(address)
          ? `destroyed (its new address ${model.renames.get(address)} is created)`
          : "destroyed";
    const protectedByAws = prior?.enable_deletion_protection === true || prior?.deletion_protection === true || prior?.enable_deletion_protection === "true";
    // What references it goes first (Terraform destroys dependents before what they depend on).
    const byType = new Map();
    for (const p of gone) {
      if (p.address === address || !JSON.stringify(model.base.resources.get(p.address) ?? {}).includes(`${address}.`)) continue;
      byType.set(typeOf(p.address), (byType.get(typeOf(p.address)) ?? 0) + 1);
    }
    const dependents = [...byType].sort((a, b) => compare(a[0], b[0])).map(([t, n]) => (n === 1 ? t : `${n} ${t}`));
    if (protectedByAws) {
      const breaks = type === "aws_lb" ? "; the site is down" : STATEFUL[type] ? `; ${STATEFUL[type]}` : "";
      flag(
        "destroy-refused",
        address,
        `${verb}: AWS refuses to delete a ${words} with deletion protection: the apply fails after destroying ${dependents.length ? `what depends on it (${dependents.join(", ")})` : "whatever goes before it"}${breaks}`,
      );
      continue;
    }
    if (action === "replace" && config?.lifecycle?.prevent_destroy === true) {
      flag(
        "destroy-refused",
        address,
        `${verb}: lifecycle.prevent_destroy makes Terraform refuse the plan ("Instance cannot be destroyed"): nothing is applied`,
      );
      continue;
    }
    const stateful = STATEFUL[type] && (type !== "aws_security_group" || facing.has(address)) ? STATEFUL[type] : undefined;
    // Removed from the code, a prevent_destroy resource loses its protection with it: Terraform destroys it.
    const protectedByCode =
      action === "delete" && prior?.lifecycle?.prevent_destroy === true
        ? "it was marked lifecycle.prevent_destroy (must not be destroyed), and removing it from the code removed the protection"
        : undefined;
    if (stateful || protectedByCode) flag("data-loss", address, `${verb}: ${[protectedByCode, stateful].filter(Boolean).join("; ")}`);
  }
  return goneSet;
}

function flagsForStack(name, base, head, items, model) {
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
    const type = typeOf(item.address);
    // The resource as it was (under its old address for a move or rename), references renamed to the new names.
    const before =
      item.change === "added"
        ? undefined
        : item.from !== undefined && item.change === "renamed"
          ? model.base.resources.get(item.from)
          : model.base.resources.get(item.address);
    const beforeR = before === undefined ? undefined : rewriteAddresses(before, model.renames);
    const after = model.head.resources.get(item.address);
    const counted = item.attributes.filter((a) => !a.ignored);

    const adoptedAt = adopted.has(item.address) ? item.address : item.from !== undefined && adopted.has(item.from) ? item.from : undefined;
    if (adoptedAt !== undefined && item.change !== "added" && (item.action !== "no-op" || item.change === "removed")) {
      flag(
        "adopted-resource-changed",
        item.address,
        item.change === "removed"
          ? `adopted resource (import id ${JSON.stringify(adopted.get(adoptedAt))}) removed from the code: Terraform would destroy it`
          : item.change === "renamed"
            ? `adopted resource (import id ${JSON.stringify(adopted.get(adoptedAt))}) moved from ${item.from} without a moved block: Terraform would destroy it and create another`
            : `adopted resource (import id ${JSON.stringify(adopted.get(adoptedAt))}) ${item.action === "replace" ? "replaced" : "changed"}: ${counted.map((a) => a.path).join(", ")}`,
      );
    }
    const replacing = (item.reasons ?? []).filter((r) => r.kind === "replace" || r.kind === "instances");
    if (replacing.length) flag("replacement", item.address, replacing.map((r) => r.text).join("; "));
    if (item.change === "renamed") {
      flag(
        "address-changed",
        item.address,
        `${item.from} -> ${item.address}${item.path ? ` (construct ${item.path})` : ""} without a moved block: Terraform destroys it and creates it again. Make it a move: moved { from = ${item.from} to = ${item.address} } (cdktf: moveFromId("${item.from}") on the new resource)`,
      );
    }
    if (before?.lifecycle?.prevent_destroy === true && (after === undefined || item.change === "renamed" || after?.lifecycle?.prevent_destroy !== true)) {
      flag(
        "prevent-destroy-removed",
        item.change === "renamed" ? item.from : item.address,
        after === undefined || item.change === "renamed"
          ? "a resource with prevent_destroy was removed: the protection goes with it"
          : "lifecycle.prevent_destroy is no longer set",
      );
    }
    if (after !== undefined) {
      const baseDocs = policyDocuments(beforeR === undefined ? {} : withoutMeta(beforeR));
      for (const [at, doc] of policyDocuments(withoutMeta(after))) {
        const { gains, scope } = policyGains(baseDocs.get(at), doc);
        // A new resource's policy is listed in full below; flag it only where it holds a wildcard.
        const shown = beforeR === undefined ? gains.filter((g) => g.includes("wildcard")) : gains;
        if (shown.length) flag("iam-broadened", item.address, `${at}: ${shown.join("; ")}`);
        for (const s of scope) (item.reasons ??= []).push({ kind: "scope", text: `IAM scope changed, not broadened: \`${at}\` ${s}` });
      }
      if (POLICY_ATTACHMENTS.has(type) && (beforeR === undefined || beforeR.policy_arn !== after.policy_arn)) {
        flag("iam-broadened", item.address, `managed policy ${after.policy_arn} attached${after.role ? ` to ${after.role}` : ""}`);
      }
      if (type === "aws_iam_role" && after.managed_policy_arns !== undefined) {
        const gained = asList(after.managed_policy_arns).filter((p) => !asList(beforeR?.managed_policy_arns).includes(p));
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
  destroyFlags(model, flag);
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

/** What Terraform will do to a stack's resources, counted: { create, update, replace, delete, move }. */
function planCounts(stack) {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, move: 0 };
  for (const p of stack.plan ?? []) {
    if (p.action !== "no-op") counts[p.action]++;
    if (p.previous_address) counts.move++;
  }
  return counts;
}

function diffStacks(baseStacks, headStacks) {
  const names = [...new Set([...Object.keys(baseStacks), ...Object.keys(headStacks)])].sort(compare);
  const stacks = [];
  let flags = [];
  for (const name of names) {
    const base = baseStacks[name];
    const head = headStacks[name];
    const status = base === undefined ? "added" : head === undefined ? "removed" : null;
    const model = planModel(base ?? {}, head ?? {});
    const items = diffStackItems(base, head, model);
    stacks.push({ stack: name, status: status ?? (items.length ? "changed" : "unchanged"), items, plan: model.plan });
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
    if (status !== "removed") flags.push(...flagsForStack(name, base, head, items, model));
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
/** A resource's sign is Terraform's: what the plan will do to it. */
const ACTION_SIGN = { create: "+", delete: "-", update: "~", replace: "-/+", "no-op": "=" };
const ACTION_WORDS = { create: "created", delete: "destroyed", update: "updated in place", replace: "replaced", "no-op": "no change for Terraform" };

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
  const lines = renderValueChange(a, inlineMax);
  const notes = [];
  if (a.via?.length) notes.push(`through ${a.via.map((v) => code(v)).join(", ")}`);
  if (a.ignored) notes.push("ignored by Terraform: lifecycle.ignore_changes");
  if (notes.length) lines[0] += ` (${notes.join("; ")})`;
  return lines;
}

function renderValueChange(a, inlineMax) {
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
  if (item.kind === "resource") return renderResource(item, options);
  const where = item.path ? ` (${code(item.path)})` : "";
  const head = `- **${SIGN[item.change]}** ${code(item.address)}${where}`;
  const body = item.attributes.flatMap((a) => renderAttribute(a, options.inlineMax));
  if (item.change !== "changed") return [head, ...folded(item, body)];
  return [head, ...body];
}

/** Added/removed items: the full configuration, folded away. */
function folded(item, body) {
  return [
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

/** A resource with Terraform's verdict: its sign, what happens, why, and the attributes. */
function renderResource(item, options) {
  const where = item.path ? ` (${code(item.path)})` : "";
  const body = item.attributes.flatMap((a) => renderAttribute(a, options.inlineMax));
  const reasons = (item.reasons ?? []).map((r) => `  - ${escapeHtml(r.text)}`);
  if (item.change === "added" || item.change === "removed")
    return [`- **${ACTION_SIGN[item.action]}** ${code(item.address)}${where}`, ...reasons, ...folded(item, body)];
  if (item.change === "renamed") {
    return [
      `- **-/+** ${code(item.from)} → ${code(item.address)}${where}: address changed without a moved block: Terraform destroys ${code(item.from)} and creates ${code(item.address)}`,
      `  - to make it a move that changes nothing, add ${code(`moved { from = ${item.from} to = ${item.address} }`)} (cdktf: ${code(`moveFromId("${item.from}")`)} on the new resource)`,
      ...reasons,
      ...body,
    ];
  }
  if (item.change === "moved") {
    const what = item.action === "no-op" ? "moved, no change" : `moved and ${ACTION_WORDS[item.action]}`;
    return [
      `- **→${item.action === "no-op" ? "" : ` ${ACTION_SIGN[item.action]}`}** ${code(item.from)} → ${code(item.address)}${where}: ${what}`,
      ...reasons,
      ...body,
    ];
  }
  const what = item.action === "update" ? "" : `: ${ACTION_WORDS[item.action]}`;
  return [`- **${ACTION_SIGN[item.action]}** ${code(item.address)}${where}${what}`, ...reasons, ...body];
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
  lines.push("| Stack | Status | Create | Update | Replace | Destroy | Move |", "|---|---|---|---|---|---|---|");
  for (const s of report.stacks) {
    const c = planCounts(s);
    lines.push(`| ${code(s.stack)} | ${s.status} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c.move} |`);
  }
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
    const summary = `${code(s.stack)}: ${s.status} (${planSentence(planCounts(s))})`;
    if (section.length > o.collapseAfter) lines.push("<details>", `<summary>${summary}</summary>`, "", ...section, "</details>", "");
    else lines.push(`#### ${summary}`, "", ...section);
  }
  const unchanged = report.stacks.filter((s) => s.status === "unchanged");
  if (unchanged.length) lines.push(`Unchanged: ${unchanged.map((s) => code(s.stack)).join(", ")}.`, "");
  return finish(lines, o);
}

/** Terraform's plan for a stack in words: "1 to replace, 2 to update". */
function planSentence(c) {
  const parts = [];
  if (c.create) parts.push(`${c.create} to create`);
  if (c.update) parts.push(`${c.update} to update`);
  if (c.replace) parts.push(`${c.replace} to replace`);
  if (c.delete) parts.push(`${c.delete} to destroy`);
  if (c.move) parts.push(`${c.move} moved`);
  return parts.length ? parts.join(", ") : "no resource changes";
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
