import DataLoader from "dataloader";
import { type DataSource, In } from "typeorm";

import { recordEntityOf } from "../database/entities";
import {
  createRecordBySysIdLoader,
  createRecordsByReferenceLoader,
  type RecordKey,
} from "../database/record-loaders";
import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import { Integration } from "../modules/integrations/integration.entity";
import {
  createJournalEntriesByRecordLoader,
  type JournalEntriesOptions,
} from "../modules/journal-entries/journal-entries-by-record.loader";
import type { JournalEntry } from "../modules/journal-entries/journal-entry.entity";
import { SyncRun } from "../sync/sync-run.entity";
import type { TableDescriptor, ToManyRelation } from "../table-model/table.descriptor";
import { tableNamed } from "../tables";

/**
 * Every relation of the API resolves through one of these, created fresh per request. Record
 * loaders exist per described table (to-one) and per to-many relation, made on first use.
 */
export interface Loaders {
  recordBySysId(
    table: TableDescriptor,
  ): DataLoader<RecordKey, ServiceNowRecordEntity | null, string>;
  recordsByReference(
    relation: ToManyRelation,
  ): DataLoader<RecordKey, ServiceNowRecordEntity[], string>;
  readonly integrationById: DataLoader<string, Integration | null>;
  readonly lastSyncRunByIntegration: DataLoader<string, SyncRun | null>;
  journalEntriesByRecord(
    options: JournalEntriesOptions,
  ): DataLoader<RecordKey, JournalEntry[], string>;
}

/** The loader under `key`, made by `create` the first time this request asks for it. */
function memoized<V>(cache: Map<string, V>, key: string, create: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = create();
    cache.set(key, value);
  }
  return value;
}

export function createLoaders(dataSource: DataSource): Loaders {
  const bySysId = new Map<string, DataLoader<RecordKey, ServiceNowRecordEntity | null, string>>();
  const byReference = new Map<string, DataLoader<RecordKey, ServiceNowRecordEntity[], string>>();
  const journalLoaders = new Map<string, DataLoader<RecordKey, JournalEntry[], string>>();
  const integrations = dataSource.getRepository(Integration);
  return {
    recordBySysId(table) {
      return memoized(bySysId, table.name, () =>
        createRecordBySysIdLoader(dataSource.getRepository(recordEntityOf(table))),
      );
    },
    recordsByReference(relation) {
      return memoized(byReference, `${relation.table}:${relation.foreignKey}`, () =>
        createRecordsByReferenceLoader(
          dataSource.getRepository(recordEntityOf(tableNamed(relation.table))),
          relation.foreignKey,
          relation.orderBy,
        ),
      );
    },
    integrationById: new DataLoader<string, Integration | null>(async (ids) => {
      const rows = await integrations.findBy({ id: In([...ids]) });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    lastSyncRunByIntegration: new DataLoader<string, SyncRun | null>(async (ids) => {
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
    }),
    journalEntriesByRecord(options) {
      // One loader per distinct (first, element): their batches stay one query each.
      return memoized(journalLoaders, `${options.first}:${options.element ?? "*"}`, () =>
        createJournalEntriesByRecordLoader(dataSource, options),
      );
    },
  };
}
