import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { only, ref, refNamed, stagingConfig, synthPlatform } from "../../helpers";

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
