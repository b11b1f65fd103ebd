import { registerEnumType } from "type-graphql";

/** The three incident mutations, as the write log names them. */
export enum WriteOperation {
  CREATE_INCIDENT = "CREATE_INCIDENT",
  UPDATE_INCIDENT = "UPDATE_INCIDENT",
  ADD_INCIDENT_COMMENT = "ADD_INCIDENT_COMMENT",
}

/** How a write attempt ended. PENDING only while it is in flight. */
export enum WriteOutcome {
  PENDING = "PENDING",
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  COMMENTED = "COMMENTED",
  /** A retried create answered with the incident its key already created. */
  DUPLICATE = "DUPLICATE",
  INVALID_INPUT = "INVALID_INPUT",
  WRITES_DISABLED = "WRITES_DISABLED",
  TRANSACTION_LIMIT_REACHED = "TRANSACTION_LIMIT_REACHED",
  SERVICENOW_REJECTED = "SERVICENOW_REJECTED",
  SERVICENOW_RATE_LIMITED = "SERVICENOW_RATE_LIMITED",
  SERVICENOW_UNAVAILABLE = "SERVICENOW_UNAVAILABLE",
  /** The answer was lost and the key could not be looked up: the incident may exist. */
  UNKNOWN = "UNKNOWN",
  FAILED = "FAILED",
}

/** Journal fields a comment goes to. */
export enum JournalKind {
  COMMENT = "COMMENT",
  WORK_NOTE = "WORK_NOTE",
}

export const JOURNAL_FIELD_OF: Readonly<Record<JournalKind, "comments" | "work_notes">> = {
  [JournalKind.COMMENT]: "comments",
  [JournalKind.WORK_NOTE]: "work_notes",
};

registerEnumType(WriteOperation, { name: "WriteOperation" });
registerEnumType(WriteOutcome, { name: "WriteOutcome" });
registerEnumType(JournalKind, {
  name: "JournalKind",
  description: "COMMENT: customer-visible (comments); WORK_NOTE: internal (work_notes).",
});
