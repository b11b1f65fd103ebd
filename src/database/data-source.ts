import fs from "node:fs";
import path from "node:path";

import {
  DataSource,
  type DataSourceOptions,
  type Logger as TypeOrmLogger,
  MigrationExecutor,
} from "typeorm";

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
  /**
   * An idle pooled PostgreSQL connection died (server restart, network cut); the pool opens a
   * new one on the next query. Without a handler TypeORM only tells its own logger.
   */
  readonly onPoolError?: (error: Error) => void;
  /** How long one attempt to open a PostgreSQL connection may take. */
  readonly connectTimeoutMs?: number;
}

/** Per-connection attempt: long enough for a busy server, short enough to retry a dead one. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Busy timeout: the scheduler writes while requests read; wait rather than fail. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/**
 * Run on every SQLite connection, before TypeORM's own `foreign_keys = ON` and WAL. better-sqlite3
 * is built with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000), which the
 * sync worker's connection fills once the file outgrows it (60 MB at the bench's 4N) and the
 * main one as it serves reads: SQLite's own default of 2 MB keeps the peak RSS flat in the data
 * size, and pages beyond it come from the OS page cache (the sync's writer sets its own).
 */
const SQLITE_PRAGMAS = [
  // Only a new file takes it (before its first table); an existing one keeps its page size. A
  // synced incident row is about 3 KB, so 4 KB pages held one each: 16 KB pages made 40k rows'
  // file 88 MB instead of 117 and their commits (WAL writes, checkpoints) half as long.
  "page_size = 16384",
  "synchronous = NORMAL",
  "foreign_keys = ON",
  "cache_size = -2000",
  // A checkpoint every 10,000 WAL pages (160 MB) rather than SQLite's 1,000: a sync page of 500
  // rows dirties a page of its unique index per row, so at 1,000 a large table checkpointed
  // every second commit, copying the same index pages back each time (240k journal rows:
  // commits 6.8 s → 3.8 s). After a checkpoint the WAL file is cut back to 64 MB.
  "wal_autocheckpoint = 10000",
  "journal_size_limit = 67108864",
] as const;

/**
 * How to open one more connection to the DataSource's database outside TypeORM (the sync
 * worker's), as plain data: the same file, pragmas, WAL and busy timeout on SQLite; the same
 * URL, schema and connect timeout on PostgreSQL. null for an in-memory SQLite database, which
 * no other connection can see.
 */
export type DatabaseConnection =
  | {
      readonly kind: "sqlite";
      readonly path: string;
      readonly wal: boolean;
      readonly busyTimeoutMs: number;
      readonly pragmas: readonly string[];
    }
  | {
      readonly kind: "postgres";
      readonly url: string;
      readonly schema?: string;
      readonly connectTimeoutMs: number;
    };

export function databaseConnectionOf(options: DataSourceOptions): DatabaseConnection | null {
  if (options.type === "postgres" && options.url !== undefined) {
    return {
      kind: "postgres",
      url: options.url,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      connectTimeoutMs: options.connectTimeoutMS ?? DEFAULT_CONNECT_TIMEOUT_MS,
    };
  }
  if (options.type === "better-sqlite3" && options.database !== ":memory:") {
    return {
      kind: "sqlite",
      path: options.database,
      wal: options.enableWAL === true,
      busyTimeoutMs: options.timeout ?? SQLITE_BUSY_TIMEOUT_MS,
      // TypeORM's driver adds foreign_keys = ON after prepareDatabase: listed already.
      pragmas: SQLITE_PRAGMAS,
    };
  }
  return null;
}

/** A migration failed for a reason other than the database going away. */
export class MigrationError extends Error {
  constructor(
    /** The first migration still pending after the failure: the one that failed. */
    readonly migration: string | null,
    options: { readonly cause: unknown },
  ) {
    super(
      `migration ${migration ?? "(unknown)"} failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`,
      options,
    );
    this.name = "MigrationError";
  }
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
      connectTimeoutMS: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(settings.onPoolError ? { poolErrorHandler: settings.onPoolError } : {}),
      extra: { max: 10 },
    };
  }
  return {
    ...common,
    type: "better-sqlite3",
    database: database.path,
    migrations: SQLITE_MIGRATIONS,
    enableWAL: database.path !== ":memory:",
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (db: { pragma: (statement: string) => unknown }) => {
      for (const pragma of SQLITE_PRAGMAS) {
        db.pragma(pragma);
      }
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
  const release =
    database.kind === "postgres"
      ? await lockMigrations(database.url, settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)
      : null;
  try {
    await dataSource.initialize();
    if (!settings.synchronize) {
      await runMigrations(dataSource);
    }
  } catch (error) {
    if (dataSource.isInitialized) {
      await dataSource.destroy().catch(() => undefined);
    }
    throw error;
  } finally {
    await release?.();
  }
  return dataSource;
}

async function runMigrations(dataSource: DataSource): Promise<void> {
  try {
    await dataSource.runMigrations({ transaction: "each" });
  } catch (error) {
    // Each migration commits on its own, so the first one still pending is the one that failed.
    const pending = await new MigrationExecutor(dataSource).getPendingMigrations().catch(() => []);
    throw new MigrationError(pending[0]?.name ?? null, { cause: error });
  }
}

/** An arbitrary constant naming this application's migration lock. */
const MIGRATION_LOCK_KEY = 734_201_913;

type PgModule = typeof import("pg");

/** A session-level advisory lock on its own connection, held until the returned release. */
async function lockMigrations(url: string, timeoutMs: number): Promise<() => Promise<void>> {
  // Loaded here: a SQLite gateway never needs the driver (TypeORM requires it on its own too).
  // require, not import(): one CommonJS copy of pg, resolved as TypeORM resolves it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require("pg") as PgModule;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection that dies while held must not crash the process; the query in flight fails.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return async () => {
    try {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    } catch {
      // The session is gone, and its lock with it.
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}
