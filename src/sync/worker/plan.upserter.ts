import { persistentValue, quoteIdentifier, quoteTablePath, type UpsertPlan } from "./upsert.plan";

/** The one thing an upserter needs from a connection: run a statement with bound parameters. */
export interface UpsertExecutor {
  execute(sql: string, parameters: readonly unknown[]): Promise<unknown>;
}

/** SQLite allows 32,766 bound parameters per statement; ~45 columns × 200 rows stays far below. */
const SQLITE_ROWS_PER_STATEMENT = 200;

/**
 * Rows as bound parameters, converted once (`PlanUpserter.encode`): plain arrays of strings,
 * numbers and nulls, so they cross to another thread as cheaply as structured clone allows.
 * SQLite: row-major (each row's columns in plan order); PostgreSQL: one array per column.
 */
export interface EncodedRows {
  readonly count: number;
  readonly values: readonly unknown[];
}

/**
 * `INSERT … ON CONFLICT (key) DO UPDATE` for one table from its plan, without TypeORM. SQLite
 * gets a multi-row VALUES list per batch size; PostgreSQL gets one statement per call whatever
 * the row count, `INSERT … SELECT * FROM unnest($1::type[], …)` with one array per column, so
 * its text (and server-side plan) never changes and binds one parameter per column.
 */
export class PlanUpserter {
  private readonly statements = new Map<number, string>();
  private readonly updates: string;

  constructor(readonly plan: UpsertPlan) {
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
      values: this.plan.dialect === "postgres" ? this.columnArrays(rows) : this.rowValues(rows),
    };
  }

  async write(executor: UpsertExecutor, rows: EncodedRows): Promise<void> {
    if (rows.count === 0) {
      return;
    }
    if (this.plan.dialect === "postgres") {
      await executor.execute(this.unnestStatement(), rows.values);
      return;
    }
    const width = this.plan.columns.length;
    for (let start = 0; start < rows.count; start += SQLITE_ROWS_PER_STATEMENT) {
      const count = Math.min(SQLITE_ROWS_PER_STATEMENT, rows.count - start);
      await executor.execute(
        this.valuesStatement(count),
        rows.values.slice(start * width, (start + count) * width),
      );
    }
  }

  /**
   * PostgreSQL only: the upsert, answering the sys_ids it inserted (rows an upsert inserts have
   * no xmax; rows it updated carry the updating transaction's), so no read before it is needed.
   */
  insertedSql(sysIdColumn: string): string {
    return `WITH upserted AS (${this.unnestStatement()} RETURNING ${quoteIdentifier(sysIdColumn)} AS sys_id, xmax = 0 AS inserted) SELECT sys_id FROM upserted WHERE inserted`;
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

  /** Column-major parameters: one array per column, for unnest. */
  private columnArrays(rows: readonly object[]): unknown[][] {
    const { dialect, columns } = this.plan;
    return columns.map((column) =>
      rows.map((row) =>
        persistentValue(
          dialect,
          column.kind,
          (row as Readonly<Record<string, unknown>>)[column.property],
        ),
      ),
    );
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

  private unnestStatement(): string {
    const cached = this.statements.get(0);
    if (cached !== undefined) {
      return cached;
    }
    const arrays = this.plan.columns.map((column, index) => `$${index + 1}::${column.sqlType}[]`);
    const sql = `${this.insertInto()} SELECT * FROM unnest(${arrays.join(", ")}) ${this.updates}`;
    this.statements.set(0, sql);
    return sql;
  }

  private insertInto(): string {
    const names = this.plan.columns.map((column) => quoteIdentifier(column.name));
    return `INSERT INTO ${quoteTablePath(this.plan.table)} (${names.join(", ")})`;
  }
}
