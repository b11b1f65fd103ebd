import "reflect-metadata";

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Client } from "pg";
import { DataSource, type DataSourceOptions } from "typeorm";

import { dataSourceOptions } from "../src/database/data-source";

/**
 * Generates a migration for SQLite and one for PostgreSQL from the difference between the
 * entities and the schema the existing migrations build, each against a scratch database.
 *
 *   npm run migration:generate -- AddSomething
 *
 * Entity column types depend on the database kind at import time, so each kind is generated
 * in its own child process (`--kind sqlite|postgres`) whose DATABASE_URL selects the kind.
 */
const MIGRATIONS_DIR = path.resolve(__dirname, "..", "src", "database", "migrations");
const POSTGRES_ADMIN_URL =
  process.env.MIGRATION_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function pascal(name: string): string {
  return name.replace(/(^|[-_\s]+)(\w)/g, (_m, _sep, char: string) => char.toUpperCase());
}

function render(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join("\n");
  return `import type { MigrationInterface, QueryRunner } from "typeorm";

export class ${className} implements MigrationInterface {
  name = "${className}";

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

function register(kind: string, fileBase: string): void {
  const indexFile = path.join(MIGRATIONS_DIR, kind, "index.ts");
  const constant = kind === "sqlite" ? "SQLITE_MIGRATIONS" : "POSTGRES_MIGRATIONS";
  const existing = fs.readFileSync(indexFile, "utf8");
  const files = [...existing.matchAll(/^ {4}"(\d{13}-\w+)",$/gm)].map((match) => match[1]);
  files.push(fileBase);
  fs.writeFileSync(
    indexFile,
    `/* eslint-disable @typescript-eslint/no-require-imports -- a migration's module loads when it runs */\nimport { lazyMigrations } from "../lazy-migration";\n\n/** In order of creation; never edit a migration once it is on main. Modules load when run. */\nexport const ${constant} = lazyMigrations(\n  (file) => require(\`./\${file}\`) as Record<string, unknown>,\n  [\n${files.map((file) => `    "${file}",`).join("\n")}\n  ],\n);\n`,
  );
}

async function generate(
  kind: "sqlite" | "postgres",
  name: string,
  timestamp: string,
): Promise<void> {
  let cleanup = async () => {};
  let options: DataSourceOptions;
  if (kind === "sqlite") {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migration-")), "scratch.sqlite");
    options = dataSourceOptions({ kind: "sqlite", path: file });
  } else {
    const scratch = `migration_scratch_${process.pid}`;
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${scratch}`);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${scratch}`;
    options = dataSourceOptions({ kind: "postgres", url: url.toString() });
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
      await admin.end();
    };
  }
  const dataSource = new DataSource(options);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      console.log(`${kind}: entities match the migrations; nothing to generate`);
      return;
    }
    const className = `${pascal(name)}${timestamp}`;
    const fileBase = `${timestamp}-${pascal(name)}`;
    const up = sql.upQueries.map((query) => query.query);
    const down = sql.downQueries.map((query) => query.query).reverse();
    fs.writeFileSync(
      path.join(MIGRATIONS_DIR, kind, `${fileBase}.ts`),
      render(className, up, down),
    );
    register(kind, fileBase);
    console.log(`${kind}: wrote ${fileBase}.ts (${up.length} statements)`);
  } finally {
    await dataSource.destroy();
    await cleanup();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kindFlag = args.indexOf("--kind");
  if (kindFlag >= 0) {
    const kind = args[kindFlag + 1] as "sqlite" | "postgres";
    await generate(kind, args[kindFlag + 2], args[kindFlag + 3]);
    return;
  }
  const name = args[0];
  if (!name || !/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
    throw new Error("usage: npm run migration:generate -- MigrationName");
  }
  const timestamp = String(Date.now());
  for (const kind of ["sqlite", "postgres"] as const) {
    execFileSync(
      process.execPath,
      ["-r", "@swc-node/register", __filename, "--kind", kind, name, timestamp],
      {
        stdio: "inherit",
        env: {
          ...process.env,
          DATABASE_URL: kind === "postgres" ? POSTGRES_ADMIN_URL : "",
        },
      },
    );
  } // Generated code follows the project's formatting, so lint passes as soon as it is written.
  execFileSync(
    process.execPath,
    [require.resolve("prettier/bin/prettier.cjs"), "--write", MIGRATIONS_DIR],
    {
      stdio: "inherit",
    },
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
