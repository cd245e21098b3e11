import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig, environmentNames } from "../config";
import type { CiAccountConfig, CiConfig } from "../config/ci-schema";
import {
  CiManagedPolicy,
  DeployScope,
  deployStatements,
  guardrailStatements,
  INSTANCE_MANAGED_POLICIES,
  MANAGED_POLICY_LIMIT,
  OidcProvider,
  packStatements,
  PolicyStatement,
  readStatements,
  stateAccessStatements,
  WebIdentityRole,
  WorkloadBoundary,
} from "../constructs";
import { MINIMUM_TERRAFORM_VERSION } from "./platform-stack";

/** GitHub Actions' token issuer and the audience aws-actions/configure-aws-credentials requests. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_AUDIENCE = "sts.amazonaws.com";
/** HCP Terraform's token issuer and the audience of its AWS dynamic credentials. */
export const TFC_OIDC_URL = "https://app.terraform.io";
export const TFC_AUDIENCE = "aws.workload.identity";
/** The project HCP Terraform puts a workspace in unless told otherwise. */
export const TFC_DEFAULT_PROJECT = "Default Project";
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

/** The names an environment's resources carry, for its deploy permissions and its workloads' boundary. */
export function deployScopeOf(env: EnvironmentConfig): DeployScope {
  const names = environmentNames(env);
  const secret = env.wordpress.database.passwordSecret;
  const hostedZones = env.loadBalancer
    ? [env.loadBalancer.certificate.kind === "create" ? env.loadBalancer.certificate.hostedZoneId : undefined, env.loadBalancer.aliasHostedZoneId]
    : [];
  return {
    accountId: env.accountId,
    region: env.region,
    environment: env.name,
    namePrefix: names.prefix,
    clusterName: env.cluster.name,
    serviceName: env.service.name,
    taskFamily: env.task.family,
    capacityProviderName: env.capacity.capacityProviderName,
    autoScalingGroupName: env.capacity.autoScalingGroupName,
    roleNames: [...new Set([env.task.executionRoleName, env.task.taskRoleName])].filter((n) => !n.startsWith(`${names.prefix}-`)),
    logGroupNames: [env.task.logGroupName, ...(names.pipeline ? [names.pipeline.buildLogGroup] : [])],
    bucketNames: [env.accessLogBucket, ...(env.pipeline ? [env.pipeline.artifactBucket] : [])],
    imageRepositoryName: env.imageRepository.name,
    managesImageRepository: env.imageRepository.manage,
    // Secrets Manager appends six random characters to a secret's name in its ARN.
    secretArn: "arn" in secret ? secret.arn : `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${secret.name}-??????`,
    createsSecret: "create" in secret && secret.create,
    pipeline:
      env.pipeline && names.pipeline
        ? {
            name: env.pipeline.name,
            buildProjectName: env.pipeline.build.projectName,
            failureRuleName: names.pipeline.failureRule,
            deadLetterQueueName: names.pipeline.deadLetterQueue,
          }
        : undefined,
    createsNetwork: env.network.mode === "new",
    databaseAccess: env.wordpress.database.allowTaskAccess,
    loadBalancer: env.loadBalancer ? { hostedZoneIds: hostedZones.filter((z): z is string => z !== undefined) } : undefined,
    attachablePolicyArns: Object.values(INSTANCE_MANAGED_POLICIES),
    boundaryArn: names.boundaryArn,
  };
}

/**
 * The identities CI runs the infrastructure code with, in one AWS account: deployed once per account by an
 * administrator, after the state bootstrap, and again when an environment is added (docs/ci-and-deploy.md).
 *
 * - GitHub Actions OIDC provider (created, or looked up: one per URL per account).
 * - Plan role: reads configuration (not data: ../constructs/ci/read-permissions.ts) and the environments'
 *   state objects, never their lock files (plans run with -lock=false); only pull requests and the main branch
 *   of the configured repository may assume it.
 * - Deploy role per environment with S3 state: the same reads, its own state object and lock file, and what its
 *   stack changes, scoped to its names and its Environment tag; only jobs of the configured repository running
 *   in the GitHub environment of the same name (whose deployment branch rule admits main only) may assume it.
 * - Per environment, the permissions boundary every role of that environment carries: what a deploy role can
 *   give a role it creates is capped by it (../constructs/ci/workload-boundary.ts).
 * - Guardrails on every CI role: explicit denies of escalation paths and Environment tag changes.
 * - Per environment with Terraform Cloud state: HCP Terraform dynamic credentials, a plan-phase role (reads)
 *   and an apply-phase role (the deploy permissions), trusted for that organization, project and workspace.
 *
 * Its own stack, not part of the state bootstrap: the bootstrap is per account *and region* with local state
 * (it creates the bucket), while IAM is account-wide (a second region's bootstrap would create the OIDC
 * provider twice); this stack changes with every new environment, so its state lives in the state bucket,
 * shared, not on one administrator's disk. CI never deploys it: the roles cannot widen their own rights (they
 * live under the path /ci/, outside every name the deploy roles may manage).
 */
/** The account-wide pieces every CI role is built from (created once per stack). */
interface Shared {
  readonly props: CiIdentitiesStackProps;
  readonly where: { readonly accountId: string; readonly region: string };
  /** The configuration reads every CI role has. */
  readonly read: string;
  /** The guardrails of a role of `environment` (or of the plan role, with none). */
  readonly guardrails: (environment?: string) => string;
  /** An environment's deploy statements as managed policies (`prefix`: github or tfc). */
  readonly deployPolicies: (prefix: string, environment: string) => string[];
}

export class CiIdentitiesStack extends TerraformStack {
  readonly planRole: WebIdentityRole;
  readonly deployRoles: Record<string, WebIdentityRole> = {};

  constructor(scope: Construct, id: string, props: CiIdentitiesStackProps) {
    super(scope, id);
    const { account } = props;
    const environments = props.environments.filter((e) => e.accountId === account.accountId && e.provider?.endpoint !== "local");
    if (environments.length === 0) throw new Error(`CiIdentitiesStack ${id}: no environment of a real account in ${account.accountId}`);
    this.addOverride("terraform.required_version", `>= ${MINIMUM_TERRAFORM_VERSION}`);
    const s3Environments = environments.flatMap((e) => (e.state.backend === "s3" ? [{ env: e, state: e.state }] : []));
    this.backend(id, props, s3Environments[0]?.state);
    new AwsProvider(this, "aws", {
      region: environments[0].region,
      allowedAccountIds: [account.accountId],
      defaultTags: [{ tags: { Project: props.project, Purpose: "ci-identities", ManagedBy: "cdktf" } }],
    });

    const boundaries = new Map(
      environments.map((env) => {
        const scope = deployScopeOf(env);
        const name = environmentNames(env).boundaryName;
        return [env.name, { scope, boundary: new WorkloadBoundary(this, `boundary_${env.name}`, { scope, name }) }];
      }),
    );
    const shared = this.sharedPolicies(props, environments[0].region, (name) => deployStatements(boundaries.get(name)!.scope));

    this.planRole = this.githubRoles(shared, s3Environments);
    this.terraformCloudRoles(shared, environments);
    for (const [name, { boundary }] of boundaries) {
      this.output(`workload_boundary_arn_${name}`, boundary.arn, `Permissions boundary every role of ${name} carries (create before ${name}'s first deploy)`);
    }
  }

  private output(name: string, value: string, description: string): void {
    new TerraformOutput(this, name, { value, description });
  }

  /** This stack's own state: in the first S3 environment's bucket (shared by administrators), else local. */
  private backend(id: string, props: CiIdentitiesStackProps, home?: { bucket: string; region: string }): void {
    if (home) {
      const backend = new S3Backend(this, { bucket: home.bucket, key: `${props.project}/ci-identities/terraform.tfstate`, region: home.region, encrypt: true });
      backend.addOverride("use_lockfile", true);
    } else {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    }
  }

  /**
   * Customer-managed policies (6,144 characters each) keep the reads, guardrails and deploy statements out of
   * each role's 10,240 characters of inline policy.
   */
  private sharedPolicies(props: CiIdentitiesStackProps, region: string, statementsOf: (environment: string) => PolicyStatement[]): Shared {
    const accountId = props.account.accountId;
    const managed = (id: string, name: string, description: string, statements: PolicyStatement[]) =>
      new CiManagedPolicy(this, id, { name, description, statements }).arn;
    const read = managed(
      "ci_read",
      `${props.project}-ci-read`,
      "Configuration reads for refresh and data sources; no data (no objects, secrets, parameters, log events)",
      readStatements(),
    );
    // One guardrails policy per environment (and one for the plan roles), however many roles attach it.
    const guardrailArns = new Map<string, string>();
    const guardrails = (environment?: string) => {
      const key = environment ?? "";
      if (!guardrailArns.has(key)) {
        guardrailArns.set(
          key,
          managed(
            environment ? `ci_guardrails_${environment}` : "ci_guardrails",
            `${props.project}-ci-guardrails${environment ? `-${environment}` : ""}`,
            `Explicit denies for CI roles${environment ? ` of ${environment}` : ""}: escalation paths, CI identities, Environment tags`,
            guardrailStatements({ accountId, environment }),
          ),
        );
      }
      return guardrailArns.get(key)!;
    };
    const deployPolicies = (prefix: string, environment: string) =>
      packStatements(statementsOf(environment), MANAGED_POLICY_LIMIT).map((chunk, index) =>
        managed(
          `${prefix}_deploy_${environment}_${index + 1}`,
          `${props.project}-ci-${prefix}-deploy-${environment}-${index + 1}`,
          `What CI may change in ${environment} (${index + 1})`,
          chunk,
        ),
      );
    return { props, where: { accountId, region }, read, guardrails, deployPolicies };
  }

  /** GitHub Actions: the OIDC provider, the plan role, a deploy role per environment with S3 state. */
  private githubRoles(shared: Shared, s3Environments: { env: EnvironmentConfig; state: { bucket: string; key: string } }[]): WebIdentityRole {
    const { props, where, read } = shared;
    const { github, account } = props;
    const repo = `repo:${github.repository}`;
    const states = s3Environments.map((s) => ({ bucket: s.state.bucket, key: s.state.key }));
    const githubProvider = new OidcProvider(this, "github_oidc", { url: GITHUB_OIDC_URL, audiences: [GITHUB_AUDIENCE], mode: account.githubOidcProvider });
    const planRole = new WebIdentityRole(this, "github_plan", {
      name: `github-${props.project}-plan`,
      description: `terraform plan -lock=false from GitHub Actions: pull requests and ${github.mainBranch} of ${github.repository}; reads configuration and state`,
      provider: githubProvider,
      audience: GITHUB_AUDIENCE,
      // GitHub's default subject: a pull_request event, or a branch (push, schedule, workflow_dispatch). A
      // fork's pull request gets no OIDC token, so only same-repository branches reach this role.
      subjects: [`${repo}:pull_request`, `${repo}:ref:refs/heads/${github.mainBranch}`],
      managedPolicyArns: [read, shared.guardrails()],
      inlinePolicies: states.length > 0 ? { "terraform-state": stateAccessStatements(states, false, where) } : {},
    });
    this.output("github_oidc_provider_arn", githubProvider.arn, "IAM OIDC identity provider for GitHub Actions");
    this.output(GITHUB_VARIABLES.AWS_PLAN_ROLE_ARN.output(), planRole.arn, "GitHub repository variable AWS_PLAN_ROLE_ARN (plan and drift workflows)");

    for (const { env, state } of s3Environments) {
      const role = new WebIdentityRole(this, `github_deploy_${env.name}`, {
        name: `github-${props.project}-deploy-${env.name}`,
        description: `cdktf deploy of ${env.name} from GitHub Actions: ${github.repository}, GitHub environment ${env.name}`,
        provider: githubProvider,
        audience: GITHUB_AUDIENCE,
        // A job that names a GitHub environment gets this subject whatever its branch; the environment's
        // deployment branch rule (main only) is what ties it to main (docs/ci-and-deploy.md).
        subjects: [`${repo}:environment:${env.name}`],
        managedPolicyArns: [read, shared.guardrails(env.name), ...shared.deployPolicies("github", env.name)],
        inlinePolicies: { "terraform-state": stateAccessStatements([{ bucket: state.bucket, key: state.key }], true, where) },
      });
      this.deployRoles[env.name] = role;
      this.output(
        GITHUB_VARIABLES.AWS_DEPLOY_ROLE_ARN.output(env.name),
        role.arn,
        `GitHub environment ${env.name}: variable AWS_DEPLOY_ROLE_ARN (deploy workflow)`,
      );
    }
    return planRole;
  }

  /** HCP Terraform dynamic credentials: a plan-phase and an apply-phase role per environment with cloud state. */
  private terraformCloudRoles(shared: Shared, environments: readonly EnvironmentConfig[]): void {
    const { props, read } = shared;
    const cloudEnvironments = environments.flatMap((e) => (e.state.backend === "cloud" ? [{ env: e, state: e.state }] : []));
    if (cloudEnvironments.length === 0) return;
    const tfc = new OidcProvider(this, "terraform_cloud_oidc", {
      url: TFC_OIDC_URL,
      audiences: [TFC_AUDIENCE],
      mode: props.account.terraformCloudOidcProvider ?? "create",
    });
    this.output("terraform_cloud_oidc_provider_arn", tfc.arn, "IAM OIDC identity provider for HCP Terraform dynamic credentials");
    for (const { env, state } of cloudEnvironments) {
      const workspace = `organization:${state.organization}:project:${state.project ?? TFC_DEFAULT_PROJECT}:workspace:${state.workspace}`;
      const role = (phase: "plan" | "apply", description: string, managedPolicyArns: string[]) =>
        new WebIdentityRole(this, `tfc_${phase}_${env.name}`, {
          name: `tfc-${props.project}-${env.name}-${phase}`,
          description,
          provider: tfc,
          audience: TFC_AUDIENCE,
          subjects: [`${workspace}:run_phase:${phase}`],
          managedPolicyArns,
        });
      const plan = role("plan", `HCP Terraform plan phase of ${state.organization}/${state.workspace}; reads only`, [read, shared.guardrails()]);
      const apply = role("apply", `HCP Terraform apply phase of ${state.organization}/${state.workspace}`, [
        read,
        shared.guardrails(env.name),
        ...shared.deployPolicies("tfc", env.name),
      ]);
      this.output(`tfc_plan_role_arn_${env.name}`, plan.arn, `Workspace ${state.workspace}: TFC_AWS_PLAN_ROLE_ARN`);
      this.output(`tfc_apply_role_arn_${env.name}`, apply.arn, `Workspace ${state.workspace}: TFC_AWS_APPLY_ROLE_ARN`);
    }
  }
}
