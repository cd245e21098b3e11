import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig, environmentPrefix } from "../config";
import type { CiAccountConfig, CiConfig } from "../config/ci-schema";
import { DeployScope, deployStatements, INSTANCE_MANAGED_POLICIES, OidcProvider, stateAccessStatements, WebIdentityRole } from "../constructs";
import { MINIMUM_TERRAFORM_VERSION } from "./platform-stack";

/** GitHub Actions' token issuer and the audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_AUDIENCE = "sts.amazonaws.com";
/** HCP Terraform's token issuer and the audience of its AWS dynamic credentials. */
export const TFC_OIDC_URL = "https://app.terraform.io";
export const TFC_AUDIENCE = "aws.workload.identity";
/** The project HCP Terraform puts a workspace in unless told otherwise. */
export const TFC_DEFAULT_PROJECT = "Default Project";
/** Reads for refresh and data sources (AWS-managed, kept current by AWS as services add read actions). */
export const READ_ONLY_ACCESS = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/**
 * The GitHub Actions variables the workflows read, where each is set (repository, or the GitHub environment
 * of the same name), and the identities stack output that holds its value.
 */
export const GITHUB_VARIABLES = {
  AWS_PLAN_ROLE_ARN: { scope: "repository", output: (): string => "github_plan_role_arn" },
  AWS_DEPLOY_ROLE_ARN: { scope: "environment", output: (environment: string): string => `github_deploy_role_arn_${environment}` },
} as const;

export interface CiIdentitiesStackProps {
  readonly project: string;
  /** The account's CI settings (which identity providers to create or look up). */
  readonly account: CiAccountConfig;
  /** The repository whose workflows may assume the roles, and its main branch. */
  readonly github: CiConfig["github"];
  /** Every environment of a real account in this account (never a local endpoint's). */
  readonly environments: readonly EnvironmentConfig[];
}

/** The identities stack's id for one account. */
export function ciIdentitiesStackName(project: string, accountId: string): string {
  return `${project}-ci-identities-${accountId}`;
}

/** The names an environment's resources carry, for its deploy permissions. */
export function deployScopeOf(env: EnvironmentConfig): DeployScope {
  const prefix = environmentPrefix(env.project, env.name);
  const secret = env.wordpress.database.passwordSecret;
  const hostedZones = env.loadBalancer
    ? [env.loadBalancer.certificate.kind === "create" ? env.loadBalancer.certificate.hostedZoneId : undefined, env.loadBalancer.aliasHostedZoneId]
    : [];
  return {
    accountId: env.accountId,
    region: env.region,
    environment: env.name,
    namePrefix: prefix,
    clusterName: env.cluster.name,
    serviceName: env.service.name,
    taskFamily: env.task.family,
    capacityProviderName: env.capacity.capacityProviderName,
    autoScalingGroupName: env.capacity.autoScalingGroupName,
    roleNames: [...new Set([env.task.executionRoleName, env.task.taskRoleName])].filter((n) => !n.startsWith(`${prefix}-`)),
    logGroupNames: [env.task.logGroupName, ...(env.pipeline ? [`/codebuild/${env.pipeline.build.projectName}`] : [])],
    bucketNames: [env.accessLogBucket, ...(env.pipeline ? [env.pipeline.artifactBucket] : [])],
    repositoryName: env.imageRepository.manage ? env.imageRepository.name : undefined,
    secretName: "create" in secret && secret.create ? secret.name : undefined,
    pipeline: env.pipeline ? { name: env.pipeline.name, buildProjectName: env.pipeline.build.projectName, notifications: true } : undefined,
    createsNetwork: env.network.mode === "new",
    loadBalancer: env.loadBalancer ? { hostedZoneIds: hostedZones.filter((z): z is string => z !== undefined) } : undefined,
    attachablePolicyArns: Object.values(INSTANCE_MANAGED_POLICIES),
  };
}

/**
 * The identities CI runs the infrastructure code with, in one AWS account: deployed once per account by an
 * administrator, after the state bootstrap, and again when an environment is added (docs/ci-and-deploy.md).
 *
 * - GitHub Actions OIDC provider (created, or looked up: one per URL per account).
 * - Plan role: reads everything (ReadOnlyAccess) plus the environments' state objects and lock files; only
 *   pull requests and the main branch of the configured repository may assume it.
 * - Deploy role per environment with S3 state: the plan role's reads plus what its stack changes, scoped to its
 *   names; only jobs of the configured repository running in the GitHub environment of the same name (whose
 *   deployment branch rule admits main only) may assume it.
 * - Per environment with Terraform Cloud state: HCP Terraform dynamic credentials, a plan-phase role (reads)
 *   and an apply-phase role (the deploy permissions), trusted for that organization, project and workspace.
 *
 * Its own stack, not part of the state bootstrap: the bootstrap is per account *and region* with local state
 * (it creates the bucket), while IAM is account-wide (a second region's bootstrap would create the OIDC
 * provider twice); this stack changes with every new environment, so its state lives in the state bucket,
 * shared, not on one administrator's disk. CI never deploys it: the roles cannot widen their own rights (they
 * live under the path /ci/, outside every name the deploy roles may manage).
 */
export class CiIdentitiesStack extends TerraformStack {
  readonly planRole: WebIdentityRole;
  readonly deployRoles: Record<string, WebIdentityRole> = {};

  constructor(scope: Construct, id: string, props: CiIdentitiesStackProps) {
    super(scope, id);
    const { account, github } = props;
    const environments = props.environments.filter((e) => e.accountId === account.accountId && e.provider?.endpoint !== "local");
    if (environments.length === 0) throw new Error(`CiIdentitiesStack ${id}: no environment of a real account in ${account.accountId}`);
    this.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}`);
    const s3Environments = environments.flatMap((e) => (e.state.backend === "s3" ? [{ env: e, state: e.state }] : []));
    const home = s3Environments[0];
    if (home) {
      const backend = new S3Backend(this, {
        bucket: home.state.bucket,
        key: `${props.project}/ci-identities/terraform.tfstate`,
        region: home.state.region,
        encrypt: true,
      });
      backend.addOverride("use_lockfile", true);
    } else {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    }
    new AwsProvider(this, "aws", {
      region: environments[0].region,
      allowedAccountIds: [account.accountId],
      defaultTags: [{ tags: { Project: props.project, Purpose: "ci-identities", ManagedBy: "cdktf" } }],
    });

    const repo = `repo:${github.repository}`;
    const states = s3Environments.map((s) => ({ bucket: s.state.bucket, key: s.state.key }));
    const output = (name: string, value: string, description: string) => new TerraformOutput(this, name, { value, description });

    const githubProvider = new OidcProvider(this, "github_oidc", { url: GITHUB_OIDC_URL, audiences: [GITHUB_AUDIENCE], mode: account.githubOidcProvider });
    this.planRole = new WebIdentityRole(this, "github_plan", {
      name: `github-${props.project}-plan`,
      description: `cdktf plan from GitHub Actions: pull requests and ${github.mainBranch} of ${github.repository}; reads only`,
      provider: githubProvider,
      audience: GITHUB_AUDIENCE,
      // GitHub's default subject: a pull_request event, or a branch (push, schedule, workflow_dispatch).
      subjects: [`${repo}:pull_request`, `${repo}:ref:refs/heads/${github.mainBranch}`],
      managedPolicyArns: [READ_ONLY_ACCESS],
      inlinePolicies: states.length > 0 ? { "terraform-state": stateAccessStatements(states, false) } : {},
    });
    output("github_oidc_provider_arn", githubProvider.arn, "IAM OIDC identity provider for GitHub Actions");
    output(GITHUB_VARIABLES.AWS_PLAN_ROLE_ARN.output(), this.planRole.arn, "GitHub repository variable AWS_PLAN_ROLE_ARN (plan and drift workflows)");

    for (const { env, state } of s3Environments) {
      const role = new WebIdentityRole(this, `github_deploy_${env.name}`, {
        name: `github-${props.project}-deploy-${env.name}`,
        description: `cdktf deploy of ${env.name} from GitHub Actions: ${github.repository}, GitHub environment ${env.name}`,
        provider: githubProvider,
        audience: GITHUB_AUDIENCE,
        // A job that names a GitHub environment gets this subject whatever its branch; the environment's
        // deployment branch rule (main only) is what ties it to main (docs/ci-and-deploy.md).
        subjects: [`${repo}:environment:${env.name}`],
        managedPolicyArns: [READ_ONLY_ACCESS],
        inlinePolicies: {
          "terraform-state": stateAccessStatements([{ bucket: state.bucket, key: state.key }], true),
          deploy: deployStatements(deployScopeOf(env)),
        },
      });
      this.deployRoles[env.name] = role;
      output(GITHUB_VARIABLES.AWS_DEPLOY_ROLE_ARN.output(env.name), role.arn, `GitHub environment ${env.name}: variable AWS_DEPLOY_ROLE_ARN (deploy workflow)`);
    }

    const cloudEnvironments = environments.flatMap((e) => (e.state.backend === "cloud" ? [{ env: e, state: e.state }] : []));
    if (cloudEnvironments.length > 0) {
      const tfc = new OidcProvider(this, "terraform_cloud_oidc", {
        url: TFC_OIDC_URL,
        audiences: [TFC_AUDIENCE],
        mode: account.terraformCloudOidcProvider ?? "create",
      });
      output("terraform_cloud_oidc_provider_arn", tfc.arn, "IAM OIDC identity provider for HCP Terraform dynamic credentials");
      for (const { env, state } of cloudEnvironments) {
        const workspace = `organization:${state.organization}:project:${state.project ?? TFC_DEFAULT_PROJECT}:workspace:${state.workspace}`;
        const plan = new WebIdentityRole(this, `tfc_plan_${env.name}`, {
          name: `tfc-${props.project}-${env.name}-plan`,
          description: `HCP Terraform plan phase of ${state.organization}/${state.workspace}; reads only`,
          provider: tfc,
          audience: TFC_AUDIENCE,
          subjects: [`${workspace}:run_phase:plan`],
          managedPolicyArns: [READ_ONLY_ACCESS],
        });
        const apply = new WebIdentityRole(this, `tfc_apply_${env.name}`, {
          name: `tfc-${props.project}-${env.name}-apply`,
          description: `HCP Terraform apply phase of ${state.organization}/${state.workspace}`,
          provider: tfc,
          audience: TFC_AUDIENCE,
          subjects: [`${workspace}:run_phase:apply`],
          managedPolicyArns: [READ_ONLY_ACCESS],
          inlinePolicies: { deploy: deployStatements(deployScopeOf(env)) },
        });
        output(`tfc_plan_role_arn_${env.name}`, plan.arn, `Workspace ${state.workspace}: TFC_AWS_PLAN_ROLE_ARN`);
        output(`tfc_apply_role_arn_${env.name}`, apply.arn, `Workspace ${state.workspace}: TFC_AWS_APPLY_ROLE_ARN`);
      }
    }
  }
}
