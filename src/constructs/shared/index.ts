// Re-exports only: the shared constructs and their helpers.
export * from "./hardened-bucket";
export * from "./iam-policy";
export * from "./platform-key";
export * from "./policy-exceptions";
export * from "./deploy-scope";
