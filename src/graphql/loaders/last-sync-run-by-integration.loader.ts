import DataLoader from "dataloader";
import type { DataSource } from "typeorm";

import { SyncRun } from "../../sync/sync-run.entity";

/** The latest sync run of each integration; null when it never ran. */
export function createLastSyncRunByIntegrationLoader(
  dataSource: DataSource,
): DataLoader<string, SyncRun | null> {
  return new DataLoader<string, SyncRun | null>(async (ids) => {
    // Latest run per integration in one statement: rows whose startedAt is the group maximum.
    const runs = await dataSource
      .getRepository(SyncRun)
      .createQueryBuilder("run")
      .where("run.integrationId IN (:...ids)", { ids: [...ids] })
      .andWhere(
        "run.startedAt = (SELECT MAX(latest.started_at) FROM sync_run latest WHERE latest.integration_id = run.integration_id)",
      )
      .getMany();
    // Two runs may share the latest start: the greater id wins, the same on every request.
    const byIntegration = new Map(
      runs.sort((a, b) => a.id.localeCompare(b.id)).map((run) => [run.integrationId, run]),
    );
    return ids.map((id) => byIntegration.get(id) ?? null);
  });
}
