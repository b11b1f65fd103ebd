import { registerEnumType } from "type-graphql";

export enum SyncRunStatus {
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}

export enum SyncTrigger {
  SCHEDULE = "SCHEDULE",
  MANUAL = "MANUAL",
  STARTUP = "STARTUP",
}

export enum SyncMode {
  INCREMENTAL = "INCREMENTAL",
  FULL = "FULL",
}

registerEnumType(SyncRunStatus, { name: "SyncRunStatus" });
registerEnumType(SyncTrigger, { name: "SyncTrigger" });
registerEnumType(SyncMode, { name: "SyncMode" });
