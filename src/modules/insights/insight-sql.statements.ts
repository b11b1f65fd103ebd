import type { DataSource } from "typeorm";

import { recordEntityOf } from "../../database/entities";
import { createSqlExecutor, type RawRow, type SqlExecutor } from "../../database/read/sql-executor";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import type { SqlParameters } from "./insight-sql.dialect";

/** Quoted column names of a described table under an alias, as the naming strategy made them. */
export interface Columns {
  (property: string): string;
  /** The quoted table name followed by the alias, for FROM and JOIN. */
  readonly table: string;
}

export function columnsOf(dataSource: DataSource, table: TableDescriptor, alias: string): Columns {
  const metadata = dataSource.getMetadata(recordEntityOf(table));
  const column = (property: string): string => {
    const found = metadata.findColumnWithPropertyName(property);
    if (found === undefined) {
      throw new RangeError(`${table.name} has no column ${property}`);
    }
    return `${alias}."${found.databaseName}"`;
  };
  return Object.assign(column, { table: `"${metadata.tableName}" ${alias}` });
}

/**
 * The insights' statements run as the list reads do: raw prepared statements through the read
 * executor, rows as arrays (no TypeORM hydration of thousands of reduced rows).
 */
export class InsightStatements {
  private executor: SqlExecutor | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** A statement with named parameters (`:p0`), bound as TypeORM's driver binds them. */
  all(sql: string, params: SqlParameters): Promise<RawRow[]> {
    const [statement, bound] = this.dataSource.driver.escapeQueryWithParameters(sql, params.values);
    return this.positional(statement, bound as unknown[]);
  }

  /** A statement already in the driver's positional form (`?` or `$1`). */
  positional(sql: string, bound: readonly unknown[]): Promise<RawRow[]> {
    // Created on first use: the data source is initialized by then.
    this.executor ??= createSqlExecutor(this.dataSource);
    return this.executor.all(sql, bound);
  }
}
