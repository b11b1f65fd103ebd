import type { SortKey } from "./keyset";

/**
 * One term of an ORDER BY as both read paths write it: the SQL expression over a column, and
 * how a cursor's value for the key becomes the value compared with that expression.
 */
export interface SortTerm {
  readonly expression: string;
  readonly nullable: boolean;
  readonly valueOf: (value: unknown) => unknown;
}

const same = (value: unknown): unknown => value;

/** A string literal; only ever built from descriptor values, never from input. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Text by code point whatever the server's locale: PostgreSQL's "C" collation (bytes of UTF-8),
 * SQLite's default BINARY (the columns declare no other).
 */
export function binaryText(column: string, postgres: boolean): string {
  return postgres ? `${column} COLLATE "C"` : column;
}

/**
 * The position of a choice's raw value in its workflow (`choice.values` order); values the
 * instance added rank after the known ones, NULL stays NULL (sorted as the database does).
 */
export function workflowRank(column: string, workflow: readonly string[]): string {
  const known = workflow.map((value, index) => `WHEN ${column} = ${literal(value)} THEN ${index}`);
  return `CASE WHEN ${column} IS NULL THEN NULL ${known.join(" ")} ELSE ${workflow.length} END`;
}

/**
 * The ORDER BY terms of a sort key over `column` (already quoted): a choice by workflow rank
 * then raw value (so custom values sort among themselves), text by binary collation, the rest
 * as stored. The cursor carries the raw value; a rank is derived from it.
 */
export function sortTermsOf(key: SortKey, column: string, postgres: boolean): SortTerm[] {
  const { workflow } = key;
  if (workflow !== undefined) {
    return [
      {
        expression: workflowRank(column, workflow),
        nullable: key.nullable,
        valueOf: (value) => {
          if (value === null) {
            return null;
          }
          const index = workflow.indexOf(value as string);
          return index === -1 ? workflow.length : index;
        },
      },
      { expression: binaryText(column, postgres), nullable: key.nullable, valueOf: same },
    ];
  }
  if (key.kind === "string") {
    return [{ expression: binaryText(column, postgres), nullable: key.nullable, valueOf: same }];
  }
  return [{ expression: column, nullable: key.nullable, valueOf: same }];
}
