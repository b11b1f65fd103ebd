import { performance } from "node:perf_hooks";

import type { Logger } from "../../logging/logger";
import { fetchTableFields, pageRecords, type ServiceNowClient } from "../../servicenow";
import { syncFieldsOf } from "../sync-fields";
import { isOpenSecond } from "../sync-resume";
import type { SyncTableCounts } from "../sync-run.entity";
import { TABLE_MAPPERS } from "../table-mappers";
import { type PageChanges, type PageCommit, PageStatements, type PageStore } from "./page.store";
import type { TablePagesJob } from "./table-pages.job";
import { reconcileTable } from "./table-reconcile";

export interface TablePagesContext {
  readonly client: ServiceNowClient;
  readonly store: PageStore;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * After each committed page: the table's counts as the run row now holds them, and the
   * sys_ids the page inserted and updated (for subscribers, announced only once committed).
   */
  readonly onProgress: (counts: SyncTableCounts, page: CommittedPage) => void;
  /** After each committed delete of the reconciliation (epoch ms of its commit). */
  readonly onDeleted: (sysIds: readonly string[], committedAt: number) => void;
}

/** What one committed page changed, and when its transaction committed. */
export interface CommittedPage extends PageChanges {
  /** Epoch milliseconds: plain data over the port (a Date would be rebuilt in another realm). */
  readonly committedAt: number;
}

/**
 * One table's pages after its watermark: fetched (the pager requests page N+1 while page N is
 * mapped and written), mapped, and committed each with its watermark and the run's counts in
 * one transaction, so a crash loses nothing and repeats nothing. Runs in the sync worker, or on
 * the main thread when no other connection can reach the database (in-memory SQLite). When the
 * job says so, the table is then reconciled (deletes found); resolves with how many rows that
 * deleted.
 */
export async function runTablePages(
  job: TablePagesJob,
  context: TablePagesContext,
): Promise<number> {
  const { client, store, signal } = context;
  const mapper = TABLE_MAPPERS[job.tableIndex];
  if (mapper === undefined) {
    throw new RangeError(`No table mapper at index ${job.tableIndex}`);
  }
  const excluded = (table: string): ReadonlySet<string> =>
    new Set(job.excludedFields.find((entry) => entry.table === table)?.fields ?? []);
  // Main already answered the null case (nothing of the table is read) before sending the job.
  const scope = mapper.scope?.(excluded) ?? undefined;
  const started = performance.now();
  // Read here rather than by the main thread: one turn of its event loop less per table, and
  // under read load a turn there is a queue of requests long.
  const discovered = await fetchTableFields(
    client,
    mapper.spec.name,
    mapper.spec.parentTables,
    signal,
  );
  if (discovered === null) {
    context.log.info(
      { table: mapper.spec.name },
      "sys_dictionary is not readable; syncing the mapped fields only",
    );
  }
  const fields = syncFieldsOf(mapper.spec, discovered, excluded(mapper.spec.name));
  const fieldsRead = performance.now();
  let pages = 0;
  const statements = new PageStatements(job.plans);
  const counts = job.run.counts.map((entry) => ({ ...entry }));
  const tableCounts = counts[job.run.index];
  if (tableCounts === undefined) {
    throw new RangeError(`No counts at index ${job.run.index}`);
  }
  // The earliest second this run reads while ServiceNow may still write into it.
  let openFrom: Date | null = null;
  // The previous page's commit, still running while this page is fetched, mapped and encoded:
  // the store's connection works (another thread or the database server) while this one maps.
  // Pages still commit one after the other, in order; at most one waits, so memory stays flat.
  let committing: Promise<void> | null = null;
  try {
    for await (const page of pageRecords(client, {
      table: mapper.spec.name,
      fields,
      cursorField: mapper.spec.cursorField,
      timeZone: job.timeZone,
      scope,
      after: job.after,
      pageSize: job.pageSize,
      displayValue: "all",
      signal,
    })) {
      pages += 1;
      const syncedAt = new Date();
      if (openFrom === null && isOpenSecond(page.cursor.timestamp, page.serverTime)) {
        openFrom = page.cursor.timestamp;
      }
      const encoded = statements.encode(
        page.records.map((raw) => mapper.map(raw, { integrationId: job.integrationId, syncedAt })),
      );
      tableCounts.fetched += page.records.length;
      tableCounts.upserted += encoded.sysIds.length;
      // The counts as this page's commit stores them (the next page changes them meanwhile).
      const committedCounts = counts.map((entry) => ({ ...entry }));
      const commit: PageCommit = {
        integrationId: job.integrationId,
        tableName: mapper.spec.name,
        ...encoded,
        watermark: page.cursor,
        overlapFrom: openFrom,
        syncedAt,
        runId: job.run.id,
        counts: committedCounts,
      };
      if (committing !== null) {
        await committing;
      }
      signal.throwIfAborted();
      committing = store.commit(statements, commit).then((changes) => {
        context.onProgress(
          { ...(committedCounts[job.run.index] as SyncTableCounts) },
          { ...changes, committedAt: Date.now() },
        );
      });
      // Awaited before the next commit or after the last page; a failure meanwhile is not
      // unhandled, and still rejects there.
      committing.catch(() => undefined);
    }
    if (committing !== null) {
      await committing;
    }
  } catch (error) {
    // Whatever failed (a fetch, a mapping), the commit in flight ends before the loop does:
    // the caller may close the connection or start the next table on it.
    await committing?.catch(() => undefined);
    throw error;
  }
  signal.throwIfAborted();
  const committed = performance.now();
  // Where a table's time went, for operators (debug) and the benchmark's profile.
  const timings = (reconcileMs?: number) =>
    context.log.debug(
      {
        table: mapper.spec.name,
        pages,
        fieldsMs: Math.round(fieldsRead - started),
        pagesMs: Math.round(committed - fieldsRead),
        ...(reconcileMs === undefined ? {} : { reconcileMs: Math.round(reconcileMs) }),
      },
      "table pages committed",
    );
  if (!job.reconcile) {
    timings();
    return 0;
  }
  const deleted = await reconcileTable(
    {
      integrationId: job.integrationId,
      table: mapper.spec.name,
      scope,
      pageSize: job.pageSize,
      rows: job.plans.rows,
    },
    {
      client,
      executor: store.direct,
      signal,
      onDeleted: (sysIds) => context.onDeleted(sysIds, Date.now()),
    },
  );
  timings(performance.now() - committed);
  return deleted;
}
