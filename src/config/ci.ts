/**
 * Who may run this project's Terraform from CI: the GitHub repository holding this code, its main branch, and
 * per AWS account whether the OIDC identity providers are created by the CI identities stack or already exist
 * (IAM allows one provider per URL per account). Validated by validateCi (./ci-schema.ts); the stack is
 * src/stacks/ci-identities-stack.ts, the set-up docs/ci-and-deploy.md.
 */
export const ci = {
  github: {
    // ASSUMPTION: the GitHub repository of this infrastructure code (not in the spec; the application's
    // repository is storelocatorplus/myslp_aws_ecs_kit). Confirm before deploying the identities stack.
    repository: "storelocatorplus/myslp-ecs-platform",
    mainBranch: "main",
  },
  accounts: [
    {
      accountId: "744590032041",
      // "existing" when token.actions.githubusercontent.com is already an IAM identity provider in the account.
      githubOidcProvider: "create",
      // Used only when an environment in the account keeps its state in Terraform Cloud (state.backend "cloud").
      terraformCloudOidcProvider: "create",
      // ASSUMPTION: administrators sign in through IAM Identity Center's AdministratorAccess permission set.
      // Only they and the CI roles may use the state key: confirm, or name the admin role(s) of the account.
      stateAdministrators: ["arn:aws:iam::744590032041:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*"],
    },
  ],
} as const;
