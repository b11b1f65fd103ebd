import { createHash } from "node:crypto";

import type BetterSqlite3 from "better-sqlite3";
import type { Pool, QueryArrayConfig } from "pg";
import type { DataSource } from "typeorm";

/** A row as the database returns it with array row mode: one value per selected expression. */
export type RawRow = readonly unknown[];

/**
 * The statements an executor ran. Counting is always on (an increment); the SQL text is kept
 * only while `recorded` is an array, so tests and the bench can look without production
 * paying for a growing list.
 */
export class StatementLog {
  count = 0;
  recorded: { readonly sql: string; readonly parameters: readonly unknown[] }[] | null = null;

  note(sql: string, parameters: readonly unknown[]): void {
    this.count += 1;
    this.recorded?.push({ sql, parameters });
  }

  reset(): void {
    this.count = 0;
    if (this.recorded !== null) {
      this.recorded = [];
    }
  }
}

/**
 * Runs the hot read statements as raw prepared statements, bypassing TypeORM's hydration:
 * rows come back as arrays. Every statement is prepared once per SQL text (better-sqlite3)
 * or per connection under a stable name (pg). Parameters are always bound.
 */
export interface SqlExecutor {
  readonly kind: "sqlite" | "postgres";
  readonly log: StatementLog;
  all(sql: string, parameters: readonly unknown[]): Promise<RawRow[]>;
}

/** Past this many distinct texts the cache starts over: plans are few, filters combine. */
const MAX_CACHED_STATEMENTS = 1000;

class SqliteExecutor implements SqlExecutor {
  readonly kind = "sqlite";
  readonly log = new StatementLog();
  private readonly statements = new Map<string, BetterSqlite3.Statement<unknown[], unknown[]>>();

  constructor(private readonly database: BetterSqlite3.Database) {}

  all(sql: string, parameters: readonly unknown[]): Promise<RawRow[]> {
    try {
      const statement = this.prepared(sql);
      this.log.note(sql, parameters);
      return Promise.resolve(statement.all(...parameters));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private prepared(sql: string): BetterSqlite3.Statement<unknown[], unknown[]> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) {
        this.statements.clear();
      }
      // Our own statement, not TypeORM's cached one: raw mode would change what TypeORM reads.
      statement = this.database.prepare<unknown[], unknown[]>(sql).raw(true);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

class PostgresExecutor implements SqlExecutor {
  readonly kind = "postgres";
  readonly log = new StatementLog();
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: Pool) {}

  async all(sql: string, parameters: readonly unknown[]): Promise<RawRow[]> {
    const config: QueryArrayConfig = {
      name: this.nameOf(sql),
      text: sql,
      values: [...parameters],
      rowMode: "array",
    };
    this.log.note(sql, parameters);
    const result = await this.pool.query(config);
    return result.rows;
  }

  /** A name derived from the text: the same on every connection, never two texts under one. */
  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (name === undefined) {
      if (this.names.size >= MAX_CACHED_STATEMENTS) {
        this.names.clear();
      }
      name = `read_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

/** What TypeORM 1.x's drivers hold: better-sqlite3's Database, or pg's Pool as `master`. */
interface DriverHandles {
  readonly databaseConnection?: BetterSqlite3.Database;
  readonly master?: Pool;
}

/** The executor on the data source's own connection (SQLite) or pool (PostgreSQL). */
export function createSqlExecutor(dataSource: DataSource): SqlExecutor {
  const driver = dataSource.driver as unknown as DriverHandles;
  if (dataSource.options.type === "postgres") {
    if (driver.master === undefined) {
      throw new Error("the PostgreSQL data source has no pool: initialize it first");
    }
    return new PostgresExecutor(driver.master);
  }
  if (dataSource.options.type === "better-sqlite3") {
    if (driver.databaseConnection === undefined) {
      throw new Error("the SQLite data source has no connection: initialize it first");
    }
    return new SqliteExecutor(driver.databaseConnection);
  }
  throw new Error(`no read executor for ${dataSource.options.type}`);
}
