import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALARM_DEFAULTS, METRIC_DELIVERY_MINUTES, minimumInstanceWarmupSeconds, validateEnvironment } from "../../src/config";
import { tasksStoppedAtOnce } from "../../src/constructs/workload/daemon-service";
import { local } from "../../src/config/local";
import { problemsOf, productionRaw, stagingRaw } from "../helpers";

const localRaw = (): any => JSON.parse(JSON.stringify(local));

describe("instance refresh timing", () => {
  test("the instance refresh waits out the missing-task alarm plus the metric delivery allowance", () => {
    expect(minimumInstanceWarmupSeconds(5)).toBe((5 + METRIC_DELIVERY_MINUTES) * 60);
    expect(minimumInstanceWarmupSeconds(1)).toBe((1 + METRIC_DELIVERY_MINUTES) * 60);
    expect(METRIC_DELIVERY_MINUTES).toBeGreaterThanOrEqual(5);
  });
});

describe("the environments' operations settings", () => {
  const staging = validateEnvironment(stagingRaw());
  const prod = validateEnvironment(productionRaw());
  const loc = validateEnvironment(localRaw());

  test("staging (one instance) deploys at 0%, the only value that does not stall", () => {
    expect(staging.capacity.minSize).toBe(1);
    expect(staging.service.deploymentMinimumHealthyPercent).toBe(0);
    expect(loc.service.deploymentMinimumHealthyPercent).toBe(0);
  });

  test("production deploys one instance at a time at its minimum size, never all at once", () => {
    expect(prod.capacity.minSize).toBe(2);
    expect(prod.service.deploymentMinimumHealthyPercent).toBe(50);
    expect(tasksStoppedAtOnce(prod.capacity.minSize, prod.service.deploymentMinimumHealthyPercent)).toBe(1);
    // Scaled out to 3 still one at a time; at its maximum of 4, two (half the capacity keeps serving).
    expect(tasksStoppedAtOnce(3, 50)).toBe(1);
    expect(tasksStoppedAtOnce(prod.capacity.maxSize, 50)).toBe(2);
  });

  test("every environment targets CPU 60% (below the task's 75 % share of a c6g.xlarge) and waits out the missing-task alarm on a new instance", () => {
    for (const env of [staging, prod, loc]) {
      expect({ env: env.name, cpu: env.capacity.cpuTargetPercent, warmup: env.capacity.instanceWarmupSeconds }).toEqual({
        env: env.name,
        cpu: 60,
        warmup: minimumInstanceWarmupSeconds(env.alarms.taskShortfallMinutes),
      });
    }
  });

  test("alarms default to the thresholds the docs write down; production names who is paged, staging nobody yet", () => {
    expect(staging.alarms).toEqual({ ...ALARM_DEFAULTS });
    expect(prod.alarms).toEqual({ ...ALARM_DEFAULTS, emailSubscriptions: ["ops@storelocatorplus.com"] });
    expect(prod.assumptions?.some((a) => a.startsWith("alarms.emailSubscriptions"))).toBe(true);
    // docs/operations.md's table of defaults (what operators read) must say what the code does.
    const documented = new Map(
      [...readFileSync(join(__dirname, "..", "..", "docs", "operations.md"), "utf8").matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]),
    );
    for (const [field, value] of Object.entries(ALARM_DEFAULTS)) {
      const text = documented.get(field);
      expect({ field, documented: text === undefined ? undefined : Array.isArray(value) ? text : Number(/^[\d.]+/.exec(text)?.[0]) }).toEqual({
        field,
        documented: Array.isArray(value) ? (value.length === 0 ? "none" : value.join(", ")) : value,
      });
    }
  });

  test("an environment without an alarms section gets the defaults", () => {
    const raw = stagingRaw();
    delete raw.alarms;
    expect(validateEnvironment(raw).alarms).toEqual({ ...ALARM_DEFAULTS });
  });

  test("a threshold set in config replaces its default only", () => {
    const raw = stagingRaw();
    raw.alarms = { serviceCpuPercent: 95, emailSubscriptions: ["ops@example.com"] };
    expect(validateEnvironment(raw).alarms).toEqual({ ...ALARM_DEFAULTS, serviceCpuPercent: 95, emailSubscriptions: ["ops@example.com"] });
  });

  test("a non-production environment may run several instances at 0% (its choice)", () => {
    const raw = stagingRaw();
    Object.assign(raw.capacity, { minSize: 2, desiredCapacity: 2, maxSize: 3 });
    expect(problemsOf(raw)).toEqual([]);
  });
});

/** One row per rule: the environment, how it is broken, the field named, what the message says. */
const badInputs: [string, () => any, (raw: any) => void, string, string][] = [
  // deployments
  [
    "percent above 0 on a single instance",
    stagingRaw,
    (r) => (r.service.deploymentMinimumHealthyPercent = 50),
    "service.deploymentMinimumHealthyPercent",
    "50 stalls deployments on 1 instance (capacity.minSize): ECS must keep 1 of 1 daemon tasks running",
  ],
  [
    "1% on a single instance",
    stagingRaw,
    (r) => (r.service.deploymentMinimumHealthyPercent = 1),
    "service.deploymentMinimumHealthyPercent",
    "allowed: 0 (a single instance replaces its task in place)",
  ],
  [
    "0% in production with 2 instances",
    productionRaw,
    (r) => (r.service.deploymentMinimumHealthyPercent = 0),
    "service.deploymentMinimumHealthyPercent",
    "must be above 0 in a production environment with 2 instances: 0 lets ECS stop every daemon task at once, an outage on each deploy",
  ],
  [
    "51% in production with 2 instances",
    productionRaw,
    (r) => (r.service.deploymentMinimumHealthyPercent = 51),
    "service.deploymentMinimumHealthyPercent",
    "51 stalls deployments on 2 instances (capacity.minSize): ECS must keep 2 of 2 daemon tasks running",
  ],
  ["100% in production", productionRaw, (r) => (r.service.deploymentMinimumHealthyPercent = 100), "service.deploymentMinimumHealthyPercent", "allowed: 0-50"],
  [
    "67% in production with 3 instances",
    productionRaw,
    (r) => Object.assign(r.capacity, { minSize: 3, desiredCapacity: 3 }) && (r.service.deploymentMinimumHealthyPercent = 67),
    "service.deploymentMinimumHealthyPercent",
    "allowed: 0-66",
  ],
  [
    "0% in production with 3 instances",
    productionRaw,
    (r) => Object.assign(r.capacity, { minSize: 3, desiredCapacity: 3 }) && (r.service.deploymentMinimumHealthyPercent = 0),
    "service.deploymentMinimumHealthyPercent",
    "must be above 0 in a production environment with 3 instances",
  ],
  ["a negative percent", stagingRaw, (r) => (r.service.deploymentMinimumHealthyPercent = -1), "service.deploymentMinimumHealthyPercent", ">=0"],
  ["a percent above 100", stagingRaw, (r) => (r.service.deploymentMinimumHealthyPercent = 101), "service.deploymentMinimumHealthyPercent", "<=100"],
  ["a fractional percent", stagingRaw, (r) => (r.service.deploymentMinimumHealthyPercent = 12.5), "service.deploymentMinimumHealthyPercent", "expected int"],
  ["no percent", stagingRaw, (r) => delete r.service.deploymentMinimumHealthyPercent, "service.deploymentMinimumHealthyPercent", "expected number"],
  // scaling and instance refresh
  ["CPU target of 5%", stagingRaw, (r) => (r.capacity.cpuTargetPercent = 5), "capacity.cpuTargetPercent", "must be at least 10"],
  ["CPU target of 95%", stagingRaw, (r) => (r.capacity.cpuTargetPercent = 95), "capacity.cpuTargetPercent", "must be at most 90"],
  ["warm-up of 30 s", stagingRaw, (r) => (r.capacity.instanceWarmupSeconds = 30), "capacity.instanceWarmupSeconds", ">=60"],
  [
    "warm-up shorter than the missing-task alarm",
    stagingRaw,
    (r) => (r.capacity.instanceWarmupSeconds = 300),
    "capacity.instanceWarmupSeconds",
    "must be at least 600 ((alarms.taskShortfallMinutes + 5) x 60)",
  ],
  [
    "a slower missing-task alarm than the warm-up",
    stagingRaw,
    (r) => (r.alarms = { taskShortfallMinutes: 10 }),
    "capacity.instanceWarmupSeconds",
    "must be at least 900 ((alarms.taskShortfallMinutes + 5) x 60)",
  ],
  [
    "the removed ECS managed scaling target",
    stagingRaw,
    (r) => (r.capacity.targetCapacityPercent = 100),
    "capacity",
    'Unrecognized key: "targetCapacityPercent"',
  ],
  [
    "the removed managed termination protection",
    stagingRaw,
    (r) => (r.capacity.managedTerminationProtection = true),
    "capacity",
    'Unrecognized key: "managedTerminationProtection"',
  ],
  // alarms
  [
    "service CPU alarm at 100% (never above the reservation)",
    stagingRaw,
    (r) => (r.alarms = { serviceCpuPercent: 100 }),
    "alarms.serviceCpuPercent",
    "must be below 100",
  ],
  [
    "production alarms that reach nobody",
    productionRaw,
    (r) => (r.alarms = { emailSubscriptions: [] }),
    "alarms.emailSubscriptions",
    "must name who is paged in a production environment",
  ],
  [
    "a reason for no subscriber beside a subscriber",
    stagingRaw,
    (r) => (r.alarms = { emailSubscriptions: ["ops@example.com"], noSubscriberReason: "nobody reads staging alarms before launch" }),
    "alarms.noSubscriberReason",
    "must be left out when alarms.emailSubscriptions or alarms.topicArn names a subscriber",
  ],
  [
    "a group with no room for a refresh",
    stagingRaw,
    (r) => Object.assign(r.capacity, { maxSize: 1 }),
    "capacity.maxSize",
    "must be above capacity.minSize (1)",
  ],
  [
    "Container Insights off",
    stagingRaw,
    (r) => (r.cluster.containerInsights = "disabled"),
    "cluster.containerInsights",
    'must be "enabled" or "enhanced": the missing-task and container-instance alarms read Container Insights metrics',
  ],
  [
    "a queue ARN as the topic",
    stagingRaw,
    (r) => (r.alarms = { topicArn: "arn:aws:sqs:us-east-1:744590032041:alarms" }),
    "alarms.topicArn",
    "must be an SNS topic ARN",
  ],
  [
    "a topic in another region",
    stagingRaw,
    (r) => (r.alarms = { topicArn: "arn:aws:sns:eu-west-1:744590032041:alarms" }),
    "alarms.topicArn",
    "is a topic in the wrong place: region eu-west-1 (must be us-east-1)",
  ],
  [
    "an address without a domain",
    stagingRaw,
    (r) => (r.alarms = { emailSubscriptions: ["ops"] }),
    "alarms.emailSubscriptions.0",
    "must be an email address like ops@example.com",
  ],
  [
    "an address with a template marker",
    stagingRaw,
    (r) => (r.alarms = { emailSubscriptions: ["${var.x}@example.com"] }),
    "alarms.emailSubscriptions.0",
    "must be an email address",
  ],
  [
    "one address twice",
    stagingRaw,
    (r) => (r.alarms = { emailSubscriptions: ["ops@example.com", "OPS@example.com"] }),
    "alarms.emailSubscriptions.1",
    "is listed twice",
  ],
  ["addresses not a list", stagingRaw, (r) => (r.alarms = { emailSubscriptions: "ops@example.com" }), "alarms.emailSubscriptions", "expected array"],
  ["missing-task alarm after 0 minutes", stagingRaw, (r) => (r.alarms = { taskShortfallMinutes: 0 }), "alarms.taskShortfallMinutes", ">=1"],
  ["missing-task alarm after 2 hours", stagingRaw, (r) => (r.alarms = { taskShortfallMinutes: 120 }), "alarms.taskShortfallMinutes", "must be at most 30"],
  ["a 5XX threshold of 0", stagingRaw, (r) => (r.alarms = { target5xxCount: 0 }), "alarms.target5xxCount", ">=1"],
  ["a load balancer 5XX threshold of 0", stagingRaw, (r) => (r.alarms = { loadBalancer5xxCount: 0 }), "alarms.loadBalancer5xxCount", ">=1"],
  ["an unhealthy-target threshold of 0", stagingRaw, (r) => (r.alarms = { unhealthyTargets: 0 }), "alarms.unhealthyTargets", ">=1"],
  ["a response time of 0 s", stagingRaw, (r) => (r.alarms = { targetResponseTimeSeconds: 0 }), "alarms.targetResponseTimeSeconds", ">0"],
  [
    "a response time above the idle timeout",
    stagingRaw,
    (r) => (r.alarms = { targetResponseTimeSeconds: 90 }),
    "alarms.targetResponseTimeSeconds",
    "must be at most 60",
  ],
  ["a misspelt threshold", stagingRaw, (r) => (r.alarms = { instanceCpu: 90 }), "alarms", 'Unrecognized key: "instanceCpu"'],
];

describe("operations rules reject unsafe values, naming the field, the value and what is allowed", () => {
  test.each(badInputs)("%s", (_label, base, change, field, allowed) => {
    const raw = base();
    change(raw);
    const problems = problemsOf(raw);
    const hit = problems.find((p) => p.startsWith(`${field}: `) && p.includes(allowed));
    expect({ problems, hit }).toEqual({ problems, hit: expect.any(String) });
  });

  test("the message shows the value given", () => {
    const raw = productionRaw();
    raw.service.deploymentMinimumHealthyPercent = 0;
    expect(problemsOf(raw)).toContainEqual(expect.stringMatching(/^service\.deploymentMinimumHealthyPercent: must be above 0 .* \(got 0\)$/));
    const staging = stagingRaw();
    staging.alarms = { emailSubscriptions: ["ops"] };
    expect(problemsOf(staging)).toContainEqual(expect.stringContaining('(got "ops")'));
  });

  test("without a load balancer the CPU target is not checked against the task's share (there is no CPU policy)", () => {
    const raw = stagingRaw();
    raw.capacity.cpuTargetPercent = 80;
    expect(problemsOf(raw)).toEqual([]);
  });

  test("a production environment may go without a subscriber only with a reason", () => {
    const raw = productionRaw();
    raw.alarms = { emailSubscriptions: [], noSubscriberReason: "alarms are read from the dashboard until on-call exists" };
    expect(problemsOf(raw)).toEqual([]);
    raw.alarms = { topicArn: "arn:aws:sns:us-east-1:744590032041:team-pager" };
    expect(problemsOf(raw)).toEqual([]);
  });
});
