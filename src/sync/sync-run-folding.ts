import { type DataSource, LessThan } from "typeorm";

import { SyncRun } from "./sync-run.entity";
import { SyncMode, SyncRunStatus } from "./sync-run.enums";

/** A successful incremental run that read, wrote and deleted nothing. */
export function isIdleRun(run: SyncRun): boolean {
  return (
    run.status === SyncRunStatus.SUCCEEDED &&
    run.mode === SyncMode.INCREMENTAL &&
    run.tables.every(
      (counts) => counts.fetched === 0 && counts.upserted === 0 && counts.deleted === 0,
    )
  );
}

/**
 * Folds a run that changed nothing into the history: when the integration's previous run was
 * idle too (same trigger), that row is deleted and this one counts it (`runCount`,
 * `firstStartedAt`). At one-minute intervals a quiet integration keeps a handful of rows
 * instead of 1,440 a day. The newest row stays, so a run's id returned by syncIntegration and
 * `lastSyncRun` remain valid. Runs of one integration never overlap (the lease), so the
 * previous run is final when this one finishes.
 */
export class SyncRunFolding {
  constructor(private readonly dataSource: DataSource) {}

  /** True when the run absorbed its predecessor. */
  async fold(runId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const runs = manager.getRepository(SyncRun);
      const run = await runs.findOneBy({ id: runId });
      if (!run || !isIdleRun(run)) {
        return false;
      }
      const previous = await runs.findOne({
        where: { integrationId: run.integrationId, startedAt: LessThan(run.startedAt) },
        order: { startedAt: "DESC", id: "DESC" },
      });
      if (!previous || !isIdleRun(previous) || previous.trigger !== run.trigger) {
        return false;
      }
      await runs.update(
        { id: run.id },
        {
          runCount: previous.runCount + 1,
          firstStartedAt: previous.firstStartedAt ?? previous.startedAt,
        },
      );
      await runs.delete({ id: previous.id });
      return true;
    });
  }
}
