import { z } from "zod";
import { gitBranch } from "./fields";
import type { EnvironmentConfig } from "./schema";

/*
 * The CI configuration (src/config/ci.ts): the GitHub repository whose workflows may assume the plan and
 * deploy roles, and per account how the OIDC identity providers come to exist. Checked like an environment:
 * every bad field at once, by path, with the value given and what is allowed.
 */

// GitHub owner names: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen; repository
// names: 1-100 letters, digits, . _ -, not "." or "..". The OIDC subject carries them as GitHub spells them,
// and IAM compares the subject case-sensitively (StringEquals).
const githubRepository = z
  .string()
  .regex(
    /^(?!-)(?!.*--)[A-Za-z0-9-]{1,39}(?<!-)\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
    "must be <owner>/<repository> as GitHub spells it (owner: 1-39 letters, digits or single hyphens; repository: 1-100 letters, digits, . _ -)",
  )
  .refine((r) => !r.toLowerCase().endsWith(".git"), "must be the repository's name without .git");

const oidcProvider = z.enum(["create", "existing"], {
  error: 'must be "create" (this stack creates the identity provider) or "existing" (it is looked up: IAM allows one per URL per account)',
});

export const ciSchema = z.strictObject({
  github: z.strictObject({
    /** The repository holding this code, `<owner>/<name>`: only its workflows may assume the roles. */
    repository: githubRepository,
    /** The branch whose pushes and scheduled runs may plan (the deploy roles need the GitHub environment too). */
    mainBranch: gitBranch,
  }),
  accounts: z
    .array(
      z.strictObject({
        accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
        /** token.actions.githubusercontent.com: create it here, or look up the one the account has. */
        githubOidcProvider: oidcProvider,
        /** app.terraform.io, for environments whose state is in Terraform Cloud. @default "create" */
        terraformCloudOidcProvider: oidcProvider.optional(),
        /**
         * Who besides the CI roles may use the state key: IAM principal ARN patterns (ArnLike, `*` allowed) of the
         * administrators who run Terraform by hand. @default none: only the CI roles
         */
        stateAdministrators: z
          .array(
            z
              .string()
              .regex(
                /^arn:aws:iam::\d{12}:(role|user)\/[\w+=,.@*\/-]+$/,
                "must be an IAM role or user ARN in this account, `*` allowed (e.g. arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_*)",
              ),
          )
          .optional(),
      }),
    )
    .min(1, "must list at least one account"),
});

export type CiConfig = z.infer<typeof ciSchema>;
export type CiAccountConfig = CiConfig["accounts"][number];

/**
 * Validates the CI configuration against the validated environments: every account a real (not local-endpoint)
 * environment runs in is listed once, and every listed account has one. Throws one error listing every problem.
 */
export function validateCi(raw: unknown, environments: readonly EnvironmentConfig[]): CiConfig {
  const result = ciSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const path = ["ci", ...i.path].join(".");
      return i.code === "unrecognized_keys" ? `${path}: ${i.message}` : `${path}: ${i.message} (got ${JSON.stringify(i.input) ?? "missing"})`;
    });
    throw new Error(`Invalid CI configuration (src/config/ci.ts):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  const config = result.data;
  const problems: string[] = [];
  const real = environments.filter((e) => e.provider?.endpoint !== "local");
  const listed = config.accounts.map((a) => a.accountId);
  config.accounts.forEach((account, index) =>
    (account.stateAdministrators ?? []).forEach((arn, i) => {
      if (arn.split(":")[4] !== account.accountId) {
        problems.push(`ci.accounts.${index}.stateAdministrators.${i}: ${arn} is not in account ${account.accountId}; allowed: principals of that account`);
      }
    }),
  );
  listed.forEach((id, index) => {
    if (listed.indexOf(id) !== index) problems.push(`ci.accounts.${index}.accountId: account ${id} is listed twice: one entry per account`);
    if (!real.some((e) => e.accountId === id)) {
      problems.push(`ci.accounts.${index}.accountId: no environment runs in account ${id}; allowed: ${[...new Set(real.map((e) => e.accountId))].join(", ")}`);
    }
  });
  for (const id of new Set(real.map((e) => e.accountId))) {
    if (!listed.includes(id)) {
      const names = real.filter((e) => e.accountId === id).map((e) => e.name);
      problems.push(
        `ci.accounts: account ${id} (environments ${names.join(", ")}) is not listed: add { accountId: "${id}", githubOidcProvider: "create" | "existing" }`,
      );
    }
  }
  if (problems.length > 0) throw new Error(`Invalid CI configuration (src/config/ci.ts):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  return config;
}
