// Re-exports only: every construct of the platform, grouped by concern (one folder each).
export * from "./compute";
export * from "./delivery";
export * from "./entry";
export * from "./network";
export * from "./observability";
export * from "./shared";
export * from "./workload";
