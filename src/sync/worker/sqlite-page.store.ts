import Database from "better-sqlite3";

import type { DatabaseConnection } from "../../database/data-source";
import type {
  PageChanges,
  PageCommit,
  PageExecutor,
  PageStatements,
  PageStore,
} from "./page.store";
import { WorkerDatabaseError } from "./worker-database.error";

type SqliteConnection = Extract<DatabaseConnection, { kind: "sqlite" }>;

const WRITER_CACHE_SIZE = "cache_size = -8000";

/** About two tables' statements (batch sizes, the existing-rows read, state, counts, deletes). */
const MAX_PREPARED_STATEMENTS = 32;

/**
 * The worker's own better-sqlite3 connection to the gateway's file, opened as TypeORM opens
 * the main one (busy timeout, pragmas, WAL). Statements are prepared once per text.
 */
export class SqlitePageStore implements PageStore {
  private readonly database: Database.Database;
  private readonly prepared = new Map<string, Database.Statement<unknown[]>>();
  readonly direct: PageExecutor;

  constructor(connection: SqliteConnection) {
    this.database = new Database(connection.path, {
      timeout: connection.busyTimeoutMs,
      fileMustExist: true,
    });
    for (const pragma of connection.pragmas) {
      this.database.pragma(pragma);
    }
    // The sync's bulk writes probe the unique index once per row, in sys_id (random) order:
    // 8 MB holds a large table's index where 2 MB re-read its pages from the file on every
    // page (240k journal rows: inserts 6.5 s → 3.5 s). The request thread keeps 2 MB.
    this.database.pragma(WRITER_CACHE_SIZE);
    if (connection.wal) {
      this.database.pragma("journal_mode = WAL");
    }
    this.direct = {
      execute: (sql, parameters) => {
        try {
          // One array argument rather than thousands of spread arguments.
          this.statement(sql).run(parameters);
          return Promise.resolve();
        } catch (error) {
          return Promise.reject(new WorkerDatabaseError(sql, error));
        }
      },
      firstColumn: (sql, parameters) => {
        try {
          return Promise.resolve(this.statement(sql).pluck().all(parameters));
        } catch (error) {
          return Promise.reject(new WorkerDatabaseError(sql, error));
        }
      },
    };
  }

  /** One transaction per page; IMMEDIATE takes the write lock up front, under the busy timeout. */
  async commit(statements: PageStatements, page: PageCommit): Promise<PageChanges> {
    this.run("BEGIN IMMEDIATE");
    try {
      const changes = await statements.write(this.direct, page);
      this.run("COMMIT");
      return changes;
    } catch (error) {
      if (this.database.inTransaction) {
        this.database.exec("ROLLBACK");
      }
      throw error;
    }
  }

  close(): Promise<void> {
    this.database.close();
    return Promise.resolve();
  }

  private run(sql: string): void {
    try {
      this.database.exec(sql);
    } catch (error) {
      throw new WorkerDatabaseError(sql, error);
    }
  }

  /** How many prepared statements the connection keeps (diagnostics and tests). */
  get preparedCount(): number {
    return this.prepared.size;
  }

  /**
   * The statement for `sql`, prepared once and kept while it is among the most recently used:
   * a wide table's multi-row upserts cost about 1.7 MB of SQLite memory for its nine batch
   * sizes, and a run goes through its tables one after the other, so the tables already done
   * need not hold theirs for the connection's life.
   */
  private statement(sql: string): Database.Statement<unknown[]> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.database.prepare(sql);
    } else {
      this.prepared.delete(sql);
    }
    // Map order is insertion order: re-inserted, it is the most recent.
    this.prepared.set(sql, statement);
    if (this.prepared.size > MAX_PREPARED_STATEMENTS) {
      const oldest = this.prepared.keys().next().value;
      if (oldest !== undefined) {
        this.prepared.delete(oldest);
      }
    }
    return statement;
  }
}
