import { Writable } from "node:stream";

import { DataSource } from "typeorm";

import { createLogger } from "../../src/logging/logger";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { DeferredIndex } from "../../src/sync/deferred-index.entity";
import { DeferredIndexes } from "../../src/sync/deferred-indexes";
import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

const isPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

/** Every index of the gateway's record tables, by name, with its defining statement. */
async function indexDefinitions(dataSource: DataSource): Promise<Map<string, string>> {
  const rows: Array<{ name: string; definition: string | null }> =
    dataSource.options.type === "postgres"
      ? await dataSource.query(
          `SELECT indexname AS "name", indexdef AS "definition" FROM pg_indexes
           WHERE schemaname = current_schema() AND tablename LIKE 'sn\\_%'`,
        )
      : await dataSource.query(
          `SELECT name AS "name", sql AS "definition" FROM sqlite_master
           WHERE type = 'index' AND tbl_name LIKE 'sn\\_%' ESCAPE '\\'`,
        );
  return new Map(rows.map((row) => [row.name, row.definition ?? "(constraint)"]));
}

describe("deferred indexes of a first backfill", () => {
  let harness: SyncHarness;
  const lines: string[] = [];
  const built = () =>
    lines
      .map((line) => JSON.parse(line) as { msg: string; table?: string; indexes?: number })
      .filter((line) => line.msg === "indexes built");

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { seed: 11, groups: 5, users: 40, incidents: 300, changes: 40, journalPerRecord: 1 },
      logger: createLogger(
        "info",
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(...chunk.toString("utf8").trim().split("\n"));
            done();
          },
        }),
      ),
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  (isPostgres ? it : it.skip)(
    "lets two replicas that find one table empty take turns: one defers its indexes, neither fails",
    async () => {
      const dataSource = harness.gateway.gateway.dataSource;
      const before = await indexDefinitions(dataSource);
      const other = new DataSource(dataSource.options);
      await other.initialize();
      try {
        const silent = createLogger("silent");
        const results = await Promise.all(
          [dataSource, other].map((source) =>
            new DeferredIndexes(source, silent).suspendIfEmpty(Incident),
          ),
        );
        expect(results.sort()).toEqual([false, true]);
        expect(await new DeferredIndexes(dataSource, silent).restore(Incident)).toBeGreaterThan(5);
        expect(await indexDefinitions(dataSource)).toEqual(before);
      } finally {
        await other.destroy();
      }
    },
  );

  it("builds every secondary index of an empty table after its first full run, exactly as the migrations define it", async () => {
    const dataSource = harness.gateway.gateway.dataSource;
    const before = await indexDefinitions(dataSource);
    const run = await harness.sync(true);
    expect(run.status).toBe("SUCCEEDED");
    expect(parityProblems(await parity(harness))).toEqual([]);
    expect(await indexDefinitions(dataSource)).toEqual(before);
    expect(await dataSource.getRepository(DeferredIndex).count()).toBe(0);
    // Deferred (then built) on the tables that hold rows; the unique key stayed for the upsert.
    const incident = built().find((line) => line.table === "incident");
    expect(incident?.indexes).toBeGreaterThan(5);
  });

  it("leaves the indexes of a table that already holds rows alone on a later full run", async () => {
    lines.length = 0;
    const run = await harness.sync(true);
    expect(run.status).toBe("SUCCEEDED");
    expect(built()).toEqual([]);
  });

  it("builds at start-up recovery what a backfill that died had deferred", async () => {
    const dataSource = harness.gateway.gateway.dataSource;
    const before = await indexDefinitions(dataSource);
    const [name, definition] = [...before].find(([, sql]) => /^CREATE INDEX/i.test(sql))!;
    // What a process killed mid-backfill leaves: the index gone, its statement recorded.
    await dataSource.transaction(async (manager) => {
      await manager
        .getRepository(DeferredIndex)
        .insert({ name, tableName: "sn_incident", definition });
      await manager.query(`DROP INDEX "${name}"`);
    });
    expect((await indexDefinitions(dataSource)).has(name)).toBe(false);

    await harness.gateway.gateway.syncService.recoverAbandonedRuns();

    expect(await indexDefinitions(dataSource)).toEqual(before);
    expect(await dataSource.getRepository(DeferredIndex).count()).toBe(0);
  });
});
