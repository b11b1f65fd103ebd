import type { EntityTarget } from "typeorm";

import { WriteAllowance } from "../modules/incident-writes/write-allowance.entity";
import { WriteLogEntry } from "../modules/incident-writes/write-log.entity";
import { Integration } from "../modules/integrations/integration.entity";
import { OAuthState } from "../modules/integrations/oauth-state.entity";
import { WebhookDelivery } from "../modules/webhooks/webhook-delivery.entity";
import { WebhookSecret } from "../modules/webhooks/webhook-secret.entity";
import { DeferredIndex } from "../sync/deferred-index.entity";
import { SyncLease } from "../sync/sync-lease.entity";
import { SyncRun } from "../sync/sync-run.entity";
import { SyncState } from "../sync/sync-state.entity";
import type { TableDescriptor } from "../table-model/table.descriptor";
import { TABLES } from "../tables";
import { createRecordEntity, type RecordEntityClass } from "./record-entity.factory";
import type { RecordRow } from "./record-row.type";
import type { ServiceNowRecordEntity } from "./servicenow-record.entity";

/** One entity per described table, built once: TypeORM keys its metadata by class. */
const RECORD_ENTITIES: ReadonlyMap<string, RecordEntityClass> = new Map(
  TABLES.map((table) => [table.name, createRecordEntity(table, TABLES)]),
);

export const ENTITIES = [
  Integration,
  ...RECORD_ENTITIES.values(),
  SyncRun,
  SyncState,
  OAuthState,
  SyncLease,
  DeferredIndex,
  WriteLogEntry,
  WriteAllowance,
  WebhookSecret,
  WebhookDelivery,
];

/** The TypeORM entity that stores a described table's rows. */
export function recordEntityOf(table: TableDescriptor): EntityTarget<ServiceNowRecordEntity> {
  return recordEntityClassOf(table);
}

/**
 * The same entity, typed by its descriptor: `Repository<RecordRow<typeof INCIDENT_TABLE>>`
 * names every column. `T` must be the descriptor's own type (declared with `satisfies`).
 */
export function recordEntityClassOf<T extends TableDescriptor>(
  table: T,
): RecordEntityClass<RecordRow<T>> {
  const entity = RECORD_ENTITIES.get(table.name);
  if (entity === undefined) {
    throw new RangeError(`No entity for the ServiceNow table ${table.name}`);
  }
  // The entity was built from this very descriptor: its instances have RecordRow<T>'s columns.
  return entity as RecordEntityClass<RecordRow<T>>;
}
