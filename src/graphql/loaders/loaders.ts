import type DataLoader from "dataloader";
import type { DataSource } from "typeorm";

import { recordEntityOf } from "../../database/entities";
import type { RecordKey } from "../../database/records-where-in.query";
import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import type { Integration } from "../../modules/integrations/integration.entity";
import type { JournalEntry } from "../../modules/journal-entries/journal-entry.entity";
import type { WebhookSecret } from "../../modules/webhooks/webhook-secret.entity";
import type { SyncRun } from "../../sync/sync-run.entity";
import type { TableDescriptor, ToManyRelation } from "../../table-model/table.descriptor";
import { tableNamed } from "../../tables";
import { createIntegrationsByIdLoader } from "./integrations-by-id.loader";
import {
  createJournalEntriesByRecordLoader,
  type JournalEntriesOptions,
} from "./journal-entries-by-record.loader";
import { createLastSyncRunByIntegrationLoader } from "./last-sync-run-by-integration.loader";
import { createRecordsByReferenceLoader } from "./records-by-reference.loader";
import { createRecordsBySysIdLoader } from "./records-by-sys-id.loader";
import { createTransactionsTodayByIntegrationLoader } from "./transactions-today-by-integration.loader";
import { createWebhookSecretsByIntegrationLoader } from "./webhook-secrets-by-integration.loader";

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
  readonly transactionsTodayByIntegration: DataLoader<string, number>;
  readonly webhookSecretByIntegration: DataLoader<string, WebhookSecret | null>;
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
  return {
    recordBySysId(table) {
      return memoized(bySysId, table.name, () =>
        createRecordsBySysIdLoader(dataSource.getRepository(recordEntityOf(table))),
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
    integrationById: createIntegrationsByIdLoader(dataSource),
    lastSyncRunByIntegration: createLastSyncRunByIntegrationLoader(dataSource),
    transactionsTodayByIntegration: createTransactionsTodayByIntegrationLoader(dataSource),
    webhookSecretByIntegration: createWebhookSecretsByIntegrationLoader(dataSource),
    journalEntriesByRecord(options) {
      // One loader per distinct (first, element): their batches stay one query each.
      return memoized(journalLoaders, `${options.first}:${options.element ?? "*"}`, () =>
        createJournalEntriesByRecordLoader(dataSource, options),
      );
    },
  };
}
