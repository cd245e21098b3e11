// Re-exports only: what tells someone the platform is unwell (alarm topic, alarms, dashboard, pipeline failures).
export * from "./alarm-topic";
export * from "./dashboard";
export * from "./pipeline-failure-notification";
export * from "./service-alarms";
export * from "./observability";
