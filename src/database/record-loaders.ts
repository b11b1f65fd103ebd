import DataLoader from "dataloader";
import { Brackets, type Repository } from "typeorm";

import type { ServiceNowRecordEntity } from "./servicenow-record.entity";

export interface RecordKey {
  readonly integrationId: string;
  readonly sysId: string;
}

/** Rows of a to-many relation are ordered by one property, then by id. */
export interface RecordOrder {
  readonly property: string;
  readonly direction: "ASC" | "DESC";
}

const keyOf = (integrationId: string, value: string): string => `${integrationId}:${value}`;

function groupByIntegration<K extends RecordKey>(keys: readonly K[]): Map<string, string[]> {
  const byIntegration = new Map<string, string[]>();
  for (const key of keys) {
    const values = byIntegration.get(key.integrationId) ?? [];
    values.push(key.sysId);
    byIntegration.set(key.integrationId, values);
  }
  return byIntegration;
}

/**
 * One SELECT for every record referenced in a GraphQL response level, whatever the page size:
 * `(integration_id = ? AND <column> IN (…)) OR …`, one bracket per integration present.
 */
async function loadWhereIn<T extends ServiceNowRecordEntity>(
  repository: Repository<T>,
  column: string,
  keys: readonly RecordKey[],
  orderBy?: RecordOrder,
): Promise<T[]> {
  const query = repository.createQueryBuilder("record");
  let index = 0;
  query.where(
    new Brackets((where) => {
      for (const [integrationId, values] of groupByIntegration(keys)) {
        const integrationParam = `integration_${index}`;
        const valuesParam = `values_${index}`;
        index += 1;
        where.orWhere(
          `(record.integrationId = :${integrationParam} AND record.${column} IN (:...${valuesParam}))`,
          { [integrationParam]: integrationId, [valuesParam]: [...new Set(values)] },
        );
      }
    }),
  );
  if (orderBy) {
    query.orderBy(`record.${orderBy.property}`, orderBy.direction).addOrderBy("record.id", "ASC");
  }
  return query.getMany();
}

const cacheKeyFn = (key: RecordKey): string => keyOf(key.integrationId, key.sysId);

/** Loads one record per (integration, sys_id); missing references resolve to null. */
export function createRecordBySysIdLoader<T extends ServiceNowRecordEntity>(
  repository: Repository<T>,
): DataLoader<RecordKey, T | null, string> {
  return new DataLoader<RecordKey, T | null, string>(
    async (keys) => {
      const rows = await loadWhereIn(repository, "sysId", keys);
      const byKey = new Map(rows.map((row) => [keyOf(row.integrationId, row.sysId), row]));
      return keys.map((key) => byKey.get(cacheKeyFn(key)) ?? null);
    },
    { cacheKeyFn, maxBatchSize: 1000 },
  );
}

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
      const rows = await loadWhereIn(repository, column, keys, orderBy);
      const byKey = new Map<string, T[]>();
      for (const row of rows) {
        const key = keyOf(row.integrationId, String(Reflect.get(row, column)));
        const list = byKey.get(key) ?? [];
        list.push(row);
        byKey.set(key, list);
      }
      return keys.map((key) => byKey.get(cacheKeyFn(key)) ?? []);
    },
    { cacheKeyFn, maxBatchSize: 1000 },
  );
}
