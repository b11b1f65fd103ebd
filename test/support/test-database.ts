import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Client } from "pg";

import { type DatabaseConfig, parseDatabaseUrl } from "../../src/config/config";

export interface TestDatabase {
  readonly config: DatabaseConfig;
  drop(): Promise<void>;
}

/**
 * A private database per test file: a temporary SQLite file by default, or, when DATABASE_URL
 * points at PostgreSQL, a fresh schema selected through `search_path` so files never collide.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = parseDatabaseUrl(process.env.DATABASE_URL?.trim() || null, os.tmpdir());
  if (base.kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-test-"));
    return {
      config: { kind: "sqlite", path: path.join(dir, "test.sqlite") },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  return createPostgresTestDatabase(base.url);
}

/** A fresh schema on the PostgreSQL at `baseUrl`, selected through `search_path`. */
export async function createPostgresTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const base = { url: baseUrl };
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: base.url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // Extensions exist once per database: keep uuid-ossp in public, visible to every test schema.
  await admin
    .query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public')
    .catch(() => undefined);
  await admin.end();
  const url = new URL(base.url);
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return {
    config: { kind: "postgres", url: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: base.url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
