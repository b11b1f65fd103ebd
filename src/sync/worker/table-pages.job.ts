import type { DatabaseConnection } from "../../database/data-source";
import type { AuthKind, RecordCursor } from "../../servicenow";
import type { SyncTableCounts } from "../sync-run.entity";
import type { CommittedPage } from "./table-pages.loop";
import type { UpsertPlan } from "./upsert.plan";
import type { WireError } from "./worker-error.wire";

/**
 * One table's page loop, as plain data the main thread hands to the sync worker: where to start
 * (after the watermark main read; the worker reads the table's fields from the dictionary), how
 * to map (the mapper's index in
 * TABLE_MAPPERS) and where each page commits, with its watermark and the run's counts.
 */
export interface TablePagesJob {
  /** Index of the table in TABLE_MAPPERS (and SYNC_TABLES: the same order). */
  readonly tableIndex: number;
  readonly integrationId: string;
  /** The integration's excluded fields: the worker derives the table's scope from them. */
  readonly excludedFields: ReadonlyArray<{ readonly table: string; readonly fields: string[] }>;
  readonly timeZone: string;
  readonly after?: RecordCursor;
  readonly pageSize: number;
  /** After the pages: delete what ServiceNow no longer has (full runs, and daily). */
  readonly reconcile: boolean;
  readonly plans: TablePagesPlans;
  readonly run: { readonly id: string; readonly counts: SyncTableCounts[]; readonly index: number };
}

/** Where a page, its watermark and the run's counts are written. */
export interface TablePagesPlans {
  readonly rows: UpsertPlan;
  /** SyncState's watermark columns, keyed on (integration, table). */
  readonly state: UpsertPlan;
  /** `UPDATE <table> SET <tables> = … WHERE <id> = …` on the run row. */
  readonly runCounts: {
    readonly table: string;
    readonly countsColumn: string;
    readonly idColumn: string;
  };
}

/** How the worker builds its ServiceNow client; the credentials stay on the main thread. */
export interface WorkerClientSettings {
  readonly instanceUrl: string;
  readonly timeoutMs: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number };
  readonly authKind: AuthKind;
  /** The main provider can renew a rejected credential (OAuth): proxy onUnauthorized too. */
  readonly renews: boolean;
}

/** What the main thread sends the worker. */
export type ToWorker =
  | {
      readonly type: "run";
      readonly jobId: number;
      readonly job: TablePagesJob;
      readonly client: WorkerClientSettings;
      readonly database: DatabaseConnection;
      readonly log: { readonly level: string; readonly bindings: Record<string, unknown> };
      /** The header the main thread's provider gave just before sending the job. */
      readonly authorization: string;
    }
  | { readonly type: "abort"; readonly jobId: number }
  /** A run is starting: open the page writer (its thread and connection) now. */
  | { readonly type: "warm"; readonly database: DatabaseConnection }
  | {
      readonly type: "auth-result";
      readonly callId: number;
      readonly value?: string | boolean;
      readonly error?: WireError;
    };

/** What the worker sends the main thread. */
export type FromWorker =
  | {
      readonly type: "auth";
      readonly jobId: number;
      readonly callId: number;
      readonly method: "authorize" | "onUnauthorized";
      readonly rejectedAuthorization?: string;
    }
  | {
      /** A page committed: this table's counts, as now stored in the run row, and its sys_ids. */
      readonly type: "progress";
      readonly jobId: number;
      readonly counts: SyncTableCounts;
      readonly page: CommittedPage;
    }
  | {
      readonly type: "log";
      readonly jobId: number;
      readonly level: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
      readonly bindings: Record<string, unknown>;
      readonly object: Record<string, unknown>;
      readonly message: string;
    }
  | {
      /** A committed delete of the reconciliation: the sys_ids it removed. */
      readonly type: "deleted";
      readonly jobId: number;
      readonly sysIds: readonly string[];
      /** Epoch milliseconds. */
      readonly committedAt: number;
    }
  | { readonly type: "done"; readonly jobId: number; readonly deleted: number }
  | { readonly type: "failed"; readonly jobId: number; readonly error: WireError };
