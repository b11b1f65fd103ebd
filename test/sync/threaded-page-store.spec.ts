import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import type { DatabaseConnection } from "../../src/database/data-source";
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
