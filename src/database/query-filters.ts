import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";

import { GatewayError } from "../common/gateway.error";

/** A time range as the API takes it (DateTimeRange): `from` inclusive, `to` exclusive. */
export interface TimeRange {
  readonly from?: Date | null;
  readonly to?: Date | null;
}

export const SYS_ID_PATTERN = /^[0-9a-f]{32}$/;
export const MAX_LIST = 200;

/** PostgreSQL text cannot hold NUL: such input is refused as bad input, not left to fail as a 500. */
export function containsNul(value: unknown): boolean {
  return typeof value === "string" && value.includes("\u0000");
}

/**
 * `column` as a filter term. Choice-like columns (state, priority, …) match large shares of a
 * table: on SQLite, whose planner has no statistics by default, an index on them wins over the
 * index that serves the ORDER BY and forces a sort of every match. The unary `+` keeps SQLite
 * from using them, so it walks the ordering index and stops after one page. PostgreSQL plans
 * from statistics and needs no hint.
 */
function filterColumn<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  property: string,
  indexable: boolean,
): string {
  const column = `${query.alias}.${property}`;
  if (indexable || query.connection.options.type === "postgres") {
    return column;
  }
  // TypeORM only rewrites `alias.property` after a space, `=` or `(`: name the column itself.
  const databaseName =
    query.expressionMap.mainAlias?.metadata.findColumnWithPropertyName(property)?.databaseName ??
    property;
  return `+${query.escape(query.alias)}.${query.escape(databaseName)}`;
}

/** Adds `column IN (values)` for a choice-like column; an empty list matches nothing. */
export function whereIn<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  property: string,
  values: readonly (string | number)[] | null | undefined,
  field: string,
  indexable = false,
): void {
  if (values === null || values === undefined) {
    return;
  }
  if (values.length > MAX_LIST) {
    throw GatewayError.badInput(field, `${field} accepts at most ${MAX_LIST} values`);
  }
  if (values.some(containsNul)) {
    throw GatewayError.badInput(field, `${field} must not contain NUL characters`);
  }
  if (values.length === 0) {
    query.andWhere("1 = 0");
    return;
  }
  const param = `in_${field.replace(/\W/g, "_")}`;
  query.andWhere(`${filterColumn(query, property, indexable)} IN (:...${param})`, {
    [param]: [...values],
  });
}

export function whereSysIdIn<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  property: string,
  values: readonly string[] | null | undefined,
  field: string,
): void {
  for (const value of values ?? []) {
    if (!SYS_ID_PATTERN.test(value)) {
      throw GatewayError.badInput(
        field,
        `${field} must hold sys_ids (32 lowercase hex characters)`,
      );
    }
  }
  // References are selective (one assignee, one group): their indexes pay off.
  whereIn(query, property, values, field, true);
}

export function whereEquals<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  property: string,
  value: string | number | boolean | null | undefined,
  field: string,
  indexable = true,
): void {
  if (value === null || value === undefined) {
    return;
  }
  const param = `eq_${field.replace(/\W/g, "_")}`;
  query.andWhere(`${filterColumn(query, property, indexable)} = :${param}`, { [param]: value });
}

export function whereInRange<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  property: string,
  range: TimeRange | null | undefined,
  field: string,
): void {
  if (!range) {
    return;
  }
  const { from, to } = range;
  if (from && to && from.getTime() > to.getTime()) {
    throw GatewayError.badInput(field, `${field}.from must not be after ${field}.to`);
  }
  const param = field.replace(/\W/g, "_");
  if (from) {
    query.andWhere(`${query.alias}.${property} >= :${param}_from`, { [`${param}_from`]: from });
  }
  if (to) {
    query.andWhere(`${query.alias}.${property} < :${param}_to`, { [`${param}_to`]: to });
  }
}

/** Case-insensitive substring search over a few text columns; `%` and `_` match literally. */
export function whereTextContains<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  properties: readonly string[],
  text: string | null | undefined,
  field: string,
): void {
  if (text === null || text === undefined) {
    return;
  }
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw GatewayError.badInput(field, `${field} must be 1 to 200 characters`);
  }
  if (containsNul(trimmed)) {
    throw GatewayError.badInput(field, `${field} must not contain NUL characters`);
  }
  const pattern = `%${trimmed.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  query.andWhere(
    new Brackets((where) => {
      for (const property of properties) {
        where.orWhere(`LOWER(${query.alias}.${property}) LIKE :search ESCAPE '\\'`, {
          search: pattern,
        });
      }
    }),
  );
}
