import fs from "node:fs";
import path from "node:path";

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
  await dataSource.initialize();
  if (!settings.synchronize) {
    await dataSource.runMigrations({ transaction: "each" });
  }
  return dataSource;
}
