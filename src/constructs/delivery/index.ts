// Re-exports only: the delivery constructs and their helpers.
export * from "./buildspec";
export * from "./image-pipeline";
export * from "./image-repository";
