import { randomBytes } from "node:crypto";

import Database from "better-sqlite3";
import { Client } from "pg";

import { startChild } from "./child-process";

/**
 * The seeded SQLite database, copied into a fresh schema of a PostgreSQL: the schema comes
 * from the product's PostgreSQL migrations, the rows (ids included) in batches of JSON through
 * json_populate_recordset, so both benchmarks read the very same data.
 */

const COPIED_TABLES = ["integration", "sn_user_group", "sn_user", "incident", "journal_entry"];
const BATCH = 5_000;
/** How TypeORM stores a date-time on SQLite: UTC without a zone. */
const SQLITE_DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;

export interface PostgresCopy {
  /** The database URL with the schema selected through search_path. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Whether a PostgreSQL answers at `url` (the bench skips PostgreSQL when none does). */
export async function postgresAvailable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * An empty schema of its own on the PostgreSQL at `baseUrl` (a gateway started on the returned
 * URL migrates it), dropped with everything in it by `drop()`.
 */
export async function freshPostgresSchema(
  baseUrl: string,
): Promise<PostgresCopy & { readonly schema: string }> {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin
      .query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public')
      .catch(() => undefined);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return {
    schema,
    url: url.toString(),
    async drop() {
      const dropper = new Client({ connectionString: baseUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export async function copyToPostgres(
  file: string,
  baseUrl: string,
  tables: readonly string[] = COPIED_TABLES,
): Promise<PostgresCopy> {
  const fresh = await freshPostgresSchema(baseUrl);
  const { schema } = fresh;
  const url = new URL(fresh.url);
  // In a child: entity column types follow DATABASE_URL when the entities are imported.
  const migrator = await startChild("support/postgres-migrate.child.ts", {
    args: [url.toString()],
    env: { DATABASE_URL: url.toString() },
  });
  await migrator.stop();

  const sqlite = new Database(file, { readonly: true });
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    for (const table of tables) {
      // SQLite keeps JSON as text: PostgreSQL's json/jsonb columns take the parsed value.
      const jsonColumns = new Set(
        (
          await client.query<{ column_name: string }>(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND data_type IN ('json', 'jsonb')",
            [schema, table],
          )
        ).rows.map((row) => row.column_name),
      );
      const rows = sqlite.prepare(`SELECT * FROM "${table}"`).iterate() as Iterable<
        Record<string, unknown>
      >;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length > 0) {
          await client.query(
            `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`,
            [JSON.stringify(batch)],
          );
          batch = [];
        }
      };
      for (const row of rows) {
        const copied: Record<string, unknown> = {};
        for (const [column, value] of Object.entries(row)) {
          copied[column] =
            typeof value !== "string"
              ? value
              : jsonColumns.has(column)
                ? (JSON.parse(value) as unknown)
                : SQLITE_DATE_TIME.test(value)
                  ? `${value.replace(" ", "T")}Z`
                  : value;
        }
        batch.push(copied);
        if (batch.length >= BATCH) {
          await flush();
        }
      }
      await flush();
      await client.query(`ANALYZE "${table}"`);
    }
  } finally {
    sqlite.close();
    await client.end();
  }
  return { url: fresh.url, drop: fresh.drop };
}
