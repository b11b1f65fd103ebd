import DataLoader from "dataloader";
import type { Repository } from "typeorm";

import {
  findRecordsWhereIn,
  type RecordKey,
  recordKeyOf,
  type RecordOrder,
} from "../../database/records-where-in.query";
import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

const cacheKeyFn = (key: RecordKey): string => recordKeyOf(key.integrationId, key.sysId);

/**
 * Loads every record whose `column` (a property of the entity, e.g. documentSysId) holds the
 * key's sys_id (e.g. approvals of a change).
 */
export function createRecordsByReferenceLoader<T extends ServiceNowRecordEntity>(
  repository: Repository<T>,
  column: string,
  orderBy: RecordOrder,
): DataLoader<RecordKey, T[], string> {
  return new DataLoader<RecordKey, T[], string>(
    async (keys) => {
      const rows = await findRecordsWhereIn(repository, column, keys, orderBy);
      const byKey = new Map<string, T[]>();
      for (const row of rows) {
        const key = recordKeyOf(row.integrationId, String(Reflect.get(row, column)));
        const list = byKey.get(key) ?? [];
        list.push(row);
        byKey.set(key, list);
      }
      return keys.map((key) => byKey.get(cacheKeyFn(key)) ?? []);
    },
    { cacheKeyFn, maxBatchSize: 1000 },
  );
}
