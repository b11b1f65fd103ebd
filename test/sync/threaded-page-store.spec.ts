import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import type { DatabaseConnection } from "../../src/database/data-source";
import { PageStatements } from "../../src/sync/worker/page.store";
import type { TablePagesPlans } from "../../src/sync/worker/table-pages.job";
import {
  PageWriterStoppedError,
  ThreadedPageStore,
} from "../../src/sync/worker/threaded-page.store";
import { WorkerDatabaseError } from "../../src/sync/worker/worker-database.error";

/**
 * The page writer thread behind ThreadedPageStore, started for real on a SQLite file: its calls
 * are answered in order, a database error comes back with the driver's name, code and query,
 * and a writer that cannot work any more says so, so the sync worker replaces it.
 */
describe("the threaded page store", () => {
  let dir: string;
  let connection: Extract<DatabaseConnection, { kind: "sqlite" }>;
  const stores: ThreadedPageStore[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "page-writer-"));
    const file = path.join(dir, "cache.sqlite");
    const database = new Database(file);
    database.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    database.exec(`
      CREATE TABLE record (id INTEGER PRIMARY KEY AUTOINCREMENT, integration_id TEXT NOT NULL,
        sys_id TEXT NOT NULL, name TEXT, UNIQUE (integration_id, sys_id));
      CREATE TABLE state (integration_id TEXT NOT NULL, table_name TEXT NOT NULL,
        watermark_time TEXT, watermark_sys_id TEXT, overlap_from TEXT, updated_at TEXT,
        PRIMARY KEY (integration_id, table_name));
      CREATE TABLE run (id TEXT PRIMARY KEY, tables TEXT);
      INSERT INTO run (id, tables) VALUES ('run-1', '[]');
    `);
    database.close();
    connection = { kind: "sqlite", path: file, wal: true, busyTimeoutMs: 2000, pragmas: [] };
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(target: DatabaseConnection): ThreadedPageStore {
    const store = new ThreadedPageStore(target);
    stores.push(store);
    return store;
  }

  it("runs statements on its thread in the order they were sent", async () => {
    const store = open(connection);
    const writes = [1, 2, 3].map((id) =>
      store.direct.execute("INSERT INTO item (id, name) VALUES (?, ?)", [id, `item ${id}`]),
    );
    const read = store.direct.firstColumn("SELECT name FROM item ORDER BY id", []);
    await Promise.all(writes);
    expect(await read).toEqual(["item 1", "item 2", "item 3"]);
    expect(store.running).toBe(true);
  });

  it("answers a failed statement with the driver's error and query, and keeps working", async () => {
    const store = open(connection);
    const failure = await store.direct
      .execute("INSERT INTO item (id, name) VALUES (?, ?)", [1, "duplicate"])
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkerDatabaseError);
    expect((failure as WorkerDatabaseError).query).toBe(
      "INSERT INTO item (id, name) VALUES (?, ?)",
    );
    expect((failure as WorkerDatabaseError).driverError).toMatchObject({
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });
    expect(store.running).toBe(true);
    expect(await store.direct.firstColumn("SELECT count(*) FROM item", [])).toEqual([3]);
  });

  it("commits pages of every job's statements, holding one copy of plans that are the same", async () => {
    const store = open(connection);
    const column = (name: string, property: string, kind: "text" | "dateTime" = "text") => ({
      name,
      property,
      kind,
      sqlType: kind === "text" ? "varchar" : "datetime",
    });
    const plans: TablePagesPlans = {
      rows: {
        table: "record",
        dialect: "sqlite",
        columns: [
          column("integration_id", "integrationId"),
          column("sys_id", "sysId"),
          column("name", "name"),
        ],
        conflictColumns: ["integration_id", "sys_id"],
      },
      state: {
        table: "state",
        dialect: "sqlite",
        columns: [
          column("integration_id", "integrationId"),
          column("table_name", "tableName"),
          column("watermark_time", "watermarkTime", "dateTime"),
          column("watermark_sys_id", "watermarkSysId"),
          column("overlap_from", "overlapFrom", "dateTime"),
          column("updated_at", "updatedAt", "dateTime"),
        ],
        conflictColumns: ["integration_id", "table_name"],
      },
      runCounts: { table: "run", countsColumn: "tables", idColumn: "id" },
    };
    const counts = [{ table: "record", fetched: 0, upserted: 0, deleted: 0 }];
    // One PageStatements per job, as the sync worker builds them: three jobs, one plan.
    for (const [job, name] of ["first", "second", "third"].entries()) {
      const statements = new PageStatements(structuredClone(plans));
      const rows = [
        { integrationId: "i-1", sysId: `a${job}`, name },
        { integrationId: "i-1", sysId: "b", name },
      ];
      counts[0] = { table: "record", fetched: (job + 1) * 2, upserted: (job + 1) * 2, deleted: 0 };
      const changes = await store.commit(statements, {
        integrationId: "i-1",
        tableName: "record",
        ...statements.encode(rows),
        watermark: { timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, job)), sysId: "b" },
        overlapFrom: null,
        syncedAt: new Date(),
        runId: "run-1",
        counts: structuredClone(counts),
      });
      expect(changes).toEqual(
        job === 0
          ? { inserted: ["a0", "b"], updated: [] }
          : { inserted: [`a${job}`], updated: ["b"] },
      );
    }
    expect(store.plansHeld).toBe(1);
    expect(await store.direct.firstColumn("SELECT name FROM record ORDER BY sys_id", [])).toEqual([
      "first",
      "second",
      "third",
      "third",
    ]);
    expect(await store.direct.firstColumn("SELECT watermark_time FROM state", [])).toEqual([
      "2026-01-01 00:00:02.000",
    ]);
    expect(await store.direct.firstColumn("SELECT tables FROM run", [])).toEqual([
      JSON.stringify(counts),
    ]);
  });

  it("stops, failing its calls, when its database cannot be opened", async () => {
    const store = open({ ...connection, path: path.join(dir, "missing.sqlite") });
    await expect(store.direct.firstColumn("SELECT 1", [])).rejects.toBeInstanceOf(
      WorkerDatabaseError,
    );
    expect(store.running).toBe(false);
    await expect(store.direct.execute("SELECT 1", [])).rejects.toBeInstanceOf(WorkerDatabaseError);
  });

  it("fails pending and later calls when it is closed, so the next job opens another", async () => {
    const store = open(connection);
    await store.direct.firstColumn("SELECT 1", []);
    const pending = expect(
      store.direct.firstColumn("SELECT count(*) FROM item", []),
    ).rejects.toBeInstanceOf(PageWriterStoppedError);
    await store.close();
    await pending;
    expect(store.running).toBe(false);
    await expect(store.direct.execute("SELECT 1", [])).rejects.toBeInstanceOf(
      PageWriterStoppedError,
    );
  });
});
