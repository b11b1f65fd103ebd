/**
 * How one table's rows are written, as plain data (structured-cloneable): computed once from
 * TypeORM's metadata on the main thread (`upsertPlanOf`), then used by a `PlanUpserter` on
 * either thread without TypeORM.
 */
export type UpsertDialect = "sqlite" | "postgres";

/** How a property's value becomes a bound parameter, the way TypeORM's drivers store it. */
export type UpsertValueKind = "text" | "integer" | "boolean" | "dateTime" | "json";

export interface UpsertColumn {
  /** The column's name in the database. */
  readonly name: string;
  /** The entity property holding its value in a mapped row. */
  readonly property: string;
  readonly kind: UpsertValueKind;
  /** The column's database type (`varchar`, `timestamptz`, `jsonb`…): PostgreSQL's array casts. */
  readonly sqlType: string;
}

export interface UpsertPlan {
  /** The table, schema-qualified when the DataSource names a schema (`schema.table`). */
  readonly table: string;
  readonly dialect: UpsertDialect;
  readonly columns: readonly UpsertColumn[];
  /** The unique key rows are matched on; every other listed column is overwritten. */
  readonly conflictColumns: readonly string[];
}

/** `"name"`, doubling embedded quotes; a dotted table path quotes each part. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteTablePath(path: string): string {
  return path.split(".").map(quoteIdentifier).join(".");
}

/**
 * A property value as TypeORM's driver would bind it for the column: SQLite gets booleans as
 * 1/0, dates as UTC `YYYY-MM-DD HH:MM:SS.mmm` text and JSON as text; PostgreSQL gets dates as
 * ISO instants (`timestamptz`) and JSON as text. null and undefined are NULL.
 */
export function persistentValue(
  dialect: UpsertDialect,
  kind: UpsertValueKind,
  value: unknown,
): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  switch (kind) {
    case "boolean":
      // TypeORM's SQLite driver stores exactly `true` as 1; PostgreSQL binds the boolean.
      return dialect === "sqlite" ? (value === true ? 1 : 0) : value;
    case "dateTime": {
      const date = typeof value === "string" ? new Date(value) : value;
      if (!(date instanceof Date)) {
        return value;
      }
      const iso = date.toISOString();
      // toISOString is `YYYY-MM-DDTHH:MM:SS.mmmZ`; TypeORM's SQLite text drops the T and the Z.
      return dialect === "sqlite" ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso;
    }
    case "json":
      return JSON.stringify(value);
    case "text":
    case "integer":
      return value;
  }
}
