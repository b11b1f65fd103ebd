import type { DataSource, EntityManager, EntityTarget } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";

/** SQLite allows 32,766 bound parameters per statement; ~45 columns × 200 rows stays far below. */
const ROWS_PER_STATEMENT = 200;

/**
 * `INSERT … ON CONFLICT (integration_id, sys_id) DO UPDATE` for one synced table, written once
 * per batch size. TypeORM's upsert builder re-derives the statement and re-scans its parameters
 * for every batch, which profiles as much CPU as SQLite's own work; values still go through the
 * driver's own conversion (dates, JSON, booleans) column by column.
 */
export class RowUpserter {
  private readonly columns: ColumnMetadata[];
  private readonly statements = new Map<number, string>();

  constructor(
    private readonly dataSource: DataSource,
    entity: EntityTarget<object>,
  ) {
    const metadata = dataSource.getMetadata(entity);
    this.columns = metadata.columns.filter((column) => !column.isGenerated);
    this.tableName = metadata.tableName;
  }

  private readonly tableName: string;

  async upsert(manager: EntityManager, rows: readonly object[]): Promise<void> {
    const driver = this.dataSource.driver;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const parameters: unknown[] = [];
      for (const row of chunk) {
        for (const column of this.columns) {
          const value: unknown = column.getEntityValue(row as Record<string, unknown>);
          parameters.push(
            value === undefined ? null : driver.preparePersistentValue(value, column),
          );
        }
      }
      await manager.query(this.statementFor(chunk.length), parameters);
    }
  }

  private statementFor(rowCount: number): string {
    const cached = this.statements.get(rowCount);
    if (cached) {
      return cached;
    }
    const postgres = this.dataSource.options.type === "postgres";
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const names = this.columns.map((column) => column.databaseName);
    let index = 0;
    const rowsSql = Array.from({ length: rowCount }, () => {
      const placeholders = names.map(() => (postgres ? `$${++index}` : "?"));
      return `(${placeholders.join(", ")})`;
    });
    const updates = names
      .filter((name) => name !== "integration_id" && name !== "sys_id")
      .map((name) => `${quote(name)} = excluded.${quote(name)}`);
    const sql =
      `INSERT INTO ${quote(this.tableName)} (${names.map(quote).join(", ")}) VALUES ${rowsSql.join(", ")} ` +
      `ON CONFLICT (${quote("integration_id")}, ${quote("sys_id")}) DO UPDATE SET ${updates.join(", ")}`;
    this.statements.set(rowCount, sql);
    return sql;
  }
}
