import DataLoader from "dataloader";
import { Brackets, type DataSource, In } from "typeorm";

import type { RecordKey } from "../../database/records-where-in.query";
import { JournalEntry } from "../../modules/journal-entries/journal-entry.entity";

export interface JournalEntriesOptions {
  /** Latest entries per record. */
  readonly first: number;
  /** comments, work_notes, or both when null. */
  readonly element: string | null;
}

const keyOf = (integrationId: string, sysId: string): string => `${integrationId}:${sysId}`;

/**
 * The latest `first` journal entries of each record, in two statements whatever the number of
 * records: a window query picks the ids, a second loads them.
 */
export function createJournalEntriesByRecordLoader(
  dataSource: DataSource,
  options: JournalEntriesOptions,
): DataLoader<RecordKey, JournalEntry[], string> {
  const repository = dataSource.getRepository(JournalEntry);
  return new DataLoader<RecordKey, JournalEntry[], string>(
    async (keys) => {
      const byIntegration = new Map<string, Set<string>>();
      for (const key of keys) {
        const set = byIntegration.get(key.integrationId) ?? new Set<string>();
        set.add(key.sysId);
        byIntegration.set(key.integrationId, set);
      }
      const ranked = repository
        .createQueryBuilder("entry")
        .select("entry.id", "id")
        .addSelect(
          "ROW_NUMBER() OVER (PARTITION BY entry.integration_id, entry.element_sys_id ORDER BY entry.sys_created_on DESC, entry.id DESC)",
          "rank",
        );
      let index = 0;
      ranked.where(
        new Brackets((where) => {
          for (const [integrationId, sysIds] of byIntegration) {
            where.orWhere(
              `(entry.integrationId = :integration_${index} AND entry.elementSysId IN (:...records_${index}))`,
              { [`integration_${index}`]: integrationId, [`records_${index}`]: [...sysIds] },
            );
            index += 1;
          }
        }),
      );
      if (options.element !== null) {
        ranked.andWhere("entry.element = :element", { element: options.element });
      }
      const [sql, parameters] = ranked.getQueryAndParameters();
      const limitPlaceholder =
        dataSource.options.type === "postgres" ? `$${parameters.length + 1}` : "?";
      const rows: Array<{ id: number | string }> = await dataSource.query(
        `SELECT ranked.id AS id FROM (${sql}) ranked WHERE ranked.rank <= ${limitPlaceholder}`,
        [...parameters, options.first],
      );
      const entries =
        rows.length === 0
          ? []
          : await repository.find({
              where: { id: In(rows.map((row) => Number(row.id))) },
              order: { sysCreatedOn: "DESC", id: "DESC" },
            });
      const byRecord = new Map<string, JournalEntry[]>();
      for (const entry of entries) {
        const key = keyOf(entry.integrationId, entry.elementSysId);
        const list = byRecord.get(key) ?? [];
        list.push(entry);
        byRecord.set(key, list);
      }
      return keys.map((key) => byRecord.get(keyOf(key.integrationId, key.sysId)) ?? []);
    },
    { cacheKeyFn: (key) => keyOf(key.integrationId, key.sysId), maxBatchSize: 1000 },
  );
}
