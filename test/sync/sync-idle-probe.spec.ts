import { createSimulator } from "../../src/simulator";
import { AUDIT_DELETE_TABLE } from "../../src/sync/audited-deletes";
import { PROBE_ZONE_REFRESH_MS, ProbeZones } from "../../src/sync/change-probe";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncState } from "../../src/sync/sync-state.entity";
import { SYNC_TABLES } from "../../src/sync/sync-tables";
import {
  expectedFetches,
  inKeysetOrder,
  parity,
  parityProblems,
  SIM_USER,
  startSyncHarness,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

const DATASET = {
  seed: 71,
  groups: 4,
  users: 30,
  incidents: 300,
  changes: 40,
  approvalsPerChange: 1,
  journalPerRecord: 1,
};

/**
 * After the full run: the instance's clock two minutes on, and one run that re-reads the
 * seconds the full run read while they were "now" (the integration user was just created), so
 * nothing is left open and the next run starts from a quiet instance.
 */
async function settle(harness: SyncHarness): Promise<void> {
  harness.simulator.setClock(() => new Date(Date.now() + 120_000));
  expect((await harness.sync()).status).toBe("SUCCEEDED");
}

/** One request per synced table plus one for sys_audit_delete: what an idle run may cost. */
const IDLE_REQUESTS = Object.fromEntries(
  [...SYNC_TABLES.map((table) => table.spec.name), AUDIT_DELETE_TABLE].map((name) => [name, 1]),
);

describe("an incremental run over unchanged tables", () => {
  let harness: SyncHarness;

  const states = () =>
    harness.gateway.gateway.dataSource
      .getRepository(SyncState)
      .find({ where: { integrationId: harness.integrationId }, order: { tableName: "ASC" } });

  beforeAll(async () => {
    harness = await startSyncHarness({ dataset: DATASET });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    await settle(harness);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("costs one sys_id probe per table (and one for sys_audit_delete) and writes no table state", async () => {
    const before = await states();
    harness.simulator.resetTableRequestCounts();
    harness.simulator.clearRequestLog();

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(run.tables.every((t) => t.fetched + t.upserted + t.deleted === 0)).toBe(true);
    expect(harness.simulator.tableRequestCounts()).toEqual(IDLE_REQUESTS);
    for (const entry of harness.simulator.requestLog) {
      expect(entry.query).toMatchObject({ sysparm_limit: "1", sysparm_fields: "sys_id" });
    }
    // No dictionary read, no time zone read, no reconciliation: only the tables' probes.
    expect(harness.simulator.requestLog.some((entry) => entry.table === "sys_dictionary")).toBe(
      false,
    );
    expect(await states()).toEqual(before);
  });

  it("folds consecutive idle runs into one history row", async () => {
    const run = await harness.sync();
    const runs = await harness.gateway.gateway.dataSource
      .getRepository(SyncRun)
      .find({ where: { integrationId: harness.integrationId }, order: { startedAt: "ASC" } });
    expect(runs.at(-1)).toMatchObject({ id: run.id, runCount: 2 });
    expect(runs).toHaveLength(3);
  });

  it("reads exactly the changed records after idle runs, the other tables still probed once", async () => {
    const incidents = inKeysetOrder(harness.simulator.all("incident"));
    harness.simulator.update("incident", incidents[3]!.sys_id, { impact: 1 });
    harness.simulator.insert("incident", { short_description: "after idle runs" });
    const expected = await expectedFetches(harness);
    harness.simulator.resetTableRequestCounts();

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(expected.incident).toBe(2);
    expect(tableCounts(run, "incident")).toMatchObject({ fetched: 2, upserted: 2 });
    const counts = harness.simulator.tableRequestCounts();
    for (const table of SYNC_TABLES.filter((t) => t.spec.name !== "incident")) {
      // sys_user: its probe, and the zone read once before pages are read.
      const expectedRequests = table.spec.name === "sys_user" ? 2 : 1;
      expect([table.spec.name, counts[table.spec.name]]).toEqual([
        table.spec.name,
        expectedRequests,
      ]);
    }
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("removes a deleted record through sys_audit_delete on the next idle-looking run", async () => {
    const victim = harness.simulator.all("change_request")[0]!;
    harness.simulator.delete("change_request", victim.sys_id);

    const run = await harness.sync();

    expect(tableCounts(run, "change_request").deleted).toBe(1);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("reconciles a table whose daily reconciliation is due, and only that table", async () => {
    await harness.gateway.gateway.dataSource
      .getRepository(SyncState)
      .update(
        { integrationId: harness.integrationId, tableName: "sys_user_group" },
        { lastReconciledAt: new Date(Date.now() - 25 * 3_600_000) },
      );
    harness.simulator.clearRequestLog();

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    const reconciled = new Set(
      harness.simulator.requestLog
        .filter(
          (entry) => entry.query.sysparm_fields === "sys_id" && entry.query.sysparm_limit !== "1",
        )
        .map((entry) => entry.table),
    );
    expect([...reconciled]).toEqual(["sys_user_group"]);
  });
});

describe("an idle table that is empty in ServiceNow", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { ...DATASET, seed: 72, records: { problem: 0 } },
    });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    await settle(harness);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("costs one counted probe, not a page loop and a reconciliation every run", async () => {
    expect(harness.simulator.all("problem")).toHaveLength(0);
    harness.simulator.resetTableRequestCounts();

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(harness.simulator.tableRequestCounts()).toEqual(IDLE_REQUESTS);
  });

  it("reads its first record once there is one", async () => {
    harness.simulator.insert("problem", { short_description: "the first problem" });

    const run = await harness.sync();

    expect(tableCounts(run, "problem")).toMatchObject({ fetched: 1, upserted: 1 });
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});

describe("an idle table whose newest row is hidden by an ACL", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({ dataset: { ...DATASET, seed: 73 } });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    await settle(harness);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("never skips readable changes behind a hidden one (limit 1 is cut before ACLs)", async () => {
    const hidden = harness.simulator.insert("incident", { short_description: "secret" });
    harness.simulator.setAclHidden("incident", (record) => record.sys_id === hidden.sys_id);
    await harness.sync();
    // The hidden row is the first past the watermark: an uncounted probe would see nothing.
    harness.simulator.insert("incident", { short_description: "readable after the secret" });

    const run = await harness.sync();

    expect(tableCounts(run, "incident").fetched).toBe(1);
    const reports = await parity(harness, {
      hidden: (table, record) => table === "incident" && record.sys_id === hidden.sys_id,
    });
    expect(parityProblems(reports)).toEqual([]);
  });
});

describe("an idle incremental run when the API user's time zone changes", () => {
  let harness: SyncHarness;
  const NOW = new Date("2025-01-15T12:00:00Z");

  beforeAll(async () => {
    const simulator = createSimulator();
    // The integration user exists before the data, as on a real instance.
    simulator.setClock(new Date(NOW.getTime() - 3 * 86_400_000));
    harness = await startSyncHarness({
      simulator,
      timeZone: "UTC",
      dataset: {
        ...DATASET,
        seed: 74,
        start: new Date(NOW.getTime() - 2 * 86_400_000),
        end: new Date(NOW.getTime() - 3_600_000),
      },
    });
    simulator.setClock(NOW);
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("loses no edit made around a change to a zone 8 hours behind", async () => {
    const sim = harness.simulator;
    const watermark = inKeysetOrder(sim.all("incident")).at(-1)!;
    const watermarkMs = Date.parse(`${watermark.sys_updated_on.replace(" ", "T")}Z`);
    sim.setClock(new Date(watermarkMs + 600_000));
    for (const incident of sim.all("incident").slice(0, 4)) {
      sim.update("incident", incident.sys_id, { impact: 1 });
    }
    const user = sim.all("sys_user").find((record) => record.user_name === SIM_USER)!;
    sim.update("sys_user", user.sys_id, { time_zone: "America/Los_Angeles" });
    // Probes may still write UTC literals for a while (read 8 h late): the edits can wait...
    const meanwhile = await harness.sync();
    sim.setClock(new Date(watermarkMs + 9 * 3_600_000));
    sim.insert("incident", { short_description: "after the zone change" });

    // ...but once a probe sees anything, pages are read in the new zone from the watermark.
    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    // Each edit read once over the two runs: none skipped, none twice.
    expect(tableCounts(meanwhile, "incident").fetched + tableCounts(run, "incident").fetched).toBe(
      5,
    );
    // The next run's probes use the zone just read: the user's own record catches up too.
    await harness.sync();
    expect(parityProblems(await parity(harness))).toEqual([]);
    const shown = await harness.gateway.graphql<{ integration: { userTimeZone: string } }>(
      `query($id: ID!) { integration(id: $id) { userTimeZone } }`,
      { id: harness.integrationId },
    );
    expect(shown.body.data?.integration.userTimeZone).toBe("America/Los_Angeles");
  });
});

describe("ProbeZones", () => {
  const T = Date.UTC(2026, 0, 1);

  it("reads the zone for the first run of an integration and shares it within the run", async () => {
    const zones = new ProbeZones();
    const read = jest.fn(async () => "Europe/Paris");
    const zone = zones.forRun("a", "UTC", read, T);
    await expect(zone.forProbes()).resolves.toBe("Europe/Paris");
    await expect(zone.forPages()).resolves.toBe("Europe/Paris");
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("lets probes trust the stored zone only within the refresh window after a read", async () => {
    const zones = new ProbeZones();
    await zones.forRun("a", null, async () => "Europe/Paris").forPages();
    const read = jest.fn(async () => "Asia/Tokyo");
    const within = zones.forRun(
      "a",
      "Europe/Paris",
      read,
      Date.now() + PROBE_ZONE_REFRESH_MS - 1000,
    );
    await expect(within.forProbes()).resolves.toBe("Europe/Paris");
    expect(read).not.toHaveBeenCalled();
    // Pages never use the stored zone, however fresh.
    await expect(within.forPages()).resolves.toBe("Asia/Tokyo");
    const after = zones.forRun("b", "Europe/Paris", read, Date.now());
    await expect(after.forProbes()).resolves.toBe("Asia/Tokyo");
    const stale = zones.forRun("a", "Asia/Tokyo", read, Date.now() + PROBE_ZONE_REFRESH_MS + 1000);
    await stale.forProbes();
    expect(read).toHaveBeenCalledTimes(3);
  });
});
