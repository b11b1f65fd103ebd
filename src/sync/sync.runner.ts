import { type DataSource, type EntityManager, In } from "typeorm";

import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import type { Logger } from "../logging/logger";
import { Integration } from "../modules/integrations/integration.entity";
import type { IntegrationConnectionFactory } from "../modules/integrations/integration-connection.factory";
import {
  type EncodedQuery,
  fetchTableFields,
  fetchUserTimeZone,
  pageRecords,
  pageSysIds,
  type RecordCursor,
  type ServiceNowClient,
} from "../servicenow";
import { AuditedDeletes } from "./audited-deletes";
import { RowUpserter } from "./row-upserter";
import { isOpenSecond, resumeCursor } from "./sync-resume";
import { SyncRun, type SyncTableCounts } from "./sync-run.entity";
import { SyncMode } from "./sync-run.enums";
import { SyncState } from "./sync-state.entity";
import type { SyncTable } from "./sync-table";
import { SYNC_TABLES } from "./sync-tables";

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
  private readonly upserters = new Map<SyncTable, RowUpserter>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: IntegrationConnectionFactory,
    private readonly settings: SyncRunnerSettings,
    private readonly logger: Logger,
  ) {
    this.auditedDeletes = new AuditedDeletes(dataSource, logger);
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
    const client = await this.connections.client(integration, {
      timeoutMs: this.settings.requestTimeoutMs,
      retry: this.settings.retry,
    });
    const timeZone = await this.timeZoneOf(client, integration, log);
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
      await this.syncTable(
        run,
        integration,
        table,
        client,
        timeZone,
        tableCounts,
        counts,
        signal,
        log,
      );
    }
    if (audited) {
      await this.auditedDeletes.apply(
        integration.id,
        client,
        timeZone,
        this.settings.pageSize,
        counts,
        signal,
      );
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
    timeZone: string,
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
    // The earliest second this run reads while ServiceNow may still write into it.
    let openFrom: Date | null = null;
    const excluded = this.excludedFields(integration, name);
    // Every field the instance has (custom ones included) lands in `attributes`; when the
    // dictionary is not readable, the fields the gateway maps are still complete.
    const discovered = await fetchTableFields(client, name, table.spec.parentTables, signal);
    if (discovered === null) {
      log.info({ table: name }, "sys_dictionary is not readable; syncing the mapped fields only");
    }
    // Journal fields on the record carry the latest entries as text: their entries are
    // journal rows of their own (kept or excluded there), never attributes of the record.
    const journal = new Set(table.spec.journalFields ?? []);
    const fields = [...new Set([...table.spec.fields, ...(discovered ?? [])])].filter(
      (field) => !excluded.has(field) && !journal.has(field),
    );
    const started = Date.now();

    for await (const page of pageRecords(client, {
      table: name,
      fields,
      cursorField: table.spec.cursorField,
      timeZone,
      scope,
      after,
      pageSize: this.settings.pageSize,
      displayValue: "all",
      signal,
    })) {
      const syncedAt = new Date();
      if (openFrom === null && isOpenSecond(page.cursor.timestamp, page.serverTime)) {
        openFrom = page.cursor.timestamp;
      }
      const rows = page.records.map((raw) =>
        table.map(raw, { integrationId: integration.id, syncedAt }),
      );
      tableCounts.fetched += page.records.length;
      tableCounts.upserted += rows.length;
      // The page and its watermark commit together: a crash loses nothing and repeats nothing.
      await this.dataSource.transaction(async (manager) => {
        await this.upsert(manager, table, rows);
        await manager.upsert(
          SyncState,
          {
            integrationId: integration.id,
            tableName: name,
            watermarkTime: page.cursor.timestamp,
            watermarkSysId: page.cursor.sysId,
            overlapFrom: openFrom,
            updatedAt: syncedAt,
          },
          ["integrationId", "tableName"],
        );
        await manager.update(SyncRun, { id: run.id }, { tables: allCounts });
      });
      signal.throwIfAborted();
    }

    const lastReconciled = state?.lastReconciledAt?.getTime() ?? 0;
    if (full || Date.now() - lastReconciled >= this.settings.reconcileEveryMs) {
      tableCounts.deleted = await this.reconcile(integration, table, scope, client, signal);
      await states.update(
        { integrationId: integration.id, tableName: name },
        {
          lastReconciledAt: new Date(started),
          ...(full ? { lastFullSyncAt: new Date(started) } : {}),
        },
      );
      await this.dataSource.getRepository(SyncRun).update({ id: run.id }, { tables: allCounts });
    }
    log.info({ ...tableCounts, ms: Date.now() - started }, "table synced");
  }

  private async upsert(manager: EntityManager, table: SyncTable, rows: object[]): Promise<void> {
    let upserter = this.upserters.get(table);
    if (!upserter) {
      upserter = new RowUpserter(this.dataSource, table.entity);
      this.upserters.set(table, upserter);
    }
    await upserter.upsert(manager, rows);
  }

  /**
   * Deletes cached rows ServiceNow no longer has: a merge of its sys_id pages (sys_id order,
   * keyset, `sysparm_fields=sys_id`) against ours, range by range, so memory stays flat.
   */
  private async reconcile(
    integration: Integration,
    table: SyncTable,
    scope: EncodedQuery | undefined,
    client: ServiceNowClient,
    signal: AbortSignal,
  ): Promise<number> {
    const repository = this.dataSource.getRepository<ServiceNowRecordEntity>(table.entity);
    let deleted = 0;
    let previous: string | null = null;
    const removeLocalRange = async (upTo: string | null, remote: ReadonlySet<string>) => {
      const query = repository
        .createQueryBuilder("record")
        .select("record.sysId", "sysId")
        .where("record.integrationId = :integrationId", { integrationId: integration.id });
      if (previous !== null) {
        query.andWhere("record.sysId > :previous", { previous });
      }
      if (upTo !== null) {
        query.andWhere("record.sysId <= :upTo", { upTo });
      }
      const local: Array<{ sysId: string }> = await query.getRawMany();
      const gone = local.map((row) => row.sysId).filter((sysId) => !remote.has(sysId));
      for (let start = 0; start < gone.length; start += 500) {
        await repository.delete({
          integrationId: integration.id,
          sysId: In(gone.slice(start, start + 500)),
        });
      }
      deleted += gone.length;
    };
    for await (const page of pageSysIds(client, {
      table: table.spec.name,
      scope,
      pageSize: Math.max(this.settings.pageSize, 1000),
      signal,
    })) {
      await removeLocalRange(page.cursor, new Set(page.sysIds));
      previous = page.cursor;
    }
    await removeLocalRange(null, new Set());
    return deleted;
  }
}
