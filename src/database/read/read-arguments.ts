import { GatewayError } from "../../common/gateway.error";
import { toSortKeys } from "../../graphql/pagination/order-keys";
import {
  canonicalFilterOf,
  filterFieldsOf,
  orderColumnsOf,
} from "../../modules/records/record-filters";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { fromCursorId, fromCursorValue, orderingSignature, type SortKey } from "../keyset";
import { cursorScopeOf, decodeCursor } from "../keyset-cursor";
import { containsNul, MAX_LIST, SYS_ID_PATTERN } from "../query-filters";
import { snakeCase } from "../snake-naming.strategy";
import { sortTermsOf } from "../sort-terms";
import { quoteIdentifier, type SqlDialect } from "./sql-dialect";

/**
 * The root arguments of a list or lookup, checked once per request and turned into bound SQL
 * conditions, with the services' semantics and error messages (query-filters.ts, keyset.ts,
 * record-lookup.ts): cursors and errors stay interchangeable with the DataLoader path.
 */

/** Bound parameters in order of appearance: `?` on SQLite, `$n` on PostgreSQL. */
export class SqlParameters {
  readonly values: unknown[] = [];

  constructor(readonly dialect: SqlDialect) {}

  bind(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

const ROOT = "t0";
const rootColumn = (name: string): string => `${quoteIdentifier(ROOT)}.${quoteIdentifier(name)}`;

export interface DateRange {
  readonly from?: Date | null;
  readonly to?: Date | null;
}

type FilterValue = readonly (string | number)[] | boolean | DateRange | string | null | undefined;

export interface ListArguments {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly integrationId?: string | null;
  /** The filter input, its values under its GraphQL field names. */
  readonly filter?: object | null;
  readonly orderBy?:
    readonly { readonly field: string; readonly direction: "ASC" | "DESC" }[] | null;
}

type FilterTerm = (value: FilterValue, parameters: SqlParameters) => string[];

function inList(
  column: string,
  field: string,
  indexable: boolean,
  map: (value: string | number) => string | number = (value) => value,
): FilterTerm {
  return (value, parameters) => {
    if (value === null || value === undefined) {
      return [];
    }
    const values = (value as readonly (string | number)[]).map(map);
    if (values.length > MAX_LIST) {
      throw GatewayError.badInput(field, `${field} accepts at most ${MAX_LIST} values`);
    }
    if (values.some(containsNul)) {
      throw GatewayError.badInput(field, `${field} must not contain NUL characters`);
    }
    if (values.length === 0) {
      return ["1 = 0"];
    }
    const { dialect } = parameters;
    const target = indexable ? rootColumn(column) : dialect.unindexed(rootColumn(column));
    return [dialect.inList(target, parameters.bind(dialect.listParameter(values)))];
  };
}

function sysIdList(column: string, field: string): FilterTerm {
  const list = inList(column, field, true);
  return (value, parameters) => {
    for (const sysId of (value as readonly string[] | null | undefined) ?? []) {
      if (!SYS_ID_PATTERN.test(sysId)) {
        throw GatewayError.badInput(
          field,
          `${field} must hold sys_ids (32 lowercase hex characters)`,
        );
      }
    }
    // References are selective (one assignee, one group): their indexes pay off.
    return list(value, parameters);
  };
}

function equalsBoolean(column: string): FilterTerm {
  return (value, parameters) => {
    if (value === null || value === undefined) {
      return [];
    }
    const { dialect } = parameters;
    return [
      `${dialect.unindexed(rootColumn(column))} = ${parameters.bind(dialect.booleanParameter(value as boolean))}`,
    ];
  };
}

function inRange(column: string, field: string): FilterTerm {
  return (value, parameters) => {
    if (!value) {
      return [];
    }
    const { from, to } = value as DateRange;
    if (from && to && from.getTime() > to.getTime()) {
      throw GatewayError.badInput(field, `${field}.from must not be after ${field}.to`);
    }
    const terms: string[] = [];
    const { dialect } = parameters;
    if (from) {
      terms.push(
        `${rootColumn(column)} >= ${parameters.bind(dialect.dateTimeParameter(from.toISOString()))}`,
      );
    }
    if (to) {
      terms.push(
        `${rootColumn(column)} < ${parameters.bind(dialect.dateTimeParameter(to.toISOString()))}`,
      );
    }
    return terms;
  };
}

function textContains(columns: readonly string[], field: string): FilterTerm {
  return (value, parameters) => {
    if (value === null || value === undefined) {
      return [];
    }
    const trimmed = (value as string).trim();
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw GatewayError.badInput(field, `${field} must be 1 to 200 characters`);
    }
    if (containsNul(trimmed)) {
      throw GatewayError.badInput(field, `${field} must not contain NUL characters`);
    }
    const pattern = `%${trimmed.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const terms = columns.map(
      (name) => `LOWER(${rootColumn(name)}) LIKE ${parameters.bind(pattern)} ESCAPE '\\'`,
    );
    return [`(${terms.join(" OR ")})`];
  };
}

/**
 * The filter terms of a table, in the order the service applies them (record-filters.ts:
 * column order, a choice's enum list before its raw values, the search last).
 */
function filterTermsOf(table: TableDescriptor): ReadonlyArray<readonly [string, FilterTerm]> {
  return filterFieldsOf(table).map((field) => {
    const name = `filter.${field.name}`;
    const column = snakeCase(field.properties[0]);
    switch (field.kind) {
      case "choice": {
        const values = field.column?.choice?.values ?? {};
        return [
          field.name,
          inList(column, name, false, (member) => values[String(member)] ?? member),
        ] as const;
      }
      case "in":
        return [field.name, inList(column, name, false)] as const;
      case "sysIds":
        return [field.name, sysIdList(column, name)] as const;
      case "equals":
        return [field.name, equalsBoolean(column)] as const;
      case "range":
        return [field.name, inRange(column, name)] as const;
      case "search":
        return [field.name, textContains(field.properties.map(snakeCase), name)] as const;
    }
  });
}

const filterTermsCache = new Map<string, ReadonlyArray<readonly [string, FilterTerm]>>();

/** The WHERE terms of a list request (without its cursor), checked as the service checks them. */
export function filterConditions(
  table: TableDescriptor,
  args: ListArguments,
  parameters: SqlParameters,
): string[] {
  let terms = filterTermsCache.get(table.name);
  if (terms === undefined) {
    terms = filterTermsOf(table);
    filterTermsCache.set(table.name, terms);
  }
  const conditions: string[] = [];
  if (args.integrationId !== null && args.integrationId !== undefined) {
    conditions.push(`${rootColumn("integration_id")} = ${parameters.bind(args.integrationId)}`);
  }
  const filter = args.filter as Readonly<Record<string, unknown>> | null | undefined;
  if (filter) {
    for (const [name, term] of terms) {
      conditions.push(...term(filter[name] as FilterValue, parameters));
    }
  }
  return conditions;
}

/** A set of one integration's records, kept when they pass a list filter (subscriptions). */
export interface RecordsArguments {
  readonly integrationId: string;
  readonly sysIds: readonly string[];
  readonly filter?: object | null;
}

/** A keyset sort key with its database column. */
export interface PlannedSortKey extends SortKey {
  readonly column: string;
}

const sortColumnsCache = new Map<string, Readonly<Record<string, Omit<SortKey, "direction">>>>();

/** The table's sort keys for `orderBy` (or its default order); duplicates are refused. */
export function sortKeysOf(table: TableDescriptor, args: ListArguments): PlannedSortKey[] {
  let columns = sortColumnsCache.get(table.name);
  if (columns === undefined) {
    columns = orderColumnsOf(table);
    sortColumnsCache.set(table.name, columns);
  }
  const fallback = (table.list?.defaultOrder ?? []).map((key) => ({
    field: key.order,
    direction: key.direction,
  }));
  return toSortKeys(args.orderBy, columns, fallback).map((key) => ({
    ...key,
    column: snakeCase(key.property),
  }));
}

const filterFieldsCache = new Map<string, ReturnType<typeof filterFieldsOf>>();

/** The digest of a list request its cursors carry (the services' cursorScopeOf, the same form). */
export function cursorScopeOfList(
  table: TableDescriptor,
  args: ListArguments,
  keys: readonly SortKey[],
): string {
  let fields = filterFieldsCache.get(table.name);
  if (fields === undefined) {
    fields = filterFieldsOf(table);
    filterFieldsCache.set(table.name, fields);
  }
  return cursorScopeOf({
    table: table.name,
    integrationId: args.integrationId,
    filter: canonicalFilterOf(fields, args.filter),
    ordering: orderingSignature(keys),
  });
}

interface BoundKey {
  readonly column: string;
  readonly direction: "ASC" | "DESC";
  readonly nullable: boolean;
  readonly value: unknown;
}

/**
 * The `after` cursor as a WHERE term: rows strictly after it in the ordering, with NULLs where
 * the database puts them (keyset.ts's addAfterPredicate, the same terms).
 */
export function afterCondition(
  after: string,
  keys: readonly PlannedSortKey[],
  scope: string,
  parameters: SqlParameters,
): string {
  const cursor = decodeCursor(after, { ordering: orderingSignature(keys), scope });
  if (cursor.values.length !== keys.length) {
    throw GatewayError.badInput("after", "Invalid cursor for after.");
  }
  const { dialect } = parameters;
  const bound: BoundKey[] = keys.flatMap((key, index) => {
    const value = fromCursorValue(cursor.values[index], key);
    return sortTermsOf(key, rootColumn(key.column), dialect.kind === "postgres").map((term) => {
      const compared = term.valueOf(value);
      return {
        column: term.expression,
        direction: key.direction,
        nullable: term.nullable,
        value:
          compared instanceof Date ? dialect.dateTimeParameter(compared.toISOString()) : compared,
      };
    });
  });
  bound.push({
    column: rootColumn("id"),
    direction: keys.at(-1)?.direction ?? "ASC",
    nullable: false,
    value: fromCursorId(cursor.id, "integer"),
  });
  // Bound at each use, in the order the text is written: SQLite's `?` are positional.
  const value = (key: BoundKey): string => parameters.bind(key.value);
  const sameDirection = bound.every((key) => key.direction === bound[0].direction);
  const noNulls = bound.every((key) => !key.nullable && key.value !== null);
  if (sameDirection && noNulls) {
    const operator = bound[0].direction === "ASC" ? ">" : "<";
    return `(${bound.map((key) => key.column).join(", ")}) ${operator} (${bound.map(value).join(", ")})`;
  }
  const strictlyAfter = (key: BoundKey): string => {
    const nullsComeLast = key.direction === "ASC" ? dialect.nullsLargest : !dialect.nullsLargest;
    if (key.value === null) {
      return nullsComeLast ? "1 = 0" : `${key.column} IS NOT NULL`;
    }
    const comparison = `${key.column} ${key.direction === "ASC" ? ">" : "<"} ${value(key)}`;
    return key.nullable && nullsComeLast ? `(${comparison} OR ${key.column} IS NULL)` : comparison;
  };
  const equalTo = (key: BoundKey): string =>
    key.value === null ? `${key.column} IS NULL` : `${key.column} = ${value(key)}`;
  const build = (index: number): string => {
    const key = bound[index];
    if (index === bound.length - 1) {
      return strictlyAfter(key);
    }
    return `(${strictlyAfter(key)} OR (${equalTo(key)} AND ${build(index + 1)}))`;
  };
  return build(0);
}

/** integrationId, sysId and the table's other key (e.g. number) under its field name. */
export interface LookupArguments {
  readonly integrationId?: string | null;
  readonly sysId?: string | null;
}

/**
 * The WHERE terms of a lookup by sys_id or the table's other key (record-lookup.ts: exactly
 * one key, a well-formed sys_id, 1 to 255 characters without NUL for the other).
 */
export function lookupConditions(
  table: TableDescriptor,
  args: LookupArguments,
  parameters: SqlParameters,
): string[] {
  const lookup = table.lookup;
  if (lookup === undefined) {
    throw new RangeError(`${table.name} has no lookup field`);
  }
  const field = lookup.key;
  const { integrationId, sysId } = args;
  const alternate = (args as Readonly<Record<string, unknown>>)[field] as string | null | undefined;
  const hasSysId = sysId !== null && sysId !== undefined;
  const hasAlternate = alternate !== null && alternate !== undefined;
  if (hasSysId === hasAlternate) {
    throw GatewayError.badInput(
      hasSysId ? field : "sysId",
      `Pass exactly one of sysId or ${field}`,
    );
  }
  if (hasSysId && !SYS_ID_PATTERN.test(sysId)) {
    throw GatewayError.badInput("sysId", "sysId must be 32 lowercase hex characters");
  }
  if (hasAlternate && (alternate.length === 0 || alternate.length > 255)) {
    throw GatewayError.badInput(field, `${field} must be 1 to 255 characters`);
  }
  if (hasAlternate && containsNul(alternate)) {
    throw GatewayError.badInput(field, `${field} must not contain NUL characters`);
  }
  const conditions = hasSysId
    ? [`${rootColumn("sys_id")} = ${parameters.bind(sysId)}`]
    : [`${rootColumn(snakeCase(field))} = ${parameters.bind(alternate)}`];
  if (integrationId) {
    conditions.push(`${rootColumn("integration_id")} = ${parameters.bind(integrationId)}`);
  }
  return conditions;
}
