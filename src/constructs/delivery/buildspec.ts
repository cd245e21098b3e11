/**
 * The CodeBuild buildspec that builds the ARM64 image, pushes it to ECR under the environment's moving tag
 * and an immutable tag of the commit, and writes imagedefinitions.json for the ECS deploy action.
 *
 * Written as JSON, which is valid YAML, so the synthesized project stays reviewable and tests can parse it.
 * Shell variables use the `$NAME` form only: `${` and `%{` would be read as Terraform template syntax.
 * Reference: https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html and
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions
 */
export const IMAGE_DEFINITIONS_FILE = "imagedefinitions.json";

export interface BuildspecSettings {
  /** ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`). */
  readonly registry: string;
  readonly repositoryName: string;
  /** Repository URL (`<registry>/<name>`); may be a Terraform reference. */
  readonly repositoryUrl: string;
  /** The tag the task definition runs, e.g. "staging". */
  readonly movingTag: string;
  readonly containerName: string;
  readonly dockerfile: string;
  readonly context: string;
}

export interface Buildspec {
  version: "0.2";
  env: { variables: Record<string, string> };
  phases: Record<"pre_build" | "build" | "post_build", { "on-failure": "ABORT"; commands: string[] }>;
  artifacts: { files: string[] };
}

export function imageBuildspec(s: BuildspecSettings): Buildspec {
  return {
    version: "0.2",
    env: {
      variables: {
        REGISTRY: s.registry,
        REPOSITORY_NAME: s.repositoryName,
        REPOSITORY_URI: s.repositoryUrl,
        MOVING_TAG: s.movingTag,
        CONTAINER_NAME: s.containerName,
        DOCKERFILE: s.dockerfile,
        BUILD_CONTEXT: s.context,
      },
    },
    phases: {
      // ABORT: a failed phase stops the build; post_build must not push after a failed docker build.
      pre_build: {
        "on-failure": "ABORT",
        commands: [
          "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $REGISTRY",
          // COMMIT_ID comes from the source action's variables (the pipeline passes it in).
          'test -n "$COMMIT_ID" || { echo "COMMIT_ID is not set: the pipeline passes #{SourceVariables.CommitId}"; exit 1; }',
          'COMMIT_TAG="$(echo "$COMMIT_ID" | cut -c 1-12)"',
        ],
      },
      build: {
        "on-failure": "ABORT",
        commands: [
          'docker build --platform linux/arm64 --file "$DOCKERFILE" --tag "$REPOSITORY_URI:$COMMIT_TAG" --tag "$REPOSITORY_URI:$MOVING_TAG" "$BUILD_CONTEXT"',
        ],
      },
      post_build: {
        "on-failure": "ABORT",
        commands: [
          // Commit tags are immutable in ECR: a re-run of the same commit keeps the image already pushed.
          'if aws ecr describe-images --repository-name "$REPOSITORY_NAME" --image-ids imageTag="$COMMIT_TAG" > /dev/null 2>&1; then echo "$COMMIT_TAG already in ECR"; else docker push "$REPOSITORY_URI:$COMMIT_TAG"; fi',
          'docker push "$REPOSITORY_URI:$MOVING_TAG"',
          `printf '[{"name":"%s","imageUri":"%s"}]' "$CONTAINER_NAME" "$REPOSITORY_URI:$COMMIT_TAG" > ${IMAGE_DEFINITIONS_FILE}`,
          `cat ${IMAGE_DEFINITIONS_FILE}`,
        ],
      },
    },
    artifacts: { files: [IMAGE_DEFINITIONS_FILE] },
  };
}
