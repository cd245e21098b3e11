import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { policyDocument } from "../shared/iam-policy";

export interface PipelineFailureNotificationProps {
  /** The rule's name (the alarm topic admits rules named `<environment prefix>-*`). */
  readonly name: string;
  /** The dead-letter queue's name, and its depth alarm's (the topic admits the alarm's prefix). */
  readonly deadLetter: { readonly queueName: string; readonly alarmName: string };
  /** The pipeline whose failed runs are announced. */
  readonly pipelineName: string;
  /** The topic the announcement goes to (its policy lets events.amazonaws.com publish, its key too). */
  readonly topicArn: string;
  /** The build's log group, named in the message as the first place to look. */
  readonly buildLogGroupName: string;
  /** The account whose rule alone may send to the dead-letter queue. */
  readonly accountId: string;
}

/** Days a failed announcement waits in the dead-letter queue (SQS's maximum, 14). */
export const DEAD_LETTER_RETENTION_DAYS = 14;

/**
 * Announces every failed run of the image pipeline on the alarm topic: an EventBridge rule on CodePipeline's
 * "Pipeline Execution State Change" events with state FAILED, and the topic as its target with a message
 * that says which run failed and where to look first.
 * An announcement EventBridge cannot deliver (the topic's policy or key refuses it, the topic is gone) is not
 * lost: after its retries it goes to an encrypted dead-letter queue, and an alarm on that queue's depth
 * notifies the same topic through CloudWatch (a different publisher, with its own grant).
 * Reference: https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export class PipelineFailureNotification extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly deadLetterQueue: SqsQueue;
  /** Undelivered announcements waiting in the dead-letter queue. */
  readonly undelivered: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: PipelineFailureNotificationProps) {
    super(scope, id);
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: props.name,
      description: `Failed runs of CodePipeline ${props.pipelineName}`,
      eventPattern: JSON.stringify({
        source: ["aws.codepipeline"],
        "detail-type": ["CodePipeline Pipeline Execution State Change"],
        detail: { state: ["FAILED"], pipeline: [props.pipelineName] },
      }),
    });
    // SSE-SQS: no key policy to grant events.amazonaws.com (a customer key would need one); the queue
    // policy admits only this rule.
    this.deadLetterQueue = new SqsQueue(this, "dead_letter_queue", {
      name: props.deadLetter.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_DAYS * 24 * 3600,
    });
    new SqsQueuePolicy(this, "dead_letter_queue_policy", {
      queueUrl: this.deadLetterQueue.url,
      policy: policyDocument([
        {
          Sid: "OnlyThisRuleSendsHere",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: this.deadLetterQueue.arn,
          Condition: { ArnEquals: { "aws:SourceArn": this.rule.arn }, StringEquals: { "aws:SourceAccount": props.accountId } },
        },
      ]),
    });
    this.undelivered = new CloudwatchMetricAlarm(this, "undelivered", {
      alarmName: props.deadLetter.alarmName,
      alarmDescription:
        `A failed-pipeline announcement could not be delivered to the alarm topic and waits in SQS queue ${props.deadLetter.queueName} ` +
        `(kept ${DEAD_LETTER_RETENTION_DAYS} days). Check first: the message's attributes (ERROR_CODE, ERROR_MESSAGE), then the topic's policy and key.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: this.deadLetterQueue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      // An empty queue that nothing touched reports nothing for hours: that is the good case.
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
    new CloudwatchEventTarget(this, "to_topic", {
      rule: this.rule.name,
      arn: props.topicArn,
      deadLetterConfig: { arn: this.deadLetterQueue.arn },
      // Up to a day of retries (EventBridge's defaults), then the dead-letter queue.
      retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
      // A plain-text message: the template is a JSON string, its <placeholders> filled from the event.
      inputTransformer: {
        inputPaths: { pipeline: "$.detail.pipeline", execution: "$.detail.execution-id", time: "$.time" },
        inputTemplate: JSON.stringify(
          "CodePipeline <pipeline> run <execution> FAILED at <time>. Check first: the failed stage in the CodePipeline console " +
            `(Build: the CodeBuild log group ${props.buildLogGroupName}; Deploy: the ECS service's Events tab and stopped tasks).`,
        ),
      },
    });
  }
}
