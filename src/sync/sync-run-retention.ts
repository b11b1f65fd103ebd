import type { DataSource } from "typeorm";

import { SyncRun } from "./sync-run.entity";
import { SyncRunStatus } from "./sync-run.enums";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SyncRunRetentionSettings {
  /** SYNC_RUN_RETENTION_DAYS. */
  readonly retentionDays: number;
}

/**
 * Keeps `sync_run` bounded: finished runs that started more than the retention ago are
 * deleted, except the last successful and the last failed run of each integration, which stay
 * whatever their age (they are what an operator looks for). Running rows are never touched.
 * One statement for every integration, safe to run from several replicas at once: the newest
 * row of each (integration, status) has no newer one, so no statement can delete it.
 */
export class SyncRunRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SyncRunRetentionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Deletes expired runs; returns how many. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.now() - this.settings.retentionDays * DAY_MS);
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SyncRun)
      .where("started_at < :cutoff", { cutoff })
      .andWhere("status IN (:...finished)", {
        finished: [SyncRunStatus.SUCCEEDED, SyncRunStatus.FAILED],
      })
      // A newer run of the same integration with the same outcome exists: this is not the last.
      .andWhere(
        `EXISTS (SELECT 1 FROM sync_run newer
          WHERE newer.integration_id = sync_run.integration_id
            AND newer.status = sync_run.status
            AND (newer.started_at > sync_run.started_at
              OR (newer.started_at = sync_run.started_at AND newer.id > sync_run.id)))`,
      )
      .execute();
    return result.affected ?? 0;
  }
}
