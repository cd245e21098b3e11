// Re-exports only: the identities CI runs the infrastructure code with (OIDC providers, roles, permissions).
export * from "./deploy-permissions";
export * from "./guardrails";
export * from "./managed-policy";
export * from "./oidc-provider";
export * from "./read-permissions";
export * from "./web-identity-role";
export * from "./workload-boundary";
