import {
  Brackets,
  type ObjectLiteral,
  type SelectQueryBuilder,
  type WhereExpressionBuilder,
} from "typeorm";

import { GatewayError } from "../common/gateway.error";
import { type CursorValue, decodeCursor, type DecodedCursor, encodeCursor } from "./keyset-cursor";
import { containsNul } from "./query-filters";
import { sortTermsOf } from "./sort-terms";

export type SortDirection = "ASC" | "DESC";

/** One key of a keyset ordering; the row's `id` is always appended as the final tiebreaker. */
export interface SortKey {
  /** Entity property name, e.g. `openedAt`. */
  readonly property: string;
  readonly direction: SortDirection;
  readonly nullable: boolean;
  readonly kind: "date" | "number" | "string";
  /** A choice column: its raw values in workflow order, which is what it sorts by. */
  readonly workflow?: readonly string[];
}

/** What a service hands the resolver: a page, and a count computed only when asked for. */
export interface ConnectionResult<TNode> {
  readonly nodes: TNode[];
  readonly cursors: string[];
  readonly hasNextPage: boolean;
  readonly count: () => Promise<number>;
}

export interface KeysetRequest {
  readonly keys: readonly SortKey[];
  readonly first: number;
  readonly after: string | null;
  /** The digest of the request (cursorScopeOf): cursors are issued for it and checked against it. */
  readonly scope: string;
}

export interface KeysetPage<T> {
  readonly rows: T[];
  readonly cursors: string[];
  readonly hasNextPage: boolean;
}

export function orderingSignature(keys: readonly SortKey[]): string {
  return keys.map((key) => `${key.property}:${key.direction}`).join(",");
}

function toCursorValue(value: unknown, key: SortKey): CursorValue {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  throw new Error(`Unsupported sort value for ${key.property}`);
}

const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function fromCursorValue(value: CursorValue, key: SortKey): unknown {
  const invalid = () => GatewayError.badInput("after", "Invalid cursor for after.");
  if (value === null) {
    if (!key.nullable) {
      throw invalid();
    }
    return null;
  }
  switch (key.kind) {
    case "date": {
      // Only what toISOString() issues: far-off years would make PostgreSQL fail.
      const date =
        typeof value === "string" && ISO_DATE_PATTERN.test(value) ? new Date(value) : null;
      if (date === null || Number.isNaN(date.getTime())) {
        throw invalid();
      }
      return date;
    }
    case "number":
      // Number sort keys are 32-bit integer columns: anything else would make PostgreSQL fail.
      if (!isInt32(value)) {
        throw invalid();
      }
      return value;
    case "string":
      if (typeof value !== "string" || containsNul(value)) {
        throw invalid();
      }
      return value;
  }
}

const INT32_MAX = 2_147_483_647;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && Math.abs(value as number) <= INT32_MAX;
}

/** The cursor's row id must have the id column's type: a tampered one is bad input, not a 500. */
export function fromCursorId(
  id: number | string,
  idKind: "integer" | "uuid" | "string",
): number | string {
  const valid =
    idKind === "integer"
      ? isInt32(id)
      : typeof id === "string" && (idKind === "string" || UUID_PATTERN.test(id));
  if (!valid) {
    throw GatewayError.badInput("after", "Invalid cursor for after.");
  }
  return id;
}

interface BoundKey {
  readonly column: string;
  readonly direction: SortDirection;
  readonly nullable: boolean;
  readonly param: string;
  readonly value: unknown;
}

/**
 * Rows strictly after the cursor in the ordering. NULL placement follows the database's own
 * default (PostgreSQL: NULLs largest; SQLite: NULLs smallest) so that plain indexes serve the
 * ORDER BY in both directions; the predicate is written for that placement.
 */
function addAfterPredicate(
  where: WhereExpressionBuilder,
  bound: readonly BoundKey[],
  nullsLargest: boolean,
): void {
  const sameDirection = bound.every((key) => key.direction === bound[0].direction);
  const noNulls = bound.every((key) => !key.nullable && key.value !== null);
  if (sameDirection && noNulls) {
    // Row-value comparison lets both databases seek the composite index directly.
    const operator = bound[0].direction === "ASC" ? ">" : "<";
    where.andWhere(
      `(${bound.map((key) => key.column).join(", ")}) ${operator} (${bound.map((key) => `:${key.param}`).join(", ")})`,
    );
    return;
  }
  const strictlyAfter = (key: BoundKey): string => {
    const nullsComeLast = key.direction === "ASC" ? nullsLargest : !nullsLargest;
    if (key.value === null) {
      return nullsComeLast ? "1 = 0" : `${key.column} IS NOT NULL`;
    }
    const comparison = `${key.column} ${key.direction === "ASC" ? ">" : "<"} :${key.param}`;
    return key.nullable && nullsComeLast ? `(${comparison} OR ${key.column} IS NULL)` : comparison;
  };
  const equalTo = (key: BoundKey): string =>
    key.value === null ? `${key.column} IS NULL` : `${key.column} = :${key.param}`;
  const build = (index: number): string => {
    const key = bound[index];
    if (index === bound.length - 1) {
      return strictlyAfter(key);
    }
    return `(${strictlyAfter(key)} OR (${equalTo(key)} AND ${build(index + 1)}))`;
  };
  where.andWhere(build(0));
}

/**
 * Applies keyset ordering and the `after` cursor to a query, fetches `first + 1` rows to learn
 * whether another page follows, and returns rows with their cursors. Never uses OFFSET.
 */
export async function fetchKeysetPage<T extends ObjectLiteral & { id: number | string }>(
  query: SelectQueryBuilder<T>,
  request: KeysetRequest,
): Promise<KeysetPage<T>> {
  const alias = query.alias;
  const ordering = orderingSignature(request.keys);
  const tiebreakDirection = request.keys.at(-1)?.direction ?? "ASC";
  const postgres = query.connection.options.type === "postgres";
  const nullsLargest = postgres;
  const idColumn = query.expressionMap.mainAlias?.metadata.primaryColumns[0];
  const idKind =
    idColumn?.generationStrategy === "increment"
      ? "integer"
      : idColumn?.generationStrategy === "uuid"
        ? "uuid"
        : "string";
  const escape = (property: string) =>
    `${query.escape(alias)}.${query.escape(
      query.expressionMap.mainAlias?.metadata.findColumnWithPropertyName(property)?.databaseName ??
        property,
    )}`;

  const terms = request.keys.map((key) => sortTermsOf(key, escape(key.property), postgres));
  if (request.after !== null) {
    const cursor: DecodedCursor = decodeCursor(request.after, { ordering, scope: request.scope });
    if (cursor.values.length !== request.keys.length) {
      throw GatewayError.badInput("after", "Invalid cursor for after.");
    }
    const bound: BoundKey[] = request.keys.flatMap((key, index) => {
      const value = fromCursorValue(cursor.values[index], key);
      return terms[index].map((term) => ({
        column: term.expression,
        direction: key.direction,
        nullable: term.nullable,
        param: "",
        value: term.valueOf(value),
      }));
    });
    bound.push({
      column: escape("id"),
      direction: tiebreakDirection,
      nullable: false,
      param: "",
      value: fromCursorId(cursor.id, idKind),
    });
    const named = bound.map((key, index) => ({ ...key, param: `keyset_${index}` }));
    query.andWhere(new Brackets((where) => addAfterPredicate(where, named, nullsLargest)));
    for (const key of named) {
      if (key.value !== null) {
        query.setParameter(key.param, key.value);
      }
    }
  }

  const order = request.keys.flatMap((key, index) =>
    terms[index].map((term) => [term.expression, key.direction] as const),
  );
  order.push([escape("id"), tiebreakDirection]);
  order.forEach(([expression, direction], index) => {
    if (index === 0) {
      query.orderBy(expression, direction);
    } else {
      query.addOrderBy(expression, direction);
    }
  });
  query.take(undefined).limit(request.first + 1);

  const fetched = await query.getMany();
  const hasNextPage = fetched.length > request.first;
  const rows = hasNextPage ? fetched.slice(0, request.first) : fetched;
  const cursors = rows.map((row) =>
    encodeCursor({
      ordering,
      scope: request.scope,
      values: request.keys.map((key) => toCursorValue(row[key.property], key)),
      id: row.id,
    }),
  );
  return { rows, cursors, hasNextPage };
}

/**
 * A connection page from a query factory: the factory is called once for the page (with the
 * keyset applied) and once more, only if the client asks for totalCount, for the count.
 */
export async function keysetConnection<T extends ObjectLiteral & { id: number | string }>(
  filtered: () => SelectQueryBuilder<T>,
  request: KeysetRequest,
): Promise<ConnectionResult<T>> {
  const page = await fetchKeysetPage(filtered(), request);
  return {
    nodes: page.rows,
    cursors: page.cursors,
    hasNextPage: page.hasNextPage,
    count: () => filtered().getCount(),
  };
}
