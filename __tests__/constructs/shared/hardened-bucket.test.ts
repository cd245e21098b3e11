// GIVEN a hardened bucket with explicit props, WHEN synthesized alone, THEN it carries the storage baseline.
import { elbLogDeliveryPrincipal, HardenedBucket } from "../../../src/constructs/shared/hardened-bucket";
import { PlatformKey } from "../../../src/constructs/shared/platform-key";
import { only, policy, ref, synthConstruct } from "../../helpers";

describe("HardenedBucket (construct alone)", () => {
  const { json } = synthConstruct((scope) => {
    new HardenedBucket(scope, "store", {
      bucketName: "app-env-store-111122223333",
      encryption: { kind: "kms", keyArn: "arn:aws:kms:us-east-1:111122223333:key/k", bucketKey: false },
      noncurrentVersionExpiryDays: 30,
      currentVersionExpiryDays: 7,
    });
  });

  test("versioned, SSE-KMS with the given key and Bucket Key setting, public access blocked, ACLs disabled", () => {
    expect(only(json, "aws_s3_bucket").bucket).toBe("app-env-store-111122223333");
    expect(only(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(only(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:us-east-1:111122223333:key/k" },
        bucket_key_enabled: false,
      },
    ]);
    expect(only(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(only(json, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request without TLS", () => {
    const statements = policy(only(json, "aws_s3_bucket_policy").policy as string).Statement;
    const deny = statements.find((s) => s.Effect === "Deny");
    expect(deny.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    expect(deny.Resource).toEqual([ref(json, "aws_s3_bucket", "arn"), `${ref(json, "aws_s3_bucket", "arn")}/*`]);
  });

  test("expires current objects and old versions after the given days", () => {
    const rules = JSON.stringify(only(json, "aws_s3_bucket_lifecycle_configuration").rule);
    expect(rules).toContain('"days":7');
    expect(rules).toContain('"noncurrent_days":30');
  });
});

describe("PlatformKey (construct alone)", () => {
  const { json } = synthConstruct((scope) => {
    new PlatformKey(scope, "key", { alias: "app-env", accountId: "111122223333", region: "eu-west-1", description: "app-env: logs" });
  });

  test("rotates yearly, has the alias, and lets only this account's log groups use it through CloudWatch Logs", () => {
    const key = only(json, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, description: "app-env: logs" });
    expect(only(json, "aws_kms_alias").name).toBe("alias/app-env");
    const logs = policy(key.policy as string).Statement.find((s) => s.Sid === "CloudWatchLogsForThisAccount");
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe("arn:aws:logs:eu-west-1:111122223333:log-group:*");
  });
});

describe("who may write load balancer access logs (elbLogDeliveryPrincipal)", () => {
  test.each([
    ["us-east-1", { AWS: "arn:aws:iam::127311923021:root" }],
    ["ap-southeast-1", { AWS: "arn:aws:iam::114774131450:root" }],
    ["cn-north-1", { AWS: "arn:aws-cn:iam::638102146993:root" }],
    ["us-gov-west-1", { AWS: "arn:aws-us-gov:iam::048591011584:root" }],
    ["ap-southeast-5", { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }],
  ])("%s: the Region's ELB account where it has one, else the log delivery service", (region, principal) => {
    expect(elbLogDeliveryPrincipal(region)).toEqual(principal);
  });
});
