import { createSimulator } from "../../src/simulator";
import {
  expectedFetches,
  inKeysetOrder,
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

const NOW = new Date("2025-01-15T12:00:00Z");

/** `YYYY-MM-DD HH:MM:SS` of a UTC stored value, as a wall clock in `timeZone`. */
function wallClock(utc: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(`${utc.replace(" ", "T")}Z`));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

// Los Angeles is 8 h behind UTC in January: a watermark written in UTC would be read 8 h too
// late and miss the edits (the counts catch it). Kolkata is 5 h 30 ahead: it would be read too
// early, and the pager silently drops what it already has, so the query literal catches it.
describe.each(["America/Los_Angeles", "Asia/Kolkata"])(
  "incremental sync for an API user in %s",
  (timeZone) => {
    let harness: SyncHarness;

    beforeAll(async () => {
      const simulator = createSimulator();
      simulator.setClock(NOW);
      harness = await startSyncHarness({
        simulator,
        timeZone,
        // Dense data: hundreds of records within the hours around the watermark.
        dataset: {
          seed: 51,
          groups: 4,
          users: 40,
          incidents: 400,
          changes: 60,
          approvalsPerChange: 1,
          journalPerRecord: 1,
          start: new Date(NOW.getTime() - 2 * 86_400_000),
          end: new Date(NOW.getTime() - 3_600_000),
        },
      });
    });

    afterAll(async () => {
      await harness.stop();
    });

    it("writes the watermark in the user's zone and fetches exactly the later edits", async () => {
      const sim = harness.simulator;
      expect((await harness.sync(true)).status).toBe("SUCCEEDED");
      const watermark = inKeysetOrder(sim.all("incident")).at(-1)!;

      // Edits ten minutes after the newest record: inside the window a UTC literal would miss.
      sim.setClock(
        new Date(Date.parse(`${watermark.sys_updated_on.replace(" ", "T")}Z`) + 600_000),
      );
      const incidents = sim.all("incident");
      for (const incident of incidents.slice(0, 5)) {
        sim.update("incident", incident.sys_id, { impact: 1 });
      }
      sim.insert("incident", { short_description: "after the watermark 1" });
      sim.insert("incident", { short_description: "after the watermark 2" });
      for (const change of sim.all("change_request").slice(0, 2)) {
        sim.update("change_request", change.sys_id, { risk: 1 });
      }
      sim.clearRequestLog();
      const expected = await expectedFetches(harness);

      const run = await harness.sync();

      expect(run.error).toBeNull();
      expect(run.status).toBe("SUCCEEDED");
      expect(expected).toMatchObject({ incident: 7, change_request: 2 });
      expect(run.tables.map(({ table, fetched }) => [table, fetched])).toEqual(
        run.tables.map(({ table }) => [table, expected[table]]),
      );
      const firstPage = sim.requestLog.find(
        (entry) => entry.table === "incident" && entry.query.sysparm_fields !== "sys_id",
      );
      expect(firstPage?.query.sysparm_query).toContain(
        `sys_updated_on>${wallClock(watermark.sys_updated_on, timeZone)}`,
      );
      const shown = await harness.gateway.graphql<{ integration: { userTimeZone: string } }>(
        `query($id: ID!) { integration(id: $id) { userTimeZone } }`,
        { id: harness.integrationId },
      );
      expect(shown.body.data?.integration.userTimeZone).toBe(timeZone);
      expect(parityProblems(await parity(harness))).toEqual([]);
    });
  },
);

// On 2024-11-03 Los Angeles lives 01:00-02:00 twice (PDT 08:00-09:00Z, then PST 09:00-10:00Z):
// a wall-clock literal in that hour names two instants, so the pager must start before it.
describe("incremental sync across the fall-back hour of an API user in America/Los_Angeles", () => {
  let harness: SyncHarness;
  const insertEvery12s = (from: string, count: number, label: string) => {
    for (let n = 0; n < count; n += 1) {
      harness.simulator.setClock(new Date(Date.parse(from) + n * 12_000));
      harness.simulator.insert("incident", { short_description: `${label} ${n}` });
    }
  };

  beforeAll(async () => {
    const simulator = createSimulator();
    simulator.setClock(new Date("2024-11-03T07:00:00Z"));
    harness = await startSyncHarness({
      simulator,
      timeZone: "America/Los_Angeles",
      env: { SYNC_PAGE_SIZE: "50" },
      dataset: {
        seed: 52,
        groups: 2,
        users: 10,
        incidents: 0,
        changes: 0,
        approvalsPerChange: 0,
        journalPerRecord: 0,
        end: new Date("2024-11-01T00:00:00Z"),
      },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("neither skips nor loops when the watermark falls in the repeated hour", async () => {
    insertEvery12s("2024-11-03T08:00:00Z", 300, "first 1 AM");
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    insertEvery12s("2024-11-03T09:00:00Z", 200, "second 1 AM");
    const expected = await expectedFetches(harness);

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(expected.incident).toBeGreaterThanOrEqual(200);
    expect(expected.incident).toBeLessThanOrEqual(201);
    expect(run.tables.find((table) => table.table === "incident")?.fetched).toBe(expected.incident);
    expect(parityProblems(await parity(harness))).toEqual([]);

    // Nothing new: the ambiguous hour is re-read once by offset, then the run ends.
    harness.simulator.clearRequestLog();
    const idleExpected = await expectedFetches(harness);
    const idle = await harness.sync();
    // At most the record(s) of the second the last run read while it was "now".
    expect(idleExpected.incident).toBeLessThanOrEqual(1);
    expect(idle.tables.find((table) => table.table === "incident")?.fetched).toBe(
      idleExpected.incident,
    );
    const pages = harness.simulator.requestLog.filter(
      (entry) => entry.table === "incident" && entry.query.sysparm_fields !== "sys_id",
    );
    expect(pages.length).toBeLessThanOrEqual(500 / 50 + 2);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});
