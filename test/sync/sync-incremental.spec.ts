import { Incident } from "../../src/modules/incidents/incident.entity";
import { createSimulator, type SimRecord } from "../../src/simulator";
import {
  afterServed,
  expectedFetches,
  inKeysetOrder,
  parity,
  parityProblems,
  startSyncHarness,
  steppedClock,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

const DATASET = {
  seed: 21,
  groups: 5,
  users: 40,
  incidents: 600,
  changes: 60,
  approvalsPerChange: 1,
  journalPerRecord: 1,
} as const;

describe("incremental sync", () => {
  let harness: SyncHarness;
  let clock: ReturnType<typeof steppedClock>;

  beforeAll(async () => {
    const simulator = createSimulator();
    clock = steppedClock(simulator);
    harness = await startSyncHarness({ simulator, dataset: DATASET });
    const run = await harness.sync(true);
    expect(run.status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("fetches only the records created or updated since the last run", async () => {
    const sim = harness.simulator;
    clock.advance();
    const incidents = inKeysetOrder(sim.all("incident"));
    // Early, middle and late records of the keyset order, so no page boundary hides a miss.
    for (const record of [0, 1, 300, 598, 599].map((index) => incidents[index])) {
      sim.update("incident", record.sys_id, { short_description: `edited ${record.number}` });
    }
    const caller = sim.all("sys_user")[5].sys_id;
    const created = [1, 2, 3].map((n) =>
      sim.insert("incident", {
        short_description: `new incident ${n}`,
        caller_id: caller,
        state: 2,
      }),
    );
    for (const change of sim.all("change_request").slice(10, 12)) {
      sim.update("change_request", change.sys_id, { risk: 2 });
    }
    sim.update("sys_user", caller, { title: "Promoted" });
    sim.insert("sys_journal_field", {
      element_id: created[0].sys_id,
      name: "incident",
      element: "comments",
      value: "Customer called back",
    });

    const expected = await expectedFetches(harness);
    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "INCREMENTAL" });
    // The changes, plus at most the few records of the second the last run read while open.
    const changed: Record<string, number> = {
      sys_user_group: 0,
      sys_user: 1,
      problem: 0,
      incident: 8,
      change_request: 2,
      sysapproval_approver: 0,
      sys_journal_field: 1,
    };
    for (const table of run.tables) {
      expect(table).toEqual({
        table: table.table,
        fetched: expected[table.table],
        upserted: expected[table.table],
        deleted: 0,
      });
      expect(table.fetched).toBeGreaterThanOrEqual(changed[table.table]);
      expect(table.fetched - changed[table.table]).toBeLessThanOrEqual(10);
    }
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  // Through sys_audit_delete (src/sync/audited-deletes.ts): no sys_id reconciliation is due.
  it("removes on an incremental run the records deleted in ServiceNow", async () => {
    const sim = harness.simulator;
    clock.advance();
    const incidents = inKeysetOrder(sim.all("incident"));
    const gone = [incidents[3], incidents[250], incidents[400], incidents[601]];
    for (const record of gone) {
      sim.delete("incident", record.sys_id);
    }
    sim.delete("change_request", sim.all("change_request")[20].sys_id);
    sim.clearRequestLog();
    const expected = await expectedFetches(harness);

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    expect(tableCounts(run, "incident")).toEqual({
      table: "incident",
      fetched: expected.incident,
      upserted: expected.incident,
      deleted: 4,
    });
    expect(tableCounts(run, "change_request")).toMatchObject({
      fetched: expected.change_request,
      deleted: 1,
    });
    // A walk pages sys_ids; the change probes (sys_id, limit 1) are not walks.
    const sysIdWalks = sim.requestLog.filter(
      (entry) => entry.query.sysparm_fields === "sys_id" && entry.query.sysparm_limit !== "1",
    );
    expect(sysIdWalks).toEqual([]);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});

describe("incremental sync while records change under it", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { ...DATASET, seed: 22, incidents: 2000 },
      env: { SYNC_PAGE_SIZE: "200" },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("neither skips nor duplicates records updated and created between two pages", async () => {
    const sim = harness.simulator;
    const before = inKeysetOrder(sim.all("incident"));
    const early = before.slice(0, 150); // on the first page, already read
    const late = before.slice(1700, 1850); // pages not read yet
    const later = new Date(Date.now() + 60_000);
    let created: SimRecord[] = [];
    sim.clearRequestLog();
    // As the second incident page is asked for: updates jump to the end of the keyset order.
    afterServed(
      sim,
      (entry) => entry.table === "incident" && entry.status === 200,
      () => {
        for (const record of [...early, ...late]) {
          sim.update("incident", record.sys_id, { urgency: 1 });
        }
        created = [1, 2, 3, 4, 5].map((n) =>
          sim.insert("incident", { short_description: `raised mid-sync ${n}` }),
        );
      },
      () => later,
    );

    const run = await harness.sync(true);

    expect(created).toHaveLength(5);
    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    // Early records are read twice (before and after their update): upserts, never new rows.
    expect(tableCounts(run, "incident")).toMatchObject({ fetched: 2005 + early.length });
    expect(parityProblems(await parity(harness))).toEqual([]);

    const expected = await expectedFetches(harness);
    const next = await harness.sync();
    expect(next.status).toBe("SUCCEEDED");
    // Only the overlap of the second read while open (the edits landed "now").
    expect(tableCounts(next, "incident").fetched).toBe(expected.incident);
    expect(expected.incident).toBeLessThanOrEqual(305);
    const rows = harness.gateway.gateway.dataSource.getRepository(Incident);
    expect(await rows.countBy({ integrationId: harness.integrationId })).toBe(2005);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});
