import { Construct } from "constructs";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { DataAwsEcrRepository } from "@cdktf/provider-aws/lib/data-aws-ecr-repository";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { acceptFinding } from "../shared/policy-exceptions";

export interface ImageRepositoryProps {
  /** The repository's name (the spec's `myslp2024-aarch64` for staging). */
  readonly name: string;
  /** false: the repository belongs to another environment's stack; this one only looks it up. */
  readonly manage: boolean;
  /**
   * Tags that move from image to image (e.g. "staging", which the task definition runs). They stay mutable
   * and are never expired; every other tag (the pipeline's commit ids) is immutable.
   */
  readonly movingTags: readonly string[];
  /** How many images to keep besides the moving tags. */
  readonly keepImageCount: number;
  /** Days after which untagged images (layers of superseded builds) expire. */
  readonly untaggedExpiryDays: number;
  /**
   * "KMS" (AWS-managed aws/ecr key) for a new repository; "AES256" to keep an existing repository's
   * setting: ECR cannot change the encryption of a repository, so a change would replace it (and its images).
   */
  readonly encryption: "KMS" | "AES256";
  /**
   * IMMUTABLE_WITH_EXCLUSION (moving tags mutable) needs hashicorp/aws 6.0; false writes plain IMMUTABLE for
   * an older provider (configuration refuses that when a pipeline must re-push its moving tag).
   * @default true
   */
  readonly tagExclusions?: boolean;
}

/** ECR lifecycle rule, as the ECR lifecycle policy document defines it. */
interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: Record<string, unknown>;
  action: { type: "expire" };
}

/**
 * ECR rules are evaluated by priority, and an image that a higher-priority rule selects cannot be expired by
 * a lower one; so a first rule selecting each moving tag (keeping 1) protects the running images.
 * Reference: https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
export function lifecycleRules(props: Pick<ImageRepositoryProps, "movingTags" | "keepImageCount" | "untaggedExpiryDays">): LifecycleRule[] {
  const protect: LifecycleRule[] = props.movingTags.map((tag, index) => ({
    rulePriority: index + 1,
    description: `Keep the image tagged ${tag}`,
    selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
    action: { type: "expire" },
  }));
  const next = protect.length + 1;
  return [
    ...protect,
    {
      rulePriority: next,
      description: `Expire untagged images after ${props.untaggedExpiryDays} days`,
      selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: props.untaggedExpiryDays },
      action: { type: "expire" },
    },
    {
      rulePriority: next + 1,
      description: `Keep the ${props.keepImageCount} most recent images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: props.keepImageCount },
      action: { type: "expire" },
    },
  ];
}

/** The ECR repository the pipeline pushes the ARM64 image to and the task pulls from. */
export class ImageRepository extends Construct {
  readonly name: string;
  readonly arn: string;
  readonly repositoryUrl: string;
  /** The repository resource, when this stack manages it. */
  readonly repository?: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    if (!props.manage) {
      const existing = new DataAwsEcrRepository(this, "repository", { name: props.name });
      this.name = existing.name;
      this.arn = existing.arn;
      this.repositoryUrl = existing.repositoryUrl;
      return;
    }
    const exclusions = props.tagExclusions ?? true;
    const repository = new EcrRepository(this, "repository", {
      name: props.name,
      // Commit-id tags can never be overwritten; only the moving tags may point at a new image.
      imageTagMutability: exclusions ? "IMMUTABLE_WITH_EXCLUSION" : "IMMUTABLE",
      ...(exclusions ? { imageTagMutabilityExclusionFilter: props.movingTags.map((tag) => ({ filter: tag, filterType: "WILDCARD" })) } : {}),
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: props.encryption }],
    });
    if (exclusions) {
      acceptFinding(
        repository,
        "CKV_AWS_51",
        `Tags are immutable except ${props.movingTags.join(" and ")}: the moving tags the environments run and their pipelines re-point (IMMUTABLE_WITH_EXCLUSION).`,
      );
    }
    if (props.encryption === "AES256") {
      acceptFinding(
        repository,
        "CKV_AWS_136",
        "Encrypted with AES-256 as the existing repository is; ECR cannot change encryption in place (it would replace the repository and its images).",
      );
    }
    new EcrLifecyclePolicy(this, "lifecycle_policy", {
      repository: repository.name,
      policy: JSON.stringify({ rules: lifecycleRules(props) }),
    });
    this.repository = repository;
    this.name = repository.name;
    this.arn = repository.arn;
    this.repositoryUrl = repository.repositoryUrl;
  }
}
