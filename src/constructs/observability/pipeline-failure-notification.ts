import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";

export interface PipelineFailureNotificationProps {
  /** The rule's name (the alarm topic admits rules named `<environment prefix>-*`). */
  readonly name: string;
  /** The pipeline whose failed runs are announced. */
  readonly pipelineName: string;
  /** The topic the announcement goes to (its policy lets events.amazonaws.com publish, its key too). */
  readonly topicArn: string;
  /** The build's log group, named in the message as the first place to look. */
  readonly buildLogGroupName: string;
}

/**
 * Announces every failed run of the image pipeline on the alarm topic: an EventBridge rule on CodePipeline's
 * "Pipeline Execution State Change" events with state FAILED, and the topic as its target with a message
 * that says which run failed and where to look first.
 * Reference: https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 */
export class PipelineFailureNotification extends Construct {
  readonly rule: CloudwatchEventRule;

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
    new CloudwatchEventTarget(this, "to_topic", {
      rule: this.rule.name,
      arn: props.topicArn,
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
