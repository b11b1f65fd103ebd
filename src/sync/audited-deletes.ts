import { type DataSource, In } from "typeorm";

import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import type { Logger } from "../logging/logger";
import type { RecordChangePublisher } from "../modules/record-changes/record-change.event";
import {
  isServiceNowError,
  pageRecords,
  query,
  readDateTime,
  readValue,
  type RecordCursor,
  type ServiceNowClient,
} from "../servicenow";
import { probeForChanges, type RunZone } from "./change-probe";
import { isOpenSecond, resumeCursor } from "./sync-resume";
import type { SyncTableCounts } from "./sync-run.entity";
import { SyncState } from "./sync-state.entity";
import { SYNC_TABLES } from "./sync-tables";

export const AUDIT_DELETE_TABLE = "sys_audit_delete";
const EPOCH: RecordCursor = { timestamp: new Date(0), sysId: "0" };

/**
 * Where the instance audits deletes, `sys_audit_delete` (tablename, documentkey) tells an
 * incremental run what disappeared since the last run, without comparing sys_id sets. Its own
 * watermark starts at the newest audit row seen when first used, so history is not replayed.
 * Without read access the step is skipped and the daily reconciliation finds deletes instead.
 */
export class AuditedDeletes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly changes: RecordChangePublisher,
  ) {}

  private scope() {
    return query().andIn(
      "tablename",
      SYNC_TABLES.map((table) => table.spec.name),
    );
  }

  /** Sets the starting point at the newest audit row if none exists yet; false when unreadable. */
  async initialize(integrationId: string, client: ServiceNowClient): Promise<boolean> {
    const states = this.dataSource.getRepository(SyncState);
    if (await states.findOneBy({ integrationId, tableName: AUDIT_DELETE_TABLE })) {
      return true;
    }
    try {
      const newest = await client.getRecords(AUDIT_DELETE_TABLE, {
        query: this.scope().orderByDesc("sys_created_on").orderByDesc("sys_id"),
        fields: ["sys_id", "sys_created_on"],
        limit: 1,
        noCount: true,
      });
      const record = newest.records[0];
      const timestamp = record ? readDateTime(record.sys_created_on) : null;
      const cursor = record && timestamp ? { timestamp, sysId: readValue(record.sys_id) } : EPOCH;
      await states.save({
        integrationId,
        tableName: AUDIT_DELETE_TABLE,
        watermarkTime: cursor.timestamp,
        watermarkSysId: cursor.sysId,
        overlapFrom: null,
        lastFullSyncAt: null,
        lastReconciledAt: null,
        updatedAt: new Date(),
      });
      return true;
    } catch (error) {
      if (
        isServiceNowError(error) &&
        ["FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(error.code)
      ) {
        this.logger.info(
          { integrationId, code: error.code },
          "sys_audit_delete is not readable; deletes are found by reconciliation",
        );
        return false;
      }
      throw error;
    }
  }

  /**
   * Applies audited deletes after the watermark, page by page, each page with its watermark.
   * One probe first (`probeForChanges`): when nothing was deleted since, that is the whole
   * cost, nothing is written, and false is returned.
   */
  async apply(
    integrationId: string,
    client: ServiceNowClient,
    zone: RunZone,
    pageSize: number,
    counts: readonly SyncTableCounts[],
    signal: AbortSignal,
    runId: string,
  ): Promise<boolean> {
    const states = this.dataSource.getRepository(SyncState);
    const state = await states.findOneBy({ integrationId, tableName: AUDIT_DELETE_TABLE });
    if (!state?.watermarkTime || !state.watermarkSysId) {
      return false;
    }
    const after = resumeCursor(
      { timestamp: state.watermarkTime, sysId: state.watermarkSysId },
      state.overlapFrom,
    );
    const changed = await probeForChanges(client, {
      table: AUDIT_DELETE_TABLE,
      cursorField: "sys_created_on",
      scope: this.scope(),
      after,
      timeZone: await zone.forProbes(),
      signal,
    });
    if (!changed) {
      return false;
    }
    const timeZone = await zone.forPages();
    let openFrom: Date | null = null;
    for await (const page of pageRecords(client, {
      table: AUDIT_DELETE_TABLE,
      fields: ["sys_id", "sys_created_on", "tablename", "documentkey"],
      cursorField: "sys_created_on",
      timeZone,
      scope: this.scope(),
      after,
      pageSize,
      signal,
    })) {
      if (openFrom === null && isOpenSecond(page.cursor.timestamp, page.serverTime)) {
        openFrom = page.cursor.timestamp;
      }
      const deleted: Array<{ table: string; sysIds: string[] }> = [];
      await this.dataSource.transaction(async (manager) => {
        for (const table of SYNC_TABLES) {
          const keys = page.records
            .filter((record) => readValue(record.tablename) === table.spec.name)
            .map((record) => readValue(record.documentkey))
            .filter((key) => key !== "");
          if (keys.length === 0) {
            continue;
          }
          const records = manager.getRepository<ServiceNowRecordEntity>(table.entity);
          // The ones the cache holds: subscribers hear of deletes that removed something.
          const held = await records.find({
            select: { sysId: true },
            where: { integrationId, sysId: In(keys) },
          });
          if (held.length === 0) {
            continue;
          }
          const sysIds = held.map((record) => record.sysId);
          const result = await records.delete({ integrationId, sysId: In(sysIds) });
          deleted.push({ table: table.spec.name, sysIds });
          const tableCounts = counts.find((entry) => entry.table === table.spec.name);
          if (tableCounts) {
            tableCounts.deleted += result.affected ?? 0;
          }
        }
        await manager.update(
          SyncState,
          { integrationId, tableName: AUDIT_DELETE_TABLE },
          {
            watermarkTime: page.cursor.timestamp,
            watermarkSysId: page.cursor.sysId,
            overlapFrom: openFrom,
            updatedAt: new Date(),
          },
        );
      });
      const committedAt = new Date();
      for (const { table, sysIds } of deleted) {
        this.changes.publish({
          integrationId,
          table,
          sysIds,
          operation: "DELETE",
          source: "SYNC",
          syncRunId: runId,
          committedAt,
        });
      }
    }
    return true;
  }
}
