// Re-exports only: the identities CI runs the infrastructure code with (OIDC providers, roles, permissions).
export * from "./deploy-permissions";
export * from "./oidc-provider";
export * from "./web-identity-role";
