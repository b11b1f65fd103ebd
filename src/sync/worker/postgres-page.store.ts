import { createHash } from "node:crypto";

import type { Client } from "pg";

import type { DatabaseConnection } from "../../database/data-source";
import type {
  PageChanges,
  PageCommit,
  PageExecutor,
  PageStatements,
  PageStore,
} from "./page.store";
import { quoteIdentifier } from "./upsert.plan";
import { WorkerDatabaseError } from "./worker-database.error";

type PostgresConnection = Extract<DatabaseConnection, { kind: "postgres" }>;

/**
 * The worker's own pg connection with the main DataSource's settings (URL and its options, so
 * a test's search_path too; the schema when one is named). Statements are prepared per
 * connection under a name derived from their text.
 */
export class PostgresPageStore implements PageStore {
  readonly direct: PageExecutor;

  private constructor(private readonly client: Client) {
    this.direct = {
      execute: async (sql, parameters) => {
        try {
          await client.query({ name: statementName(sql), text: sql, values: [...parameters] });
        } catch (error) {
          throw new WorkerDatabaseError(sql, error);
        }
      },
      firstColumn: async (sql, parameters) => {
        try {
          // Unnamed, so planned for each call: a named statement's generic plan, made while a
          // first backfill's table was nearly empty, kept scanning it whole as it grew (the
          // page's `sys_id = ANY(…)` read went from under 1 ms to 40–200 ms per page).
          const result = await client.query<unknown[]>({
            text: sql,
            values: [...parameters],
            rowMode: "array",
          });
          return result.rows.map((row) => row[0]);
        } catch (error) {
          throw new WorkerDatabaseError(sql, error);
        }
      },
    };
  }

  static async open(connection: PostgresConnection): Promise<PostgresPageStore> {
    // Required here, not imported: a worker syncing SQLite never loads pg.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client: PgClient } = require("pg") as typeof import("pg");
    const client = new PgClient({
      connectionString: connection.url,
      connectionTimeoutMillis: connection.connectTimeoutMs,
    });
    // A connection that dies between pages must not kill the worker; the next query fails.
    client.on("error", () => undefined);
    try {
      await client.connect();
      if (connection.schema !== undefined) {
        await client.query(`SET search_path TO ${quoteIdentifier(connection.schema)}`);
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new WorkerDatabaseError(undefined, error);
    }
    return new PostgresPageStore(client);
  }

  /**
   * Without waiting for the WAL flush: a page's rows, watermark and counts still commit
   * atomically, so a database crash can only lose the last pages whole, which the next run reads
   * again from the watermark it kept; the flush wait was most of a small page's commit.
   */
  async commit(statements: PageStatements, page: PageCommit): Promise<PageChanges> {
    await this.run("BEGIN; SET LOCAL synchronous_commit TO OFF");
    try {
      const changes = await statements.write(this.direct, page);
      await this.run("COMMIT");
      return changes;
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  private async run(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw new WorkerDatabaseError(sql, error);
    }
  }
}

const names = new Map<string, string>();

/** Plans are few (a table's rows, the watermark, the counts): the map stays small. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (name === undefined) {
    name = `sync_${createHash("sha1").update(sql).digest("hex").slice(0, 16)}`;
    names.set(sql, name);
  }
  return name;
}
