// Re-exports only: the compute constructs and their helpers.
export * from "./cluster-capacity";
export * from "./container-instance-user-data";
export * from "./cpu-target-tracking";
export * from "./cluster";
