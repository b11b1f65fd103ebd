import { createSimulator, type SimRecord } from "../../src/simulator";
import {
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

function newest(records: SimRecord[]): SimRecord {
  return [...records].sort((a, b) =>
    a.sys_updated_on === b.sys_updated_on
      ? a.sys_id.localeCompare(b.sys_id)
      : a.sys_updated_on.localeCompare(b.sys_updated_on),
  )[records.length - 1];
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
      const watermark = newest(sim.all("incident"));

      // Edits ten minutes after the newest record: inside the window a UTC literal would miss.
      sim.setClock(new Date(Date.parse(`${watermark.sys_updated_on.replace(" ", "T")}Z`) + 600_000));
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

      const run = await harness.sync();

      expect(run.error).toBeNull();
      expect(run.status).toBe("SUCCEEDED");
      expect(run.tables.map(({ table, fetched }) => [table, fetched])).toEqual([
        ["sys_user_group", 0],
        ["sys_user", 0],
        ["incident", 7],
        ["change_request", 2],
        ["sysapproval_approver", 0],
        ["sys_journal_field", 0],
      ]);
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
