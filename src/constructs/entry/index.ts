// Re-exports only: the entry constructs and their helpers.
export * from "./load-balancer";
