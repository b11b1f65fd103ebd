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

/** The columns every cached record has, whatever its table. */
export type RecordColumns = Omit<ServiceNowRecordEntity, "id">;

/**
 * The plain row a mapper produces: the record columns plus every typed column of its table
 * (by property), never the surrogate `id` nor a computed enum such as `state`.
 */
export type MappedRow = RecordColumns & {
  readonly [property: string]: string | number | boolean | Date | null | Record<string, string>;
};

/**
 * One ServiceNow table for the sync: what to ask for and how to map it. Derived from its
 * descriptor (`tableMapperOf`), without the entity, so it loads without TypeORM.
 */
export interface TableMapper {
  readonly spec: ServiceNowTableSpec;
  /**
   * ServiceNow field → the entity property it feeds. Used to purge a typed column when its
   * field becomes excluded; fields not listed here live in `attributes`.
   */
  readonly columns: Readonly<Record<string, string>>;
  /** Columns computed from a field besides its own (choice labels): purged with it. */
  readonly derivedColumns?: Readonly<Record<string, readonly string[]>>;
  /** Pure: a raw Table API record (display values `all` or `false`) to a row. */
  map(raw: RawRecord, context: MapContext): MappedRow;
  /**
   * Conditions that select only the rows the gateway ingests (journal, approvals), given the
   * integration's excluded fields; null when nothing of the table is to be read at all.
   */
  scope?(excluded: ExcludedFieldsOf): EncodedQuery | null;
}

/**
 * One ServiceNow table end to end for the sync: its mapper and the entity its rows go to. The
 * list of these (`SYNC_TABLES`) is iterated in dependency order by the runner.
 */
export interface SyncTable extends TableMapper {
  readonly entity: EntityTarget<ServiceNowRecordEntity>;
}
