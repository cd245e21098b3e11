import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { ImageRepository, lifecycleRules } from "../../../src/constructs/delivery/image-repository";
import { only, ref, stagingConfig, synthConstruct } from "../../helpers";

// The repository alone, with staging's settings (the stack passes the tag its task runs as the moving tag).
const { imageRepository } = stagingConfig();
const { synth, json } = synthConstruct((scope) => new ImageRepository(scope, "image_repository", { ...imageRepository, movingTags: ["staging"] }));

describe("ECR repository", () => {
  test("is the spec's myslp2024-aarch64, scanned on push and encrypted", () => {
    expect(synth).toHaveResourceWithProperties(EcrRepository, {
      name: "myslp2024-aarch64",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "AES256" }],
    });
  });

  test("keeps tags immutable except the staging tag the task runs", () => {
    expect(synth).toHaveResourceWithProperties(EcrRepository, {
      image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION",
      image_tag_mutability_exclusion_filter: [{ filter: "staging", filter_type: "WILDCARD" }],
    });
  });

  test("has a lifecycle policy that keeps the staging image and the recent ones", () => {
    const lifecycle = only(json, "aws_ecr_lifecycle_policy");
    expect(lifecycle.repository).toBe(ref(json, "aws_ecr_repository", "name"));
    const { rules } = JSON.parse(lifecycle.policy);
    expect(rules[0]).toEqual({
      rulePriority: 1,
      description: "Keep the image tagged staging",
      selection: { tagStatus: "tagged", tagPatternList: ["staging"], countType: "imageCountMoreThan", countNumber: 1 },
      action: { type: "expire" },
    });
    expect(rules[1].selection).toEqual({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 });
    expect(rules[2].selection).toEqual({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 });
  });

  test("orders rules so the 'any' rule comes last, as ECR requires", () => {
    const rules = lifecycleRules({ movingTags: ["staging", "production"], keepImageCount: 5, untaggedExpiryDays: 3 });
    expect(rules.map((r) => r.rulePriority)).toEqual([1, 2, 3, 4]);
    expect(rules[rules.length - 1].selection.tagStatus).toBe("any");
    expect(rules.filter((r) => r.selection.tagStatus === "any")).toHaveLength(1);
  });
});
