import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { validateEnvironment } from "../../src/config";
import { local } from "../../src/config/local";
import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { only, synthPlatform } from "../helpers";

describe("the local environment as the cdktf CLI synthesizes it", () => {
  const { synth, json } = synthPlatform(validateEnvironment(local));

  test("requires the provider version the local engine has, and keeps state in a local file", () => {
    expect((json.terraform.required_providers as { aws: { version: string } }).aws.version).toBe("5.100.0");
    expect(json.terraform.backend).toEqual({ local: { path: "terraform.test.tfstate" } });
  });

  test("addresses S3 path-style and skips the checks only AWS answers", () => {
    expect(json.provider.aws[0]).toMatchObject({
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_metadata_api_check: "true",
      allowed_account_ids: ["744590032041"],
    });
    // The endpoint itself comes from AWS_ENDPOINT_URL at run time: nothing in the JSON points anywhere.
    expect(json.provider.aws[0].endpoints).toBeUndefined();
  });

  test("deletes the database secret at once on destroy, so the next deploy can reuse its name", () => {
    expect(synth).toHaveResourceWithProperties(SecretsmanagerSecret, { name: "myslp/local/wordpress-db-password", recovery_window_in_days: 0 });
  });

  test("writes a repository the 5.x provider accepts (no tag exclusions before 6.0)", () => {
    expect(synth).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "IMMUTABLE" });
    expect(only(json, "aws_ecr_repository").image_tag_mutability_exclusion_filter).toBeUndefined();
  });
});

describe("a real environment is unchanged by those options", () => {
  const { synth, json } = synthPlatform();

  test("keeps the provider bindings' own pin and no local-endpoint settings", () => {
    const plain = new TerraformStack(Testing.app() as App, "plain");
    new AwsProvider(plain, "aws", { region: "us-east-1" });
    const pinned = JSON.parse(Testing.synth(plain)).terraform.required_providers;
    expect(pinned.aws.version).toMatch(/^6\./);
    expect(json.terraform.required_providers).toEqual(pinned);
    expect(json.provider.aws[0].s3_use_path_style).toBeUndefined();
    expect(json.provider.aws[0].skip_credentials_validation).toBeUndefined();
  });

  test("keeps a 30-day recovery window and the repository's tag exclusions", () => {
    expect(synth).toHaveResourceWithProperties(SecretsmanagerSecret, { recovery_window_in_days: 30 });
    expect(synth).toHaveResourceWithProperties(EcrRepository, { image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION" });
  });
});
