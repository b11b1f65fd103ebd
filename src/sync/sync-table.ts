import type { EntityTarget } from "typeorm";

import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import type { EncodedQuery, RawRecord } from "../servicenow";
import type { ServiceNowTableSpec } from "../servicenow/servicenow-tables";

/** The integration's excluded fields of one ServiceNow table. */
export type ExcludedFieldsOf = (table: string) => ReadonlySet<string>;

export interface MapContext {
  readonly integrationId: string;
  /** When this page was fetched; stored as `syncedAt`. */
  readonly syncedAt: Date;
}

/**
 * The plain row a mapper produces: every column of the entity except the surrogate `id` and
 * the computed `state` enum some entities expose as a getter.
 */
export type MappedRow<E extends ServiceNowRecordEntity> = Omit<E, "id" | "state">;

/**
 * One ServiceNow table end to end for the sync: what to ask for, where it goes, how to map it.
 * The list of these (`SYNC_TABLES`) is iterated in dependency order by the runner.
 */
export interface SyncTable<E extends ServiceNowRecordEntity = ServiceNowRecordEntity> {
  readonly spec: ServiceNowTableSpec;
  readonly entity: EntityTarget<E>;
  /**
   * ServiceNow field → the entity property it feeds. Used to purge a typed column when its
   * field becomes excluded; fields not listed here live in `attributes`.
   */
  readonly columns: Readonly<Record<string, Exclude<keyof E, "id"> & string>>;
  /** Columns computed from a field besides its own (choice labels): purged with it. */
  readonly derivedColumns?: Readonly<Record<string, readonly string[]>>;
  /** Pure: a raw Table API record (display values `all` or `false`) to a row. */
  map(raw: RawRecord, context: MapContext): MappedRow<E>;
  /**
   * Conditions that select only the rows the gateway ingests (journal, approvals), given the
   * integration's excluded fields; null when nothing of the table is to be read at all.
   */
  scope?(excluded: ExcludedFieldsOf): EncodedQuery | null;
}
