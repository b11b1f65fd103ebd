import { persistentValue, quoteIdentifier, quoteTablePath, type UpsertPlan } from "./upsert.plan";

/** The one thing an upserter needs from a connection: run a statement with bound parameters. */
export interface UpsertExecutor {
  execute(sql: string, parameters: readonly unknown[]): Promise<unknown>;
}

/** SQLite allows 32,766 bound parameters per statement; ~45 columns × 200 rows stays far below. */
const SQLITE_ROWS_PER_STATEMENT = 200;

/**
 * The next batch of a SQLite upsert: full batches, a half batch, then the rest in powers of two,
 * so a table's statements (each prepared and kept by its connection) are at most nine sizes,
 * where any remainder from 1 to 199 rows (the last page of every incremental run) was its own
 * statement. A page of 500 is still three statements.
 */
export function sqliteBatchSize(remaining: number): number {
  if (remaining >= SQLITE_ROWS_PER_STATEMENT) {
    return SQLITE_ROWS_PER_STATEMENT;
  }
  if (remaining >= SQLITE_ROWS_PER_STATEMENT / 2) {
    return SQLITE_ROWS_PER_STATEMENT / 2;
  }
  return 2 ** Math.floor(Math.log2(remaining));
}

/**
 * Rows as bound parameters, converted once (`PlanUpserter.encode`), in a shape that crosses to
 * another thread cheaply: SQLite gets a plain row-major array (each row's columns in plan
 * order); PostgreSQL one JSON text of those rows, a single parameter.
 */
export interface EncodedRows {
  readonly count: number;
  readonly values: readonly unknown[];
}

/**
 * `INSERT … ON CONFLICT (key) DO UPDATE` for one table from its plan, without TypeORM. SQLite
 * gets a multi-row VALUES list per batch size; PostgreSQL gets one statement per call whatever
 * the row count, `INSERT … SELECT (r->>0)::type, … FROM jsonb_array_elements($1::jsonb) r`, so
 * its text (and server-side plan) never changes and the rows are one parameter: JSON.stringify
 * is native, where pg's array parameters were escaped value by value in JavaScript (as much
 * CPU, and garbage, as the rest of the write).
 */
export class PlanUpserter {
  private readonly statements = new Map<number, string>();
  private readonly updates: string;
  /** By plan column: a jsonb column, whose value rides nested in PostgreSQL's JSON parameter. */
  private readonly nestedJson: readonly boolean[];

  constructor(readonly plan: UpsertPlan) {
    this.nestedJson = plan.columns.map(
      (column) =>
        plan.dialect === "postgres" && column.kind === "json" && column.sqlType === "jsonb",
    );
    const key = new Set(plan.conflictColumns);
    const updates = plan.columns
      .filter((column) => !key.has(column.name))
      .map(
        (column) => `${quoteIdentifier(column.name)} = excluded.${quoteIdentifier(column.name)}`,
      );
    this.updates =
      `ON CONFLICT (${plan.conflictColumns.map(quoteIdentifier).join(", ")}) ` +
      (updates.length > 0 ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING");
  }

  async upsert(executor: UpsertExecutor, rows: readonly object[]): Promise<void> {
    await this.write(executor, this.encode(rows));
  }

  encode(rows: readonly object[]): EncodedRows {
    return {
      count: rows.length,
      values:
        this.plan.dialect === "postgres"
          ? [JSON.stringify(this.rowArrays(rows))]
          : this.rowValues(rows),
    };
  }

  async write(executor: UpsertExecutor, rows: EncodedRows): Promise<void> {
    if (rows.count === 0) {
      return;
    }
    if (this.plan.dialect === "postgres") {
      await executor.execute(this.jsonStatement(), rows.values);
      return;
    }
    const width = this.plan.columns.length;
    for (let start = 0; start < rows.count;) {
      const count = sqliteBatchSize(rows.count - start);
      await executor.execute(
        this.valuesStatement(count),
        rows.values.slice(start * width, (start + count) * width),
      );
      start += count;
    }
  }

  /**
   * PostgreSQL only: the upsert, answering the sys_ids it inserted (rows an upsert inserts have
   * no xmax; rows it updated carry the updating transaction's), so no read before it is needed.
   */
  insertedSql(sysIdColumn: string): string {
    return `WITH upserted AS (${this.jsonStatement()} RETURNING ${quoteIdentifier(sysIdColumn)} AS sys_id, xmax = 0 AS inserted) SELECT sys_id FROM upserted WHERE inserted`;
  }

  /** Row-major parameters: each row's columns in plan order. */
  private rowValues(rows: readonly object[]): unknown[] {
    const { dialect, columns } = this.plan;
    const parameters: unknown[] = [];
    for (const row of rows) {
      const values = row as Readonly<Record<string, unknown>>;
      for (const column of columns) {
        parameters.push(persistentValue(dialect, column.kind, values[column.property]));
      }
    }
    return parameters;
  }

  /**
   * One array per row, its columns in plan order: PostgreSQL's JSON parameter. A jsonb column's
   * value goes in as itself, nested, rather than as its JSON text inside the page's text: no
   * escaping of every quote of it, and the server parses it once, with the page (incident
   * pages' upserts 5–15% less server time). A `json` column keeps the very text it is given,
   * so it still gets JSON.stringify's, as TypeORM's.
   */
  private rowArrays(rows: readonly object[]): unknown[][] {
    const { dialect, columns } = this.plan;
    return rows.map((row) => {
      const values = row as Readonly<Record<string, unknown>>;
      return columns.map((column, index) => {
        const value = values[column.property];
        return this.nestedJson[index]
          ? (value ?? null)
          : persistentValue(dialect, column.kind, value);
      });
    });
  }

  private valuesStatement(rowCount: number): string {
    const cached = this.statements.get(rowCount);
    if (cached !== undefined) {
      return cached;
    }
    const row = `(${this.plan.columns.map(() => "?").join(", ")})`;
    const sql = `${this.insertInto()} VALUES ${Array.from({ length: rowCount }, () => row).join(", ")} ${this.updates}`;
    this.statements.set(rowCount, sql);
    return sql;
  }

  private jsonStatement(): string {
    const cached = this.statements.get(0);
    if (cached !== undefined) {
      return cached;
    }
    // JSON text values (json kinds are stored as their JSON text) cast like bound text would be.
    // jsonb, not json: `->>` on a json row re-reads its text from the start for every column,
    // which made wide rows' pages five times slower (20k incident rows: 7.3–8.5 s vs 1.4 s).
    // A nested JSON value is read as jsonb (`->`); its JSON null is the column's NULL, as a null
    // property is for TypeORM.
    const values = this.plan.columns.map((column, index) =>
      this.nestedJson[index]
        ? `NULLIF(r->${index}, 'null'::jsonb)`
        : `(r->>${index})::${column.sqlType}`,
    );
    const sql = `${this.insertInto()} SELECT ${values.join(", ")} FROM jsonb_array_elements($1::jsonb) AS r ${this.updates}`;
    this.statements.set(0, sql);
    return sql;
  }

  private insertInto(): string {
    const names = this.plan.columns.map((column) => quoteIdentifier(column.name));
    return `INSERT INTO ${quoteTablePath(this.plan.table)} (${names.join(", ")})`;
  }
}
