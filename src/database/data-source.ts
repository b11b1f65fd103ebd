import fs from "node:fs";
import path from "node:path";

import { Client } from "pg";
import { DataSource, type DataSourceOptions, type Logger as TypeOrmLogger } from "typeorm";

import type { DatabaseConfig } from "../config/config";
import { ENTITIES } from "./entities";
import { POSTGRES_MIGRATIONS } from "./migrations/postgres";
import { SQLITE_MIGRATIONS } from "./migrations/sqlite";
import { SnakeNamingStrategy } from "./snake-naming.strategy";

export interface DataSourceSettings {
  /** Tests only: create the schema from entities instead of running migrations. */
  readonly synchronize?: boolean;
  readonly logger?: TypeOrmLogger;
  readonly schema?: string;
}

export function dataSourceOptions(
  database: DatabaseConfig,
  settings: DataSourceSettings = {},
): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: settings.synchronize ?? false,
    migrationsRun: false,
    logger: settings.logger,
    logging: settings.logger ? ("all" as const) : false,
  };
  if (database.kind === "postgres") {
    return {
      ...common,
      type: "postgres",
      url: database.url,
      schema: settings.schema,
      migrations: POSTGRES_MIGRATIONS,
      extra: { max: 10 },
    };
  }
  return {
    ...common,
    type: "better-sqlite3",
    database: database.path,
    migrations: SQLITE_MIGRATIONS,
    enableWAL: database.path !== ":memory:",
    // Busy timeout: the scheduler writes while requests read; wait rather than fail.
    timeout: 5000,
    prepareDatabase: (db: { pragma: (statement: string) => unknown }) => {
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
    },
  };
}

/** Opens the database and applies pending migrations (or synchronises, in tests). */
export async function openDataSource(
  database: DatabaseConfig,
  settings: DataSourceSettings = {},
): Promise<DataSource> {
  if (database.kind === "sqlite" && database.path !== ":memory:") {
    fs.mkdirSync(path.dirname(database.path), { recursive: true });
  }
  const dataSource = new DataSource(dataSourceOptions(database, settings));
  // Replicas starting together on one PostgreSQL take turns: extension set-up and migrations
  // are not safe to run concurrently.
  const release = database.kind === "postgres" ? await lockMigrations(database.url) : null;
  try {
    await dataSource.initialize();
    if (!settings.synchronize) {
      await dataSource.runMigrations({ transaction: "each" });
    }
  } catch (error) {
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    throw error;
  } finally {
    await release?.();
  }
  return dataSource;
}

/** An arbitrary constant naming this application's migration lock. */
const MIGRATION_LOCK_KEY = 734_201_913;

/** A session-level advisory lock on its own connection, held until the returned release. */
async function lockMigrations(url: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  return async () => {
    try {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    } finally {
      await client.end();
    }
  };
}
