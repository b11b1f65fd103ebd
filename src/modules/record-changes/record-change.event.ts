/** What happened to the records of one table, as committed to the cache. */
export type RecordChangeOperation = "INSERT" | "UPDATE" | "DELETE";

/** Who committed it: a sync run's page, or a ServiceNow push (webhook) fetched and upserted. */
export type RecordChangeSource = "SYNC" | "WEBHOOK";

/**
 * One committed change: published after the transaction that wrote it has committed, so a
 * subscriber that reads the cache on receiving it sees the change.
 */
export interface RecordChange {
  readonly integrationId: string;
  /** The ServiceNow table name (`incident`, `change_request`, …). */
  readonly table: string;
  readonly sysIds: readonly string[];
  readonly operation: RecordChangeOperation;
  readonly source: RecordChangeSource;
  /** The run whose page committed it; null for a webhook. */
  readonly syncRunId: string | null;
  readonly committedAt: Date;
}

/** Where committed changes are announced (subscriptions listen on the other side). */
export interface RecordChangePublisher {
  publish(change: RecordChange): void;
}
