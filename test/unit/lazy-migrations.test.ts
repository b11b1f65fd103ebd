import { readdirSync } from "node:fs";
import { join } from "node:path";

import type { MigrationInterface } from "typeorm";

import { POSTGRES_MIGRATIONS } from "../../src/database/migrations/postgres";
import { SQLITE_MIGRATIONS } from "../../src/database/migrations/sqlite";

const MIGRATIONS_DIR = join(__dirname, "..", "..", "src", "database", "migrations");

/** What the module behind a listed migration exports, loaded as TypeORM would run it. */
function loadedClassOf(kind: string, name: string): new () => MigrationInterface {
  const file = readdirSync(join(MIGRATIONS_DIR, kind)).find(
    (entry) => entry.startsWith(name.slice(-13)) && entry.endsWith(".ts"),
  );
  expect(file).toBeDefined();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(join(MIGRATIONS_DIR, kind, file as string)) as Record<string, unknown>;
  return exported[name] as new () => MigrationInterface;
}

describe.each([
  ["sqlite", SQLITE_MIGRATIONS],
  ["postgres", POSTGRES_MIGRATIONS],
])("the %s migration list", (kind, migrations) => {
  const listed = migrations.map((Migration) => new Migration());

  it("lists every migration file once, in timestamp order", () => {
    const files = readdirSync(join(MIGRATIONS_DIR, kind))
      .filter((entry) => /^\d{13}-/.test(entry))
      .map((entry) => entry.slice(0, 13))
      .sort();
    expect(listed.map((migration) => String(migration.name).slice(-13))).toEqual(files);
  });

  it("names each migration as its module's class names itself, so recorded runs still match", () => {
    for (const migration of listed) {
      const Loaded = loadedClassOf(kind, String(migration.name));
      expect(typeof Loaded).toBe("function");
      expect(new Loaded().name).toBe(migration.name);
      expect(Loaded.name).toBe(migration.name);
    }
  });

  it("has no migration overriding transaction, which TypeORM reads before the module loads", () => {
    for (const migration of listed) {
      expect(migration.transaction).toBeUndefined();
      expect(new (loadedClassOf(kind, String(migration.name)))().transaction).toBeUndefined();
    }
  });
});
