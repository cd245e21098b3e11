import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { PipelineFailureNotification } from "../../../src/constructs/observability/pipeline-failure-notification";
import { only, ref, refNamed, stagingConfig, synthConstruct, synthPlatform } from "../../helpers";

const { synth, json } = synthPlatform();

describe("failed pipeline runs", () => {
  test("an EventBridge rule matches the pipeline's FAILED executions", () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchEventRule, { name: "myslp-staging-pipeline-failed" });
    expect(JSON.parse(only(json, "aws_cloudwatch_event_rule").event_pattern)).toEqual({
      source: ["aws.codepipeline"],
      "detail-type": ["CodePipeline Pipeline Execution State Change"],
      detail: { state: ["FAILED"], pipeline: [ref(json, "aws_codepipeline", "name")] },
    });
  });

  test("are announced on the alarm topic with the run and where to look first", () => {
    const target = only(json, "aws_cloudwatch_event_target");
    expect(target.rule).toBe(ref(json, "aws_cloudwatch_event_rule", "name"));
    expect(target.arn).toBe(ref(json, "aws_sns_topic", "arn"));
    expect(target.input_transformer.input_paths).toEqual({ pipeline: "$.detail.pipeline", execution: "$.detail.execution-id", time: "$.time" });
    const message: string = JSON.parse(target.input_transformer.input_template);
    expect(message).toMatch(/^CodePipeline <pipeline> run <execution> FAILED at <time>\. Check first: /);
    expect(message).toContain(refNamed(json, "aws_cloudwatch_log_group", "build_log_group", "name"));
  });

  test("the topic's policy admits the rule's name", () => {
    const statement = JSON.parse(only(json, "aws_sns_topic_policy").policy).Statement.find((s: any) => s.Principal.Service === "events.amazonaws.com");
    const rule = only(json, "aws_cloudwatch_event_rule").name as string;
    const pattern = statement.Condition.ArnLike["aws:SourceArn"] as string;
    expect(`arn:aws:events:us-east-1:744590032041:rule/${rule}`.startsWith(pattern.replace(/\*$/, ""))).toBe(true);
  });

  test("an environment without a pipeline has no rule", () => {
    const j = synthPlatform(stagingConfig((r) => delete r.pipeline)).json;
    expect(j.resource.aws_cloudwatch_event_rule).toBeUndefined();
    expect(j.resource.aws_cloudwatch_event_target).toBeUndefined();
  });
});

describe("an announcement that cannot be delivered is kept and reported (construct alone)", () => {
  // GIVEN the construct with explicit props, WHEN synthesized, THEN the target has a dead-letter queue.
  const { json: alone } = synthConstruct((scope) => {
    new PipelineFailureNotification(scope, "failure", {
      name: "app-env-pipeline-failed",
      deadLetter: { queueName: "app-env-pipeline-failed-undelivered", alarmName: "app-env-pipeline-failed-undelivered" },
      pipelineName: "app-env-image",
      topicArn: "arn:aws:sns:us-east-1:111122223333:app-env-alarms",
      buildLogGroupName: "/codebuild/app-env-image",
      accountId: "111122223333",
    });
  });
  const queue = only(alone, "aws_sqs_queue");

  test("the target retries, then sends to an encrypted dead-letter queue", () => {
    const target = only(alone, "aws_cloudwatch_event_target");
    expect(target.dead_letter_config).toEqual({ arn: ref(alone, "aws_sqs_queue", "arn") });
    expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 });
    expect(queue).toMatchObject({ name: "app-env-pipeline-failed-undelivered", sqs_managed_sse_enabled: true, message_retention_seconds: 14 * 24 * 3600 });
  });

  test("only this rule of this account may send to the queue", () => {
    const document = JSON.parse(only(alone, "aws_sqs_queue_policy").policy);
    expect(document.Statement).toEqual([
      {
        Sid: "OnlyThisRuleSendsHere",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: ref(alone, "aws_sqs_queue", "arn"),
        Condition: { ArnEquals: { "aws:SourceArn": ref(alone, "aws_cloudwatch_event_rule", "arn") }, StringEquals: { "aws:SourceAccount": "111122223333" } },
      },
    ]);
  });

  test("an alarm on the queue's depth notifies the same topic, alarm and recovery", () => {
    expect(only(alone, "aws_cloudwatch_metric_alarm")).toMatchObject({
      alarm_name: "app-env-pipeline-failed-undelivered",
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: ref(alone, "aws_sqs_queue", "name") },
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treat_missing_data: "notBreaching",
      alarm_actions: ["arn:aws:sns:us-east-1:111122223333:app-env-alarms"],
      ok_actions: ["arn:aws:sns:us-east-1:111122223333:app-env-alarms"],
    });
  });
});
