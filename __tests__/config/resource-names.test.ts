/*
 * The configuration rules check names (class 4: AWS limits; class 5: clashes) from one list,
 * resourceNames(env). That list must be the names the stack really creates: synthesize and compare, both ways.
 */
import { App, Testing } from "cdktf";
import { validateEnvironment } from "../../src/config";
import { production } from "../../src/config/production";
import { resourceNames } from "../../src/config/rules/names";
import { PlatformStack } from "../../src/stacks/platform-stack";
import { stagingRaw } from "../helpers";

/** Which Terraform resource type and attribute carries each kind of name. */
const WHERE: Record<string, [string, string]> = {
  "ECS cluster": ["aws_ecs_cluster", "name"],
  "Auto Scaling group": ["aws_autoscaling_group", "name"],
  "ECS capacity provider": ["aws_ecs_capacity_provider", "name"],
  "ECS task family": ["aws_ecs_task_definition", "family"],
  "IAM role": ["aws_iam_role", "name"],
  "IAM instance profile": ["aws_iam_instance_profile", "name"],
  "IAM role policy": ["aws_iam_role_policy", "name"],
  "CloudWatch log group": ["aws_cloudwatch_log_group", "name"],
  "security group": ["aws_security_group", "name"],
  "KMS alias": ["aws_kms_alias", "name"],
  "S3 bucket": ["aws_s3_bucket", "bucket"],
  "Secrets Manager secret": ["aws_secretsmanager_secret", "name"],
  "launch template": ["aws_launch_template", "name"],
  "load balancer": ["aws_lb", "name"],
  "target group": ["aws_lb_target_group", "name"],
  "WAF web ACL": ["aws_wafv2_web_acl", "name"],
  "CodePipeline pipeline": ["aws_codepipeline", "name"],
  "CodeBuild project": ["aws_codebuild_project", "name"],
  "EventBridge rule": ["aws_cloudwatch_event_rule", "name"],
  "SNS topic": ["aws_sns_topic", "name"],
  "SQS queue": ["aws_sqs_queue", "name"],
  "CloudWatch alarm": ["aws_cloudwatch_metric_alarm", "alarm_name"],
  "CloudWatch dashboard": ["aws_cloudwatch_dashboard", "dashboard_name"],
  "scaling policy": ["aws_autoscaling_policy", "name"],
};
/** Kinds whose every synthesized name must be listed (the others have stack-internal names too). */
const COMPLETE = Object.keys(WHERE).filter((k) => !["IAM role policy", "security group"].includes(k));

const environments: [string, () => any][] = [
  ["staging", () => stagingRaw()],
  ["production", () => JSON.parse(JSON.stringify(production))],
  [
    "staging with an existing alarm topic",
    () => {
      const r = stagingRaw();
      r.alarms = { topicArn: "arn:aws:sns:us-east-1:744590032041:team-alarms" };
      return r;
    },
  ],
];

describe("resourceNames lists the names the stack creates", () => {
  test.each(environments)("%s", (_label, raw) => {
    const env = validateEnvironment(raw());
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app() as App, "names", env)));
    const synthesized = (kind: string) => {
      const [type, attribute] = WHERE[kind];
      return Object.values(json.resource[type] ?? {})
        .map((r: any) => r[attribute])
        .filter((n) => typeof n === "string");
    };
    const listed = resourceNames(env);
    for (const n of listed)
      expect({ kind: n.kind, name: n.name, in: synthesized(n.kind) }).toEqual({ kind: n.kind, name: n.name, in: expect.arrayContaining([n.name]) });
    for (const kind of COMPLETE) {
      expect({ kind, names: synthesized(kind).sort() }).toEqual({ kind, names: [...new Set(listed.filter((n) => n.kind === kind).map((n) => n.name))].sort() });
    }
  });
});
