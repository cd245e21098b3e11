// Re-exports only: the workload constructs and their helpers.
export * from "./container-definition";
export * from "./daemon-service";
export * from "./database-password-secret";
export * from "./task-definition";
