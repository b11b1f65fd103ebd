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

/** The map key of a record (or of a reference to one) within its integration. */
export const recordKeyOf = (integrationId: string, value: string): string =>
  `${integrationId}:${value}`;

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
export async function findRecordsWhereIn<T extends ServiceNowRecordEntity>(
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
