// Re-exports only: the entry constructs and their helpers.
export * from "./public-entry";
