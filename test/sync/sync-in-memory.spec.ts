import { Incident } from "../../src/modules/incidents/incident.entity";
import type { RecordChange } from "../../src/modules/record-changes/record-change.event";
import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

// Entity column types follow DATABASE_URL at import time: an in-memory SQLite gateway only
// runs where the suite itself runs on SQLite.
const onSqlite = !/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

(onSqlite ? describe : describe.skip)("sync on an in-memory database (no sync worker)", () => {
  let harness: SyncHarness;
  const changes: RecordChange[] = [];

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { seed: 5, groups: 3, users: 20, incidents: 80, changes: 10, journalPerRecord: 1 },
      database: { kind: "sqlite", path: ":memory:" },
    });
    harness.gateway.gateway.recordChanges.subscribe((change) => changes.push(change));
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("copies every table and reconciles deletes on the main thread's connection", async () => {
    expect(harness.gateway.gateway.syncService.runner.workers.thread).toBeNull();
    const first = await harness.sync(true);
    expect(first.status).toBe("SUCCEEDED");
    expect(parityProblems(await parity(harness))).toEqual([]);

    const [gone] = harness.simulator.all("incident");
    harness.simulator.delete("incident", gone.sys_id);
    changes.length = 0;
    const second = await harness.sync(true);

    expect(second.status).toBe("SUCCEEDED");
    expect(second.tables.find((table) => table.table === "incident")?.deleted).toBe(1);
    expect(parityProblems(await parity(harness))).toEqual([]);
    const stored = await harness.gateway.gateway.dataSource
      .getRepository(Incident)
      .findOneBy({ integrationId: harness.integrationId, sysId: gone.sys_id });
    expect(stored).toBeNull();
    expect(
      changes.filter((change) => change.operation === "DELETE" && change.table === "incident"),
    ).toEqual([expect.objectContaining({ sysIds: [gone.sys_id], source: "SYNC" })]);
    // Still no worker: every page and the reconciliation ran here.
    expect(harness.gateway.gateway.syncService.runner.workers.thread).toBeNull();
  });
});
