import type { DataSource } from "typeorm";

import { type DatabaseConnection, databaseConnectionOf } from "../database/data-source";
import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import type { Logger } from "../logging/logger";
import { Integration } from "../modules/integrations/integration.entity";
import type { IntegrationConnectionFactory } from "../modules/integrations/integration-connection.factory";
import type {
  RecordChangeOperation,
  RecordChangePublisher,
} from "../modules/record-changes/record-change.event";
import { fetchUserTimeZone, type RecordCursor, type ServiceNowClient } from "../servicenow";
import { AuditedDeletes } from "./audited-deletes";
import { isIdleTable, ProbeZones, type RunZone } from "./change-probe";
import { DeferredIndexes } from "./deferred-indexes";
import { upsertPlanOf } from "./row-upserter";
import { resumeCursor } from "./sync-resume";
import { SyncRun, type SyncTableCounts } from "./sync-run.entity";
import { SyncMode } from "./sync-run.enums";
import { SyncState } from "./sync-state.entity";
import type { SyncTable } from "./sync-table";
import { SYNC_TABLES } from "./sync-tables";
import { SyncWorkerHost } from "./worker/sync-worker.host";
import type { TablePagesJob, TablePagesPlans } from "./worker/table-pages.job";
import { type CommittedPage, runTablePages } from "./worker/table-pages.loop";
import { TypeOrmPageStore } from "./worker/typeorm-page.store";

/**
 * The worker's heap. Its young generation now is what these limits say: under `npm start` the
 * process's `--max-semi-space-size=2` capped every thread's (`startWorkerWithYoungGeneration`),
 * and a page, alive from its parse until it is encoded for the page writer, was promoted and
 * collected again. Side by side (bench --quick, 2026-12-03): 8 MB full/download 1.78–1.82,
 * peak RSS at 4N 181–187 MB; 12 MB 1.69–1.72, 188–191 MB; 16 MB 1.57–1.58 but 200–202 MB, over
 * the 200 MB target. The old-generation cap only bounds a runaway.
 */
const SYNC_WORKER_LIMITS = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 256 } as const;

export interface SyncRunnerSettings {
  readonly pageSize: number;
  readonly requestTimeoutMs: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number };
  /** Incremental runs also reconcile deletes when the last reconciliation is older than this. */
  readonly reconcileEveryMs: number;
}

/**
 * One run of one integration: tables in dependency order, keyset pages on
 * (cursor field, sys_id), each page upserted together with its watermark in one transaction,
 * then delete reconciliation where due. Nothing of a table is held in memory beyond a page.
 */
export class SyncRunner {
  private readonly auditedDeletes: AuditedDeletes;
  private readonly plans = new Map<SyncTable, TablePagesPlans>();
  /** The worker's connection settings; null when only the DataSource's can see the data. */
  private readonly database: DatabaseConnection | null;
  /** Where table page loops run, off the thread that answers requests. */
  readonly workers: SyncWorkerHost;
  private readonly probeZones = new ProbeZones();
  private readonly deferredIndexes: DeferredIndexes;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: IntegrationConnectionFactory,
    private readonly settings: SyncRunnerSettings,
    private readonly logger: Logger,
    /** Where committed pages and deletes are announced (subscriptions). */
    private readonly changes: RecordChangePublisher,
  ) {
    this.auditedDeletes = new AuditedDeletes(dataSource, logger, changes);
    this.deferredIndexes = new DeferredIndexes(dataSource, logger);
    this.database = databaseConnectionOf(dataSource.options);
    this.workers = new SyncWorkerHost(logger, SYNC_WORKER_LIMITS);
  }

  excludedFields(integration: Integration, table: string): Set<string> {
    return new Set(integration.excludedFields.find((entry) => entry.table === table)?.fields ?? []);
  }

  async execute(
    run: SyncRun,
    integration: Integration,
    signal: AbortSignal,
  ): Promise<SyncTableCounts[]> {
    const log = this.logger.child({ integrationId: integration.id, runId: run.id });
    if (this.database !== null) {
      this.workers.warm(this.database);
    }
    const client = await this.connections.client(integration, {
      timeoutMs: this.settings.requestTimeoutMs,
      retry: this.settings.retry,
    });
    // Read when pages are read (once a run); idle runs' probes reuse it for a while.
    const zone = this.probeZones.forRun(integration.id, integration.userTimeZone, () =>
      this.timeZoneOf(client, integration, log),
    );
    // Before the tables, so deletes that happen while they are read are caught afterwards.
    const audited = await this.auditedDeletes.initialize(integration.id, client);
    const counts: SyncTableCounts[] = [];
    for (const table of SYNC_TABLES) {
      signal.throwIfAborted();
      const tableCounts: SyncTableCounts = {
        table: table.spec.name,
        fetched: 0,
        upserted: 0,
        deleted: 0,
      };
      counts.push(tableCounts);
      await this.syncTable(run, integration, table, client, zone, tableCounts, counts, signal, log);
    }
    if (
      audited &&
      (await this.auditedDeletes.apply(
        integration.id,
        client,
        zone,
        this.settings.pageSize,
        counts,
        signal,
        run.id,
      ))
    ) {
      await this.dataSource.getRepository(SyncRun).update({ id: run.id }, { tables: counts });
    }
    return counts;
  }

  /** The zone ServiceNow reads our query dates in; re-read each run since users change it. */
  private async timeZoneOf(
    client: ServiceNowClient,
    integration: Integration,
    log: Logger,
  ): Promise<string> {
    if (integration.username) {
      try {
        const { timeZone } = await fetchUserTimeZone(client, integration.username);
        if (timeZone !== integration.userTimeZone) {
          await this.dataSource
            .getRepository(Integration)
            .update({ id: integration.id }, { userTimeZone: timeZone });
        }
        return timeZone ?? "UTC";
      } catch (error) {
        log.warn(
          { err: error },
          "could not read the integration user's time zone; using the stored one",
        );
      }
    }
    return integration.userTimeZone ?? "UTC";
  }

  private async syncTable(
    run: SyncRun,
    integration: Integration,
    table: SyncTable,
    client: ServiceNowClient,
    zone: RunZone,
    tableCounts: SyncTableCounts,
    allCounts: SyncTableCounts[],
    signal: AbortSignal,
    log: Logger,
  ): Promise<void> {
    const name = table.spec.name;
    const scope = table.scope?.((other) => this.excludedFields(integration, other));
    if (scope === null) {
      // Everything this table would hold is excluded: nothing is asked for, nothing kept.
      const { affected } = await this.dataSource
        .getRepository<ServiceNowRecordEntity>(table.entity)
        .delete({ integrationId: integration.id });
      tableCounts.deleted = affected ?? 0;
      log.info({ table: name }, "every field of the table is excluded; not read");
      return;
    }
    const states = this.dataSource.getRepository(SyncState);
    const state = await states.findOneBy({ integrationId: integration.id, tableName: name });
    const full = run.mode === SyncMode.FULL;
    const watermark: RecordCursor | undefined =
      !full && state?.watermarkTime && state.watermarkSysId
        ? { timestamp: state.watermarkTime, sysId: state.watermarkSysId }
        : undefined;
    const after = resumeCursor(watermark, state?.overlapFrom);
    if (
      await isIdleTable(client, {
        table: table.spec,
        scope,
        after,
        full,
        lastReconciledAt: state?.lastReconciledAt,
        reconcileEveryMs: this.settings.reconcileEveryMs,
        zone,
        signal,
      })
    ) {
      return;
    }
    const timeZone = await zone.forPages();
    const started = Date.now();
    const lastReconciled = state?.lastReconciledAt?.getTime() ?? 0;
    const reconcile = full || started - lastReconciled >= this.settings.reconcileEveryMs;
    // A backfill from the start into an empty table builds its secondary indexes once, at the end.
    const deferred =
      after === undefined && (await this.deferredIndexes.suspendIfEmpty(table.entity));
    const preparedMs = Date.now() - started;
    let deleted: number;
    try {
      deleted = await this.runPages(run, integration, table, client, timeZone, after, reconcile, {
        tableCounts,
        allCounts,
        signal,
        log,
      });
    } finally {
      if (deferred) {
        await this.restoreIndexes(table, log);
      }
    }

    if (reconcile) {
      tableCounts.deleted = deleted;
      // An upsert: an empty table has no state row yet, and without one it reconciled every run.
      await states.upsert(
        {
          integrationId: integration.id,
          tableName: name,
          lastReconciledAt: new Date(started),
          ...(full ? { lastFullSyncAt: new Date(started) } : {}),
          updatedAt: new Date(),
        },
        ["integrationId", "tableName"],
      );
      await this.dataSource.getRepository(SyncRun).update({ id: run.id }, { tables: allCounts });
    }
    log.info({ ...tableCounts, ms: Date.now() - started, preparedMs }, "table synced");
  }

  /**
   * The table's page loop and, when due, its reconciliation, on the sync worker (its own
   * connection and client, credentials asked of `client.auth` here), or here when no second
   * connection can reach the database. Resolves with the rows the reconciliation deleted.
   */
  private async runPages(
    run: SyncRun,
    integration: Integration,
    table: SyncTable,
    client: ServiceNowClient,
    timeZone: string,
    after: RecordCursor | undefined,
    reconcile: boolean,
    progress: {
      tableCounts: SyncTableCounts;
      allCounts: SyncTableCounts[];
      signal: AbortSignal;
      log: Logger;
    },
  ): Promise<number> {
    const { tableCounts, allCounts, signal, log } = progress;
    const job: TablePagesJob = {
      tableIndex: SYNC_TABLES.indexOf(table),
      integrationId: integration.id,
      excludedFields: integration.excludedFields,
      timeZone,
      ...(after ? { after } : {}),
      pageSize: this.settings.pageSize,
      reconcile,
      plans: this.plansOf(table),
      run: { id: run.id, counts: allCounts, index: allCounts.indexOf(tableCounts) },
    };
    const onProgress = (counts: SyncTableCounts, page: CommittedPage) => {
      tableCounts.fetched = counts.fetched;
      tableCounts.upserted = counts.upserted;
      // Here, on the main thread, once the worker's transaction has committed.
      const committedAt = new Date(page.committedAt);
      const name = table.spec.name;
      this.announce(run, integration.id, name, "INSERT", page.inserted, committedAt);
      this.announce(run, integration.id, name, "UPDATE", page.updated, committedAt);
    };
    const onDeleted = (sysIds: readonly string[], committedAt: number) =>
      this.announce(run, integration.id, table.spec.name, "DELETE", sysIds, new Date(committedAt));
    if (this.database === null) {
      return runTablePages(job, {
        client,
        store: new TypeOrmPageStore(this.dataSource),
        signal,
        log,
        onProgress,
        onDeleted,
      });
    }
    return this.workers.run({
      job,
      client: {
        instanceUrl: integration.url,
        timeoutMs: this.settings.requestTimeoutMs,
        retry: this.settings.retry,
      },
      auth: client.auth,
      database: this.database,
      log,
      signal,
      onProgress,
      onDeleted,
    });
  }

  private plansOf(table: SyncTable): TablePagesPlans {
    let plans = this.plans.get(table);
    if (plans === undefined) {
      const runs = this.dataSource.getMetadata(SyncRun);
      const columnOf = (property: string) =>
        runs.findColumnWithPropertyPath(property)?.databaseName ?? property;
      plans = {
        rows: upsertPlanOf(this.dataSource, table.entity),
        state: upsertPlanOf(this.dataSource, SyncState, {
          properties: [
            "integrationId",
            "tableName",
            "watermarkTime",
            "watermarkSysId",
            "overlapFrom",
            "updatedAt",
          ],
          conflictProperties: ["integrationId", "tableName"],
        }),
        runCounts: {
          table: runs.tablePath,
          countsColumn: columnOf("tables"),
          idColumn: columnOf("id"),
        },
      };
      this.plans.set(table, plans);
    }
    return plans;
  }

  /** One change per operation kind of a committed write; nothing when it touched no row. */
  private announce(
    run: SyncRun,
    integrationId: string,
    table: string,
    operation: RecordChangeOperation,
    sysIds: readonly string[],
    committedAt: Date,
  ): void {
    if (sysIds.length === 0) {
      return;
    }
    this.changes.publish({
      integrationId,
      table,
      sysIds,
      operation,
      source: "SYNC",
      syncRunId: run.id,
      committedAt,
    });
  }

  /**
   * Recreates indexes deferred by a backfill that did not finish (a process that died); call it
   * only when no run is in progress anywhere, or a running backfill loses its speed-up.
   */
  async restoreDeferredIndexes(): Promise<number> {
    return this.deferredIndexes.restore();
  }

  private async restoreIndexes(table: SyncTable, log: Logger): Promise<void> {
    const started = Date.now();
    try {
      const restored = await this.deferredIndexes.restore(table.entity);
      log.info(
        { table: table.spec.name, indexes: restored, ms: Date.now() - started },
        "indexes built",
      );
    } catch (error) {
      // The rows are committed and correct; the next start (or backfill) builds what is missing.
      log.error({ err: error, table: table.spec.name }, "could not build the deferred indexes");
    }
  }

  /** Stops the sync worker (gateway stop). */
  async close(): Promise<void> {
    await this.workers.close();
  }
}
