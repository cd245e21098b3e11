import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { StateBootstrapStack } from "../../src/stacks/state-bootstrap-stack";
import { all, policy, refNamed, synthPlatform, TerraformJson } from "../helpers";

describe("environment state", () => {
  const { json } = synthPlatform();

  test("lives in S3 with a key per environment, encrypted, with S3-native locking", () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "myslp-terraform-state-744590032041-us-east-1",
        key: "myslp/staging/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  test("uses no DynamoDB lock table", () => {
    expect(JSON.stringify(json.terraform.backend)).not.toMatch(/dynamodb/);
  });
});

describe("provider", () => {
  const { json } = synthPlatform();
  const provider = json.provider.aws[0];

  test("targets us-east-1 and only the spec's account", () => {
    expect(provider.region).toBe("us-east-1");
    expect(provider.allowed_account_ids).toEqual(["744590032041"]);
  });

  test("tags everything with project, environment and managed-by", () => {
    expect(provider.default_tags).toEqual([{ tags: { Project: "myslp", Environment: "staging", ManagedBy: "cdktf" } }]);
  });
});

describe("state bootstrap stack", () => {
  const app = Testing.app();
  const stack = new StateBootstrapStack(app, "bootstrap", {
    project: "myslp",
    accountId: "744590032041",
    region: "us-east-1",
    bucketNames: ["myslp-terraform-state-744590032041-us-east-1", "myslp-terraform-state-744590032041-us-east-1"],
    accessLogBucketName: "myslp-terraform-state-logs-744590032041-us-east-1",
  });
  const synth = Testing.synth(stack);
  const json = JSON.parse(synth) as TerraformJson;
  const bucket = refNamed(json, "aws_s3_bucket", "state_", "id");
  const forBucket = (type: string) => all(json, type).find((r) => r.bucket === bucket)!;

  test("keeps its own state locally", () => {
    expect(json.terraform.backend).toEqual({ local: { path: "terraform.bootstrap.tfstate" } });
  });

  test("creates the state bucket once, and a bucket for its access logs", () => {
    expect(
      all(json, "aws_s3_bucket")
        .map((b) => b.bucket)
        .sort(),
    ).toEqual(["myslp-terraform-state-744590032041-us-east-1", "myslp-terraform-state-logs-744590032041-us-east-1"]);
    expect(synth).toHaveResourceWithProperties(S3Bucket, { bucket: "myslp-terraform-state-744590032041-us-east-1" });
  });

  test("logs access to the state bucket", () => {
    expect(forBucket("aws_s3_bucket_logging")).toMatchObject({
      target_bucket: refNamed(json, "aws_s3_bucket", "access_logs", "bucket"),
      target_prefix: "myslp-terraform-state-744590032041-us-east-1/",
    });
    const delivery = policy(all(json, "aws_s3_bucket_policy").find((p) => p.bucket === refNamed(json, "aws_s3_bucket", "access_logs", "id"))!.policy);
    expect(delivery.Statement[1]).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Condition: { StringEquals: { "aws:SourceAccount": "744590032041" } },
    });
  });

  test("versions, encrypts and blocks public access to it", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, { bucket, versioning_configuration: { status: "Enabled" } });
    expect(synth).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket,
      // The state key, per object (no Bucket Key): a deploy role's key use is limited to its own state objects.
      rule: [
        {
          apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.state_key/) },
          bucket_key_enabled: false,
        },
      ],
    });
    expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(forBucket("aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request that is not over TLS", () => {
    const document = policy(forBucket("aws_s3_bucket_policy").policy);
    const arn = refNamed(json, "aws_s3_bucket", "state_", "arn");
    expect(document.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  test("keeps old state versions for 90 days", () => {
    const rule = forBucket("aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    expect(rule.expiration).toBeUndefined();
  });
});
