import type { DataSource } from "typeorm";

export type DatabaseKind = "sqlite" | "postgres";
export type SortValue = string | number | boolean | Date | null | undefined;
export type Direction = "ASC" | "DESC";

/** One sort key of an expected ordering, read from a seeded row. */
export interface ExpectedKey<T> {
  readonly value: (row: T) => SortValue;
  readonly direction: Direction;
}

export function databaseKindOf(dataSource: DataSource): DatabaseKind {
  return dataSource.options.type === "postgres" ? "postgres" : "sqlite";
}

/**
 * The order the API promises, computed independently of it: keys in turn, then the row id in
 * the last key's direction. NULLs sort as each database does by default (PostgreSQL: largest,
 * SQLite: smallest); strings compare by bytes of UTF-8 (code point), as PostgreSQL's "C" and
 * SQLite's BINARY collations do (the lists sort text under them explicitly).
 */
export function compareRows<T extends { id: number }>(
  keys: readonly ExpectedKey<T>[],
  kind: DatabaseKind,
): (a: T, b: T) => number {
  const nullsLargest = kind === "postgres";
  const compareValues = (a: SortValue, b: SortValue): number => {
    const left = a ?? null;
    const right = b ?? null;
    if (left === null || right === null) {
      if (left === right) {
        return 0;
      }
      return (left === null) === nullsLargest ? 1 : -1;
    }
    if (typeof left === "string" && typeof right === "string") {
      return Buffer.compare(Buffer.from(left, "utf8"), Buffer.from(right, "utf8"));
    }
    const x = left instanceof Date ? left.getTime() : left;
    const y = right instanceof Date ? right.getTime() : right;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const tiebreak = keys.at(-1)?.direction ?? "ASC";
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(key.value(a), key.value(b));
      if (order !== 0) {
        return key.direction === "ASC" ? order : -order;
      }
    }
    return tiebreak === "ASC" ? a.id - b.id : b.id - a.id;
  };
}

export function sortRows<T extends { id: number }>(
  rows: readonly T[],
  keys: readonly ExpectedKey<T>[],
  kind: DatabaseKind,
): T[] {
  return [...rows].sort(compareRows(keys, kind));
}

/** A record's identity across integrations (sys_ids may repeat between instances). */
export const recordKey = (row: { integrationId: string; sysId: string }): string =>
  `${row.integrationId}/${row.sysId}`;
