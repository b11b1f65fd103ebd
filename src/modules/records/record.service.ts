import type { DataSource, Repository, SelectQueryBuilder } from "typeorm";

import { recordEntityOf } from "../../database/entities";
import {
  type ConnectionResult,
  keysetConnection,
  orderingSignature,
  type SortKey,
} from "../../database/keyset";
import { cursorScopeOf } from "../../database/keyset-cursor";
import {
  type TimeRange,
  whereEquals,
  whereIn,
  whereInRange,
  whereSysIdIn,
  whereTextContains,
} from "../../database/query-filters";
import { findOneRecord, type LookupArgs } from "../../database/record-lookup";
import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import { pageSize, toSortKeys } from "../../graphql/pagination/order-keys";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import {
  canonicalFilterOf,
  filterFieldsOf,
  orderColumnsOf,
  type RecordFilterField,
} from "./record-filters";
import type { RecordFilter, RecordListArgs } from "./record-inputs.factory";

type Query = SelectQueryBuilder<ServiceNowRecordEntity>;

/** GraphQL has coerced the filter: these guards only tell the compiler what it holds. */
function listOf(value: unknown): (string | number)[] | null | undefined {
  if (value === null || value === undefined) {
    return value;
  }
  return Array.isArray(value)
    ? value.filter((item): item is string | number => typeof item !== "object")
    : [];
}

function stringsOf(value: unknown): string[] | null | undefined {
  const list = listOf(value);
  return list?.map(String);
}

function rangeOf(value: unknown): TimeRange | null {
  if (typeof value !== "object" || value === null) {
    return null;
  }
  const from: unknown = Reflect.get(value, "from");
  const to: unknown = Reflect.get(value, "to");
  return { from: from instanceof Date ? from : null, to: to instanceof Date ? to : null };
}

/**
 * Root list and lookup of any described table: filters, keyset order and lookup keys all come
 * from the descriptor, so every table pages, filters and refuses bad input the same way.
 */
export class RecordService {
  private readonly records: Repository<ServiceNowRecordEntity>;
  private readonly filters: readonly RecordFilterField[];
  private readonly orderColumns: Readonly<Record<string, Omit<SortKey, "direction">>>;
  private readonly defaultOrder: readonly { field: string; direction: "ASC" | "DESC" }[];

  constructor(
    dataSource: DataSource,
    private readonly table: TableDescriptor,
  ) {
    this.records = dataSource.getRepository(recordEntityOf(table));
    this.filters = filterFieldsOf(table);
    this.orderColumns = orderColumnsOf(table);
    this.defaultOrder = (table.list?.defaultOrder ?? []).map((key) => ({
      field: key.order,
      direction: key.direction,
    }));
  }

  /**
   * The table's rows in one integration (or all) that pass a list filter, aliased by the
   * table's entity name: the list pages them, the aggregates group them.
   */
  filtered(
    integrationId: string | null | undefined,
    filter: RecordFilter | null | undefined,
  ): Query {
    const query = this.records.createQueryBuilder(this.table.entityName);
    whereEquals(query, "integrationId", integrationId, "integrationId");
    if (filter) {
      for (const field of this.filters) {
        this.applyFilter(query, field, filter);
      }
    }
    return query;
  }

  async list(args: RecordListArgs): Promise<ConnectionResult<ServiceNowRecordEntity>> {
    const filtered = () => this.filtered(args.integrationId, args.filter);
    const keys = toSortKeys(args.orderBy, this.orderColumns, this.defaultOrder);
    return keysetConnection(filtered, {
      keys,
      first: pageSize(args.first, DEFAULT_PAGE_SIZE),
      after: args.after ?? null,
      scope: cursorScopeOf({
        table: this.table.name,
        integrationId: args.integrationId,
        filter: canonicalFilterOf(this.filters, args.filter),
        ordering: orderingSignature(keys),
      }),
    });
  }

  /** The rows of one integration among `sysIds` that pass a list filter (subscriptions). */
  changed(
    integrationId: string,
    sysIds: readonly string[],
    filter: RecordFilter | null | undefined,
  ): Promise<ServiceNowRecordEntity[]> {
    if (sysIds.length === 0) {
      return Promise.resolve([]);
    }
    const alias = this.table.entityName;
    return this.filtered(integrationId, filter)
      .andWhere(`${alias}.sysId IN (:...changedSysIds)`, { changedSysIds: [...sysIds] })
      .orderBy(`${alias}.id`, "ASC")
      .getMany();
  }

  findOne(args: LookupArgs): Promise<ServiceNowRecordEntity | null> {
    const lookup = this.table.lookup;
    if (lookup === undefined) {
      throw new RangeError(`${this.table.name} has no lookup`);
    }
    const value: unknown = Reflect.get(args, lookup.key);
    return findOneRecord(this.records, args, {
      field: lookup.key,
      property: lookup.key,
      value: typeof value === "string" ? value : null,
    });
  }

  private applyFilter(query: Query, field: RecordFilterField, filter: RecordFilter): void {
    const value = filter[field.name];
    const name = `filter.${field.name}`;
    const property = field.properties[0];
    switch (field.kind) {
      case "choice": {
        const values = field.column?.choice?.values ?? {};
        const members = stringsOf(value);
        whereIn(
          query,
          property,
          members?.map((member) => values[member] ?? member),
          name,
        );
        return;
      }
      case "in":
        whereIn(query, property, listOf(value), name);
        return;
      case "sysIds":
        whereSysIdIn(query, property, stringsOf(value), name);
        return;
      case "equals":
        whereEquals(query, property, typeof value === "boolean" ? value : null, name, false);
        return;
      case "range":
        whereInRange(query, property, rangeOf(value), name);
        return;
      case "search":
        whereTextContains(query, field.properties, typeof value === "string" ? value : null, name);
        return;
    }
  }
}
