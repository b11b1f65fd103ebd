import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import { databaseConnectionOf, dataSourceOptions } from "../../src/database/data-source";
import { SqlitePageStore } from "../../src/sync/worker/sqlite-page.store";

/**
 * The sync's SQLite writer connection is opened as the gateway's (WAL, its checkpoint interval
 * and WAL size limit) with a larger page cache of its own: the settings a full sync's write
 * cost was measured with. Its prepared statements are bounded, so finished tables' multi-row
 * upserts do not stay in memory for the connection's life.
 */
describe("the SQLite page store's connection", () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sqlite-page-store-"));
    file = path.join(dir, "cache.sqlite");
    new Database(file).close();
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("checkpoints every 10,000 WAL pages, cuts the WAL back to 64 MB and caches 8 MB", async () => {
    const connection = databaseConnectionOf(dataSourceOptions({ kind: "sqlite", path: file }));
    if (connection?.kind !== "sqlite") {
      throw new Error("expected a SQLite connection for a file");
    }
    const store = new SqlitePageStore(connection);
    try {
      const pragma = async (name: string) =>
        (await store.direct.firstColumn(`PRAGMA ${name}`, []))[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("wal_autocheckpoint")).toBe(10_000);
      expect(await pragma("journal_size_limit")).toBe(64 * 1024 * 1024);
      expect(await pragma("cache_size")).toBe(-8000);
      expect(await pragma("synchronous")).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("keeps only the most recently used statements prepared, and prepares an evicted one again", async () => {
    const store = new SqlitePageStore({
      kind: "sqlite",
      path: file,
      wal: true,
      busyTimeoutMs: 2000,
      pragmas: [],
    });
    try {
      const answers: unknown[] = [];
      for (let n = 0; n < 40; n += 1) {
        answers.push(...(await store.direct.firstColumn(`SELECT ? + ${n}`, [1])));
      }
      expect(answers).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
      expect(store.preparedCount).toBe(32);
      // The first ones were evicted: asked again, they are prepared again and answer the same.
      expect(await store.direct.firstColumn("SELECT ? + 0", [5])).toEqual([5]);
      expect(store.preparedCount).toBe(32);
    } finally {
      await store.close();
    }
  });
});
