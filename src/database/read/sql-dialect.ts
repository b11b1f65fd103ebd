/**
 * What the compiled read statements write differently on SQLite and PostgreSQL, in one place:
 * placeholders, list parameters, how a date-time column is read as the API's ISO string, and
 * how booleans and JSON come back.
 */
export interface SqlDialect {
  readonly kind: "sqlite" | "postgres";
  /** PostgreSQL sorts NULLs as the largest values, SQLite as the smallest. */
  readonly nullsLargest: boolean;
  /** The placeholder of the `index`-th (1-based) parameter. */
  placeholder(index: number): string;
  /** `column IN list`, the list bound as one parameter (so the SQL text stays the same). */
  inList(column: string, placeholder: string): string;
  listParameter(values: readonly unknown[]): unknown;
  /**
   * A filter column SQLite should not pick an index for (see query-filters' filterColumn): the
   * unary `+` keeps the planner on the index that serves the ORDER BY.
   */
  unindexed(column: string): string;
  /** The select expression of a date-time column. */
  selectDateTime(column: string): string;
  /** What `selectDateTime` returns, as DateTimeISO serializes it: `2024-01-02T03:04:05.000Z`. */
  dateTime(raw: unknown): string | null;
  /** A date-time parameter compared with stored values (an ISO instant in). */
  dateTimeParameter(iso: string): unknown;
  boolean(raw: unknown): boolean | null;
  booleanParameter(value: boolean): unknown;
  json(raw: unknown): unknown;
}

const SQLITE_CANONICAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * TypeORM writes `YYYY-MM-DD HH:MM:SS.SSS` (UTC): the fast path. Anything else is read the way
 * TypeORM's SQLite driver hydrates it (T separator, Z when no zone), then through Date.
 */
function sqliteDateTime(raw: unknown): string | null {
  if (raw === null || raw === undefined) {
    return null;
  }
  const text = String(raw);
  if (SQLITE_CANONICAL.test(text)) {
    return `${text.slice(0, 10)}T${text.slice(11)}Z`;
  }
  let value = text;
  if (/^\d\d\d\d-\d\d-\d\d \d\d:\d\d/.test(value)) {
    value = value.replace(" ", "T");
  }
  if (/^\d\d\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/.test(value)) {
    value += "Z";
  }
  return new Date(value).toISOString();
}

export const SQLITE_DIALECT: SqlDialect = {
  kind: "sqlite",
  nullsLargest: false,
  placeholder: () => "?",
  inList: (column, placeholder) => `${column} IN (SELECT value FROM json_each(${placeholder}))`,
  listParameter: (values) => JSON.stringify(values),
  unindexed: (column) => `+${column}`,
  selectDateTime: (column) => column,
  dateTime: sqliteDateTime,
  dateTimeParameter: (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 23)}`,
  boolean: (raw) => (raw === null || raw === undefined ? null : raw === 1 || raw === true),
  booleanParameter: (value) => (value ? 1 : 0),
  json: (raw) => (typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw),
};

export const POSTGRES_DIALECT: SqlDialect = {
  kind: "postgres",
  nullsLargest: true,
  placeholder: (index) => `$${index}`,
  inList: (column, placeholder) => `${column} = ANY(${placeholder})`,
  listParameter: (values) => [...values],
  unindexed: (column) => column,
  // Formatted by the server: no Date per value, and the session's time zone plays no part.
  selectDateTime: (column) =>
    `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  dateTime: (raw) => (raw === null || raw === undefined ? null : String(raw)),
  dateTimeParameter: (iso) => iso,
  boolean: (raw) => (raw === null || raw === undefined ? null : raw === true),
  booleanParameter: (value) => value,
  // pg parses jsonb itself.
  json: (raw) => raw,
};

export function dialectOf(kind: "sqlite" | "postgres"): SqlDialect {
  return kind === "postgres" ? POSTGRES_DIALECT : SQLITE_DIALECT;
}

/** A double-quoted identifier; identifiers only ever come from table descriptors. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
