import { Testing } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AlarmTopic, AlarmTopicProps } from "../../../src/constructs/observability/alarm-topic";
import { only, policy, ref, stagingConfig, synthPlatform, TerraformJson } from "../../helpers";

const base: AlarmTopicProps = {
  name: "myslp-test-alarms",
  kmsKeyArn: "arn:aws:kms:us-east-1:744590032041:key/0123abcd-0123-4567-89ab-0123456789ab",
  accountId: "744590032041",
  region: "us-east-1",
  publisherNamePrefix: "myslp-test",
};

function synthTopic(props: Partial<AlarmTopicProps> = {}): { synth: string; json: TerraformJson; topic: AlarmTopic } {
  let topic!: AlarmTopic;
  const synth = Testing.synthScope((scope) => {
    topic = new AlarmTopic(scope, "alarm_topic", { ...base, ...props });
  });
  return { synth, json: JSON.parse(synth), topic };
}

describe("alarm topic", () => {
  const { synth, json } = synthTopic();

  test("is encrypted with the environment's key", () => {
    expect(synth).toHaveResourceWithProperties(SnsTopic, { name: "myslp-test-alarms", kms_master_key_id: base.kmsKeyArn });
  });

  test("lets only this environment's alarms and event rules in this account publish", () => {
    const statements = policy(only(json, "aws_sns_topic_policy").policy).Statement;
    const topicArn = ref(json, "aws_sns_topic", "arn");
    expect(only(json, "aws_sns_topic_policy").arn).toBe(topicArn);
    expect(statements).toEqual([
      {
        Sid: "AlarmsOfThisEnvironment",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "744590032041" },
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:744590032041:alarm:myslp-test-*" },
        },
      },
      {
        Sid: "EventRulesOfThisEnvironment",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "744590032041" },
          ArnLike: { "aws:SourceArn": "arn:aws:events:us-east-1:744590032041:rule/myslp-test-*" },
        },
      },
    ]);
  });

  test("has no subscription by default", () => {
    expect(synth).not.toHaveResource(SnsTopicSubscription);
  });

  test("subscribes each configured address by email, one resource per address", () => {
    const { json: j } = synthTopic({ emailSubscriptions: ["ops@example.com", "oncall@example.com"] });
    const subscription = only(j, "aws_sns_topic_subscription");
    expect(subscription).toMatchObject({ protocol: "email", topic_arn: ref(j, "aws_sns_topic", "arn"), endpoint: "${each.value}" });
    expect(subscription.for_each).toBe('${toset(["ops@example.com", "oncall@example.com"])}');
  });

  test("an existing topic is used as it is: no topic, no policy, subscriptions on it", () => {
    const arn = "arn:aws:sns:us-east-1:744590032041:team-alarms";
    const { json: j, topic } = synthTopic({ existingTopicArn: arn, emailSubscriptions: ["ops@example.com"] });
    expect(topic.arn).toBe(arn);
    expect(topic.topic).toBeUndefined();
    expect(j.resource.aws_sns_topic).toBeUndefined();
    expect(j.resource.aws_sns_topic_policy).toBeUndefined();
    expect(only(j, "aws_sns_topic_subscription").topic_arn).toBe(arn);
  });
});

describe("the environment's key lets the publishers use the encrypted topic", () => {
  const { json } = synthPlatform();

  test("CloudWatch alarms and EventBridge may generate data keys and decrypt with it", () => {
    const statement = policy(only(json, "aws_kms_key").policy).Statement.find((s) => s.Sid === "AlarmsAndEventsPublishToEncryptedTopic");
    expect(statement).toEqual({
      Sid: "AlarmsAndEventsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    });
    expect(only(json, "aws_sns_topic")).toMatchObject({ name: "myslp-staging-alarms", kms_master_key_id: ref(json, "aws_kms_key", "arn") });
  });

  test("config's addresses and existing topic reach the stack", () => {
    const arn = "arn:aws:sns:us-east-1:744590032041:team-alarms";
    const j = synthPlatform(stagingConfig((r) => (r.alarms = { topicArn: arn, emailSubscriptions: ["ops@example.com"] }))).json;
    expect(j.resource.aws_sns_topic).toBeUndefined();
    expect(only(j, "aws_sns_topic_subscription").topic_arn).toBe(arn);
    for (const alarm of Object.values(j.resource.aws_cloudwatch_metric_alarm)) expect(alarm.alarm_actions).toEqual([arn]);
    expect(only(j, "aws_cloudwatch_event_target").arn).toBe(arn);
  });
});
