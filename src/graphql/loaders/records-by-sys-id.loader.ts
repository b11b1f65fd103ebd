import DataLoader from "dataloader";
import type { Repository } from "typeorm";

import {
  findRecordsWhereIn,
  type RecordKey,
  recordKeyOf,
} from "../../database/records-where-in.query";
import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

const cacheKeyFn = (key: RecordKey): string => recordKeyOf(key.integrationId, key.sysId);

/** Loads one record per (integration, sys_id); missing references resolve to null. */
export function createRecordsBySysIdLoader<T extends ServiceNowRecordEntity>(
  repository: Repository<T>,
): DataLoader<RecordKey, T | null, string> {
  return new DataLoader<RecordKey, T | null, string>(
    async (keys) => {
      const rows = await findRecordsWhereIn(repository, "sysId", keys);
      const byKey = new Map(rows.map((row) => [recordKeyOf(row.integrationId, row.sysId), row]));
      return keys.map((key) => byKey.get(cacheKeyFn(key)) ?? null);
    },
    { cacheKeyFn, maxBatchSize: 1000 },
  );
}
