import { Construct } from "constructs";
import { partitionOf } from "../../config/naming";
import ELB_LOG_DELIVERY_ACCOUNTS from "./elb-log-delivery-accounts.json";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PolicyStatement, policyDocument } from "./iam-policy";
import { acceptFinding } from "./policy-exceptions";

/** How objects are encrypted at rest. */
export type BucketEncryption =
  /** SSE-S3 (AES256): the only option for a bucket that receives S3 server access logs. */
  | { readonly kind: "sse-s3" }
  /** SSE-KMS with a customer-managed key (or the AWS-managed aws/s3 key when no ARN is given). */
  | {
      readonly kind: "kms";
      readonly keyArn?: string;
      /**
       * S3 Bucket Keys cache a bucket-level data key, which cuts KMS requests but puts the bucket's ARN, not the
       * object's, in the encryption context: off where key use is granted per object (the state bucket).
       * @default true
       */
      readonly bucketKey?: boolean;
    };

export interface HardenedBucketProps {
  /** The bucket's globally unique name. */
  readonly bucketName: string;
  /** How objects are encrypted at rest. */
  readonly encryption: BucketEncryption;
  /** Where S3 server access logs go. @default none: only for the log bucket itself */
  readonly accessLogs?: { readonly target: AccessLogBucket; readonly prefix: string };
  /** Days after which superseded object versions are deleted. */
  readonly noncurrentVersionExpiryDays: number;
  /** Days after which current objects expire (e.g. pipeline artifacts). @default never */
  readonly currentVersionExpiryDays?: number;
  /** Statements added to the bucket policy after the TLS-only deny. @default none */
  readonly extraPolicyStatements?: (bucketArn: string) => PolicyStatement[];
  /** Policy-scanner findings this bucket accepts on purpose: check id -> reason. @default none */
  readonly acceptedFindings?: Readonly<Record<string, string>>;
}

/**
 * A private bucket with the baseline reviewers expect: versioned, encrypted, public access blocked, ACLs
 * disabled, TLS-only, access-logged, and old versions cleaned up.
 */
export class HardenedBucket extends Construct {
  readonly bucketName: string;
  readonly arn: string;
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id);
    const bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName });
    this.bucket = bucket;
    this.bucketName = bucket.bucket;
    this.arn = bucket.arn;
    for (const [checkId, reason] of Object.entries(props.acceptedFindings ?? {})) acceptFinding(bucket, checkId, reason);

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    const { encryption } = props;
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: bucket.id,
      rule: [
        encryption.kind === "kms"
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.keyArn },
              bucketKeyEnabled: encryption.bucketKey ?? true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false },
      ],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access_logging", {
        bucket: bucket.id,
        targetBucket: props.accessLogs.target.bucketName,
        targetPrefix: props.accessLogs.prefix,
        // S3 checks that the target bucket lets the logging service write before it accepts the setting.
        dependsOn: [props.accessLogs.target.policy],
      });
    }
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "clean-up",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpiryDays }],
          ...(props.currentVersionExpiryDays ? { expiration: [{ days: props.currentVersionExpiryDays }] } : {}),
        },
      ],
    });
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: bucket.id,
      policy: policyDocument([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "s3:*",
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.extraPolicyStatements?.(bucket.arn) ?? []),
      ]),
    });
  }
}

/**
 * Who writes Application Load Balancer access logs: in the Regions that have one, the Region's Elastic Load
 * Balancing account; in the others (every Region opened since 2022) the log delivery service principal
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). AWS assigns
 * no new such accounts, so the list is closed; `npm run test:engine` checks it against the AWS provider's own
 * (data.aws_elb_service_account): the same account for each listed Region, none for newer ones.
 */
export function elbLogDeliveryPrincipal(region: string): Record<string, string> {
  const account = (ELB_LOG_DELIVERY_ACCOUNTS as Readonly<Record<string, string>>)[region];
  return account ? { AWS: `arn:${partitionOf(region)}:iam::${account}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
}

export interface AccessLogBucketProps {
  /** The bucket's globally unique name. */
  readonly bucketName: string;
  /** The account whose load balancer and S3 log deliveries may write (aws:SourceAccount). */
  readonly accountId: string;
  /** The region of the Elastic Load Balancing log delivery. */
  readonly region: string;
  /** Days server access logs are kept. */
  readonly retentionDays: number;
}

/**
 * The bucket that receives the S3 server access logs of a stack's other buckets, and its load balancer's
 * access logs (under alb/).
 * Reference: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export class AccessLogBucket extends HardenedBucket {
  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      // S3 delivers server access logs only to SSE-S3 buckets.
      encryption: { kind: "sse-s3" },
      noncurrentVersionExpiryDays: 7,
      currentVersionExpiryDays: props.retentionDays,
      extraPolicyStatements: (arn) => [
        {
          Sid: "S3ServerAccessLogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        },
        {
          Sid: "LoadBalancerAccessLogDelivery",
          Effect: "Allow",
          Principal: elbLogDeliveryPrincipal(props.region),
          Action: "s3:PutObject",
          Resource: `${arn}/alb/AWSLogs/${props.accountId}/*`,
        },
      ],
      acceptedFindings: {
        CKV_AWS_145: "S3 server access log delivery supports only SSE-S3 on the destination bucket, not SSE-KMS.",
        CKV_AWS_144: "Access logs are kept for audit in this region; replicating them to a second region is not required.",
        CKV2_AWS_62: "Nothing consumes events from the access-log bucket; notifications would have no subscriber.",
      },
    });
  }
}
