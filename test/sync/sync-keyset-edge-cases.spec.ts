import { In } from "typeorm";

import { Incident } from "../../src/modules/incidents/incident.entity";
import { createSimulator, type SimRecord, type SimRequestLogEntry } from "../../src/simulator";
import {
  expectedFetches,
  inKeysetOrder,
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

const SMALL_DATASET = {
  groups: 3,
  users: 12,
  changes: 0,
  approvalsPerChange: 0,
  journalPerRecord: 0,
} as const;

/** Record pages of the incident table (reconciliation asks for sys_id alone). */
const isIncidentPage = (entry: SimRequestLogEntry): boolean =>
  entry.table === "incident" && entry.query.sysparm_fields !== "sys_id";

describe("keyset paging over many records sharing one sys_updated_on second", () => {
  const second = new Date("2025-03-03T10:00:00Z");
  let harness: SyncHarness;

  beforeAll(async () => {
    const simulator = createSimulator();
    simulator.setClock(second);
    harness = await startSyncHarness({
      simulator,
      dataset: { ...SMALL_DATASET, seed: 31, incidents: 0, end: new Date("2025-03-01T00:00:00Z") },
      env: { SYNC_PAGE_SIZE: "500" },
    });
    // A bulk update: 5,000 records, one second.
    for (let n = 0; n < 5000; n += 1) {
      simulator.insert("incident", { short_description: `bulk ${n}`, state: 1 + (n % 3) });
    }
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("reads all 5,000 once on a full run, in a bounded number of pages", async () => {
    harness.simulator.clearRequestLog();
    const run = await harness.sync(true);

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    expect(tableCounts(run, "incident")).toMatchObject({ fetched: 5000, upserted: 5000 });
    const pages = harness.simulator.requestLog.filter(isIncidentPage);
    // 10 full pages, then an empty page and its counted probe.
    expect(pages.length).toBeLessThanOrEqual(12);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("picks up on an incremental run updates spread across that second's sys_ids", async () => {
    const sim = harness.simulator;
    sim.setClock(new Date(second.getTime() + 1000));
    const ordered = inKeysetOrder(sim.all("incident"));
    const updated = ordered.filter((_record, index) => index % 7 === 0);
    for (const record of updated) {
      sim.update("incident", record.sys_id, { state: 6, close_notes: "bulk resolved" });
    }
    for (let n = 0; n < 300; n += 1) {
      sim.insert("incident", { short_description: `second bulk ${n}` });
    }
    sim.clearRequestLog();
    const expected = await expectedFetches(harness);

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    // The full run read second T while it was the instance's "now" (the clock stood still), so
    // this run re-reads T: the 5,000 (715 of them updated into T+1) plus the 300 new ones.
    expect(expected.incident).toBe(5300);
    expect(tableCounts(run, "incident")).toMatchObject({
      fetched: expected.incident,
      upserted: expected.incident,
    });
    expect(sim.requestLog.filter(isIncidentPage).length).toBeLessThanOrEqual(
      Math.ceil(expected.incident / 500) + 2,
    );
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  // The watermark is (T, greatest sys_id read at T); a record written later in second T with a
  // smaller sys_id is behind it. The next run re-reads from the previous run's live edge.
  it("picks up records written later in the watermark's own second", async () => {
    const sim = harness.simulator;
    sim.setClock(new Date(second.getTime() + 1000)); // the second the last run ended in
    for (let n = 0; n < 40; n += 1) {
      sim.insert("incident", { short_description: `same-second straggler ${n}` });
    }

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});

describe("keyset paging through rows an ACL hides", () => {
  let harness: SyncHarness;
  const hiddenIds = new Set<string>();
  let visibleAfterBlock: SimRecord[] = [];

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { ...SMALL_DATASET, seed: 32, incidents: 1200 },
      env: { SYNC_PAGE_SIZE: "100" },
    });
    const ordered = inKeysetOrder(harness.simulator.all("incident"));
    // A block of 350 (more than three pages: whole pages come back empty), every 9th row
    // elsewhere (short pages), and the last 130 (empty pages at the end of the table).
    ordered.forEach((record, index) => {
      if ((index >= 400 && index < 750) || index % 9 === 0 || index >= 1070) {
        hiddenIds.add(record.sys_id);
      }
    });
    visibleAfterBlock = ordered.slice(750, 1070).filter((record) => !hiddenIds.has(record.sys_id));
    harness.simulator.setAclHidden("incident", (record) => hiddenIds.has(record.sys_id));
  });

  afterAll(async () => {
    await harness.stop();
  });

  const hidden = (table: string, record: Readonly<Record<string, string>>): boolean =>
    table === "incident" && hiddenIds.has(record.sys_id);

  it("syncs every readable row, including those after a hidden block, and ends", async () => {
    harness.simulator.clearRequestLog();
    const run = await harness.sync(true);

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const readable = 1200 - hiddenIds.size;
    expect(tableCounts(run, "incident")).toMatchObject({ fetched: readable, upserted: readable });
    const reports = await parity(harness, { hidden });
    expect(parityProblems(reports)).toEqual([]);
    expect(reports.find((report) => report.table === "incident")?.actual).toBe(readable);
    const afterBlock = await harness.gateway.gateway.dataSource.getRepository(Incident).countBy({
      integrationId: harness.integrationId,
      sysId: In(visibleAfterBlock.map((record) => record.sys_id)),
    });
    expect(afterBlock).toBe(visibleAfterBlock.length);
    expect(afterBlock).toBeGreaterThan(250);
    // Probing past empty pages costs about one request per hidden page, not a table scan.
    const pages = harness.simulator.requestLog.filter(isIncidentPage);
    expect(pages.some((entry) => Number(entry.query.sysparm_offset ?? 0) > 0)).toBe(true);
    expect(pages.length).toBeLessThanOrEqual(Math.ceil(1200 / 100) + 8);
  });

  it("syncs rows an ACL stops hiding once they are updated, and keeps the rest hidden", async () => {
    const sim = harness.simulator;
    sim.setClock(new Date(Date.now() + 60_000));
    const revealed = [...hiddenIds].slice(0, 20);
    for (const sysId of revealed) {
      hiddenIds.delete(sysId);
      sim.update("incident", sysId, { urgency: 1 });
    }

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(tableCounts(run, "incident")).toMatchObject({ fetched: 20 });
    expect(parityProblems(await parity(harness, { hidden }))).toEqual([]);
  });
});
