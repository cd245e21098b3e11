// Re-exports only: the network constructs and their helpers.
export * from "./network";
export * from "./task-security-group";
