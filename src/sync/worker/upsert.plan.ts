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

/**
 * A record table's key as SQL, from its plan: `integration_id = <first>` and `sys_id` in a list
 * bound as one parameter (an array for PostgreSQL's `= ANY`, JSON text for SQLite's json_each),
 * so a statement's text, and its prepared form, never depend on how many sys_ids it names.
 */
export class RecordKeySql {
  readonly table: string;
  readonly integration: string;
  readonly sysId: string;
  /** The sys_id column's name, unquoted. */
  readonly sysIdColumn: string;
  private readonly postgres: boolean;
  private readonly sysIdType: string;

  constructor(plan: UpsertPlan) {
    this.postgres = plan.dialect === "postgres";
    this.table = quoteTablePath(plan.table);
    this.integration = quoteIdentifier(planColumn(plan, "integrationId").name);
    const sysId = planColumn(plan, "sysId");
    this.sysId = quoteIdentifier(sysId.name);
    this.sysIdColumn = sysId.name;
    this.sysIdType = sysId.sqlType;
  }

  /** The n-th (1-based) bound parameter. */
  placeholder(index: number): string {
    return this.postgres ? `$${index}` : "?";
  }

  /** `sys_id` in the list bound at parameter `index`. */
  sysIdIn(index: number): string {
    return this.postgres
      ? `${this.sysId} = ANY(${this.placeholder(index)}::${this.sysIdType}[])`
      : `${this.sysId} IN (SELECT value FROM json_each(?))`;
  }

  /** The list parameter `sysIdIn` reads. */
  list(sysIds: readonly string[]): unknown {
    return this.postgres ? sysIds : JSON.stringify(sysIds);
  }
}

function planColumn(plan: UpsertPlan, property: string): UpsertColumn {
  const column = plan.columns.find((candidate) => candidate.property === property);
  if (column === undefined) {
    throw new Error(`${plan.table} has no ${property} column`);
  }
  return column;
}
