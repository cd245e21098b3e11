import { App, Testing } from "cdktf";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { EnvironmentConfig, loadEnvironments, validateEnvironment } from "../../src/config";
import { ci } from "../../src/config/ci";
import { CiConfig, validateCi } from "../../src/config/ci-schema";
import { production } from "../../src/config/production";
import { ROLE_INLINE_POLICY_LIMIT } from "../../src/constructs/ci/web-identity-role";
import { CiIdentitiesStack, GITHUB_VARIABLES } from "../../src/stacks/ci-identities-stack";
import { policy, stagingRaw, TerraformJson } from "../helpers";

const raw = (x: unknown): any => JSON.parse(JSON.stringify(x));

function synthIdentities(environments: EnvironmentConfig[], config: CiConfig = validateCi(ci, environments)) {
  const stack = new CiIdentitiesStack(Testing.app() as App, "ci", { project: "myslp", account: config.accounts[0], github: config.github, environments });
  const synth = Testing.synth(stack);
  return { synth, json: JSON.parse(synth) as TerraformJson };
}

/** The role whose name is `name`, with its trust policy, inline policies and managed policy attachments. */
function role(json: TerraformJson, name: string) {
  const [id, block] = Object.entries(json.resource.aws_iam_role).find(([, r]) => r.name === name) ?? [];
  if (!id)
    throw new Error(
      `no role ${name}; roles: ${Object.values(json.resource.aws_iam_role)
        .map((r) => r.name)
        .join(", ")}`,
    );
  const ref = (attribute: string) => `\${aws_iam_role.${id}.${attribute}}`;
  const inline = Object.values(json.resource.aws_iam_role_policy ?? {}).filter((p) => p.role === ref("id"));
  // Customer-managed policies of this stack, by the reference an attachment holds; their names stand for them.
  const customer = Object.entries(json.resource.aws_iam_policy ?? {});
  const attached = Object.values(json.resource.aws_iam_role_policy_attachment ?? {})
    .filter((p) => p.role === ref("name"))
    .map((p) => customer.find(([pid]) => p.policy_arn === `\${aws_iam_policy.${pid}.arn}`)?.[1] ?? { name: p.policy_arn, policy: undefined });
  const managed = attached.map((p) => p.name as string);
  const statements = [...inline, ...attached.filter((p) => p.policy)].flatMap((p) => policy(p.policy as string).Statement);
  return { block: block as Record<string, any>, trust: policy(block!.assume_role_policy as string), inline, managed, statements, ref };
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v as string]);

describe("CI identities stack (the project's environments)", () => {
  const environments = loadEnvironments().filter((e) => e.provider?.endpoint !== "local");
  const { synth, json } = synthIdentities(environments);
  const plan = role(json, "github-myslp-plan");
  const providerArn = `\${aws_iam_openid_connect_provider.${Object.keys(json.resource.aws_iam_openid_connect_provider)[0]}.arn}`;

  test("creates the GitHub Actions OIDC provider for the sts.amazonaws.com audience", () => {
    expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, {
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    expect(synth).not.toHaveDataSource(DataAwsIamOpenidConnectProvider);
  });

  test("the plan role trusts only pull requests and main of the configured repository", () => {
    expect(plan.trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [
              "repo:storelocatorplus/myslp-ecs-platform:pull_request",
              "repo:storelocatorplus/myslp-ecs-platform:ref:refs/heads/main",
            ],
          },
        },
      },
    ]);
  });

  test("the plan role reads configuration, and of the state bucket only the environments' state objects (no lock files)", () => {
    expect(plan.managed).toEqual(["myslp-ci-read", "myslp-ci-guardrails"]);
    expect(synth).not.toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    const bucket = "arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1";
    const objects = [`${bucket}/myslp/staging/terraform.tfstate`, `${bucket}/myslp/production/terraform.tfstate`];
    expect(plan.inline.flatMap((p) => policy(p.policy as string).Statement)).toEqual([
      { Sid: "StateBucketList", Effect: "Allow", Action: "s3:ListBucket", Resource: [bucket] },
      { Sid: "StateRead", Effect: "Allow", Action: "s3:GetObject", Resource: objects },
      {
        Sid: "StateKeyThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:us-east-1:744590032041:key/*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" }, ArnLike: { "kms:EncryptionContext:aws:s3:arn": objects } },
      },
    ]);
  });

  test.each(["staging", "production"])("the %s deploy role trusts only the GitHub environment of the same name in the repository", (name) => {
    const deploy = role(json, `github-myslp-deploy-${name}`);
    expect(deploy.trust.Statement[0].Principal).toEqual({ Federated: providerArn });
    expect(deploy.trust.Statement[0].Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": `repo:storelocatorplus/myslp-ecs-platform:environment:${name}`,
      },
    });
  });

  test.each(["staging", "production"])("the %s deploy role writes its own state only", (name) => {
    const deploy = role(json, `github-myslp-deploy-${name}`);
    const writes = deploy.statements.filter((s) => asList(s.Action).includes("s3:PutObject")).flatMap((s) => asList(s.Resource));
    expect(writes.sort()).toEqual([
      `arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/${name}/terraform.tfstate`,
      `arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/${name}/terraform.tfstate.tflock`,
    ]);
  });

  test.each(["staging", "production"])("the %s deploy role's changes are scoped to the environment's names", (name) => {
    const deploy = role(json, `github-myslp-deploy-${name}`);
    const env = environments.find((e) => e.name === name)!;
    const writes = deploy.statements.filter((s) => s.Effect === "Allow" && !["ReadConfiguration", "ReadPublicParameters"].includes(s.Sid));
    const actions = writes.flatMap((s) => asList(s.Action));
    // No wildcard actions outside the reads, and no reading or writing of secret values.
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(actions).not.toContain("secretsmanager:GetSecretValue");
    expect(actions).not.toContain("secretsmanager:PutSecretValue");
    // Resource "*" only under a condition: the region, a tag in the request, or the resource's Environment tag.
    const broad = writes.filter((s) => s.Resource === "*");
    expect(broad.map((s) => s.Sid).sort()).toEqual(["EcsDeregisterTaskDefinitions", "KmsCreateKey", "TagOnCreateOnly", "TagsOfTheEnvironment"]);
    for (const s of broad) expect(JSON.stringify(s.Condition)).toMatch(/aws:RequestedRegion|aws:ResourceTag\/Environment/);
    // IAM: only the environment's roles, never the CI roles (path /ci/) or another environment's.
    const iam = writes.filter((s) => asList(s.Action).some((a) => a.startsWith("iam:")) && s.Sid !== "IamServiceLinkedRoles");
    const iamResources = [...new Set(iam.flatMap((s) => asList(s.Resource)))].sort();
    const other = name === "staging" ? "production" : "staging";
    for (const r of iamResources) {
      expect(r).toMatch(
        new RegExp(`^arn:aws:iam::744590032041:(role|instance-profile)/(myslp-${name}-\\*|${env.task.executionRoleName}|${env.task.taskRoleName})$`),
      );
      expect(r).not.toContain("/ci/");
      expect(r).not.toContain(other);
    }
    expect(deploy.statements.find((s) => s.Sid === "IamAttachOnlyTheStacksManagedPolicies").Condition).toEqual({
      StringEquals: { "iam:PermissionsBoundary": `arn:aws:iam::744590032041:policy/ci/myslp-${name}-workload-boundary` },
      ArnEquals: {
        "iam:PolicyARN": ["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
      },
    });
    // ECS, logs and buckets by name.
    expect(deploy.statements.find((s) => s.Sid === "EcsClusterServiceCapacity").Resource).toEqual([
      `arn:aws:ecs:us-east-1:744590032041:cluster/${env.cluster.name}`,
      `arn:aws:ecs:us-east-1:744590032041:service/${env.cluster.name}/${env.service.name}`,
      `arn:aws:ecs:us-east-1:744590032041:capacity-provider/${env.capacity.capacityProviderName}`,
      `arn:aws:ecs:us-east-1:744590032041:task-definition/${env.task.family}:*`,
    ]);
    expect(deploy.statements.find((s) => s.Sid === "Buckets").Resource).toEqual([
      `arn:aws:s3:::${env.accessLogBucket}`,
      `arn:aws:s3:::${env.pipeline!.artifactBucket}`,
    ]);
    expect(deploy.managed).toEqual([
      "myslp-ci-read",
      `myslp-ci-guardrails-${name}`,
      ...deploy.managed.filter((m) => m.startsWith(`myslp-ci-github-deploy-${name}-`)),
    ]);
    expect(deploy.managed.length).toBeGreaterThan(2);
  });

  test("each environment may change only its own image repository", () => {
    const repository = (name: string) => role(json, `github-myslp-deploy-${name}`).statements.find((s) => s.Sid === "ImageRepository")?.Resource;
    for (const env of environments) expect(repository(env.name)).toBe(`arn:aws:ecr:us-east-1:744590032041:repository/${env.imageRepository.name}`);
    expect(repository("staging")).not.toBe(repository("production"));
  });

  test("keeps every role's inline policies within IAM's 10,240 characters", () => {
    for (const r of Object.values(json.resource.aws_iam_role)) {
      const total = role(json, r.name as string).inline.reduce((n, p) => n + (p.policy as string).length, 0);
      expect({ role: r.name, fits: total <= ROLE_INLINE_POLICY_LIMIT }).toEqual({ role: r.name, fits: true });
    }
  });

  test("puts the CI roles under /ci/, outside every name a deploy role may manage", () => {
    for (const r of Object.values(json.resource.aws_iam_role)) {
      expect(r.path).toBe("/ci/");
      expect(r.name).not.toMatch(/^myslp-(staging|production)-/);
    }
  });

  test("outputs the role ARNs the workflows' variables are set from, and each environment's boundary", () => {
    expect(Object.keys(json.output!).sort()).toEqual(
      [
        GITHUB_VARIABLES.AWS_DEPLOY_ROLE_ARN.output("production"),
        GITHUB_VARIABLES.AWS_DEPLOY_ROLE_ARN.output("staging"),
        "github_oidc_provider_arn",
        GITHUB_VARIABLES.AWS_PLAN_ROLE_ARN.output(),
        "workload_boundary_arn_production",
        "workload_boundary_arn_staging",
      ].sort(),
    );
    expect(json.output!.github_plan_role_arn.value).toBe(plan.ref("arn"));
  });

  test("keeps its own state in the state bucket, under its own key", () => {
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: "myslp-terraform-state-744590032041-us-east-1",
        key: "myslp/ci-identities/terraform.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });
});

describe("CI identities stack (other configurations)", () => {
  const staging = validateEnvironment(stagingRaw());

  test("pins the trust to another repository and main branch when configured so", () => {
    const config = validateCi({ ...raw(ci), github: { repository: "acme-corp/platform.infra", mainBranch: "trunk" } }, [staging]);
    const { json } = synthIdentities([staging], config);
    expect(role(json, "github-myslp-plan").trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:acme-corp/platform.infra:pull_request",
      "repo:acme-corp/platform.infra:ref:refs/heads/trunk",
    ]);
    expect(role(json, "github-myslp-deploy-staging").trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:acme-corp/platform.infra:environment:staging",
    );
  });

  test("looks the GitHub provider up instead of creating it when it exists", () => {
    const config = validateCi({ ...raw(ci), accounts: [{ accountId: "744590032041", githubOidcProvider: "existing" }] }, [staging]);
    const { synth, json } = synthIdentities([staging], config);
    expect(synth).toHaveDataSourceWithProperties(DataAwsIamOpenidConnectProvider, { url: "https://token.actions.githubusercontent.com" });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    const lookedUp = `\${data.aws_iam_openid_connect_provider.${Object.keys(json.data.aws_iam_openid_connect_provider)[0]}.arn}`;
    expect(role(json, "github-myslp-plan").trust.Statement[0].Principal).toEqual({ Federated: lookedUp });
  });

  describe("an environment whose state is in Terraform Cloud", () => {
    const cloudRaw = raw(production);
    cloudRaw.state = { backend: "cloud", organization: "storelocatorplus", project: "SaaS", workspace: "myslp-production" };
    const cloud = validateEnvironment(cloudRaw);
    const { synth, json } = synthIdentities([staging, cloud]);

    test("gets the HCP Terraform OIDC provider for the aws.workload.identity audience", () => {
      expect(synth).toHaveResourceWithProperties(IamOpenidConnectProvider, { url: "https://app.terraform.io", client_id_list: ["aws.workload.identity"] });
    });

    test.each(["plan", "apply"])("gets a %s-phase role trusted for its organization, project and workspace only", (phase) => {
      const r = role(json, `tfc-myslp-production-${phase}`);
      expect(r.trust.Statement[0].Condition).toEqual({
        StringEquals: {
          "app.terraform.io:aud": "aws.workload.identity",
          "app.terraform.io:sub": `organization:storelocatorplus:project:SaaS:workspace:myslp-production:run_phase:${phase}`,
        },
      });
      expect(r.managed.slice(0, 2)).toEqual(["myslp-ci-read", phase === "plan" ? "myslp-ci-guardrails" : "myslp-ci-guardrails-production"]);
    });

    test("only the apply phase may change resources; no GitHub deploy role for it", () => {
      expect(role(json, "tfc-myslp-production-plan").inline).toEqual([]);
      expect(role(json, "tfc-myslp-production-plan").statements.map((s) => s.Sid)).not.toContain("EcsClusterServiceCapacity");
      expect(role(json, "tfc-myslp-production-apply").statements.map((s) => s.Sid)).toContain("EcsClusterServiceCapacity");
      expect(Object.values(json.resource.aws_iam_role).map((r) => r.name)).not.toContain("github-myslp-deploy-production");
      expect(Object.keys(json.output!)).toEqual(
        expect.arrayContaining(["tfc_plan_role_arn_production", "tfc_apply_role_arn_production", "terraform_cloud_oidc_provider_arn"]),
      );
    });

    test("the plan role's state access leaves out the Terraform Cloud environment", () => {
      const reads = role(json, "github-myslp-plan").statements.find((s) => s.Sid === "StateRead").Resource;
      expect(reads).toEqual(["arn:aws:s3:::myslp-terraform-state-744590032041-us-east-1/myslp/staging/terraform.tfstate"]);
    });

    test("defaults the workspace's project to HCP Terraform's Default Project", () => {
      delete cloudRaw.state.project;
      const { json: defaulted } = synthIdentities([staging, validateEnvironment(cloudRaw)]);
      expect(role(defaulted, "tfc-myslp-production-plan").trust.Statement[0].Condition.StringEquals["app.terraform.io:sub"]).toBe(
        "organization:storelocatorplus:project:Default Project:workspace:myslp-production:run_phase:plan",
      );
    });
  });
});
