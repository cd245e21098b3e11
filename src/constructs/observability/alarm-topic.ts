import { Construct } from "constructs";
import { TerraformIterator } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { policyDocument } from "../shared/iam-policy";

export interface AlarmTopicProps {
  /** Name of the topic this construct creates. @default none: required unless existingTopicArn is given */
  readonly name?: string;
  /**
   * An existing topic to notify instead (same region). Its owner lets cloudwatch.amazonaws.com and
   * events.amazonaws.com publish, and its key lets them use it.
   * @default a new topic, encrypted with kmsKeyArn
   */
  readonly existingTopicArn?: string;
  /** Addresses subscribed by email; each confirms once from the message SNS sends. @default none */
  readonly emailSubscriptions?: readonly string[];
  /** The environment's key (its policy lets CloudWatch alarms and EventBridge use it, see PlatformKey). */
  readonly kmsKeyArn: string;
  /** The account whose alarms and rules alone may publish (aws:SourceAccount). */
  readonly accountId: string;
  /** The region of those alarms and rules (in aws:SourceArn). */
  readonly region: string;
  /** Only alarms and EventBridge rules named `<publisherNamePrefix>-*` in this account may publish. */
  readonly publisherNamePrefix: string;
}

/**
 * Where an environment's alarms and pipeline failures go: an SNS topic encrypted with the environment's key,
 * a topic policy that lets only this environment's alarms and event rules publish, and the configured email
 * subscriptions (none by default: subscribe in config or in the SNS console, see docs/operations.md).
 */
export class AlarmTopic extends Construct {
  readonly arn: string;
  /** The topic this construct created; undefined when an existing topic is used. */
  readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.existingTopicArn) {
      this.arn = props.existingTopicArn;
    } else {
      if (!props.name) throw new Error("AlarmTopic: give a name for the new topic, or existingTopicArn (config alarms.topicArn)");
      const topic = new SnsTopic(this, "topic", {
        name: props.name,
        displayName: props.name,
        // SSE-KMS with the customer key: messages describe the platform's state.
        kmsMasterKeyId: props.kmsKeyArn,
      });
      this.topic = topic;
      this.arn = topic.arn;
      // Confused-deputy guard: the service principals publish only on behalf of this account's alarms and
      // rules of this environment (CloudWatch and EventBridge send aws:SourceAccount and aws:SourceArn).
      // Reference: https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
      const publisher = (sid: string, service: string, sourceArn: string) => ({
        Sid: sid,
        Effect: "Allow" as const,
        Principal: { Service: service },
        Action: "sns:Publish",
        Resource: topic.arn,
        Condition: { StringEquals: { "aws:SourceAccount": props.accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
      });
      new SnsTopicPolicy(this, "policy", {
        arn: topic.arn,
        policy: policyDocument([
          publisher(
            "AlarmsOfThisEnvironment",
            "cloudwatch.amazonaws.com",
            `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:${props.publisherNamePrefix}-*`,
          ),
          publisher(
            "EventRulesOfThisEnvironment",
            "events.amazonaws.com",
            `arn:aws:events:${props.region}:${props.accountId}:rule/${props.publisherNamePrefix}-*`,
          ),
        ]),
      });
    }

    const addresses = props.emailSubscriptions ?? [];
    if (addresses.length > 0) {
      // One resource per address, keyed by the address: removing one leaves the others (and their
      // confirmations) alone.
      const address = TerraformIterator.fromList([...addresses]);
      new SnsTopicSubscription(this, "email", {
        forEach: address,
        topicArn: this.arn,
        protocol: "email",
        endpoint: address.value,
      });
    }
  }
}
