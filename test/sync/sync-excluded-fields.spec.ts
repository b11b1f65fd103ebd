import { Incident } from "../../src/modules/incidents/incident.entity";
import { createSimulator, type SimRequestLogEntry } from "../../src/simulator";
import {
  parity,
  parityProblems,
  startSyncHarness,
  steppedClock,
  type SyncHarness,
} from "../support/sync-harness";

const requestedFields = (entry: SimRequestLogEntry): string[] =>
  (entry.query.sysparm_fields ?? "").split(",");

/** Attribute keys a field leaves behind: its raw value or its display value. */
const keysOf = (row: Incident, field: string): string[] =>
  Object.keys(row.attributes ?? {}).filter((key) => key === field || key === `${field}.display`);

describe("sync with excluded fields", () => {
  let harness: SyncHarness;
  let clock: ReturnType<typeof steppedClock>;

  const incidentRequests = () =>
    harness.simulator.requestLog.filter((entry) => entry.table === "incident");
  const storedIncidents = () =>
    harness.gateway.gateway.dataSource
      .getRepository(Incident)
      .findBy({ integrationId: harness.integrationId });

  beforeAll(async () => {
    const simulator = createSimulator();
    clock = steppedClock(simulator);
    harness = await startSyncHarness({
      simulator,
      dataset: {
        seed: 61,
        groups: 4,
        users: 30,
        incidents: 300,
        changes: 20,
        approvalsPerChange: 1,
        journalPerRecord: 0,
      },
      excludedFields: [{ table: "incident", fields: ["description", "close_notes"] }],
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("never asks for nor stores the excluded fields", async () => {
    const sim = harness.simulator;
    expect(
      sim.all("incident").filter((record) => record.description !== "").length,
    ).toBeGreaterThan(100);
    expect(sim.all("incident").some((record) => record.close_notes !== "")).toBe(true);
    sim.clearRequestLog();

    const run = await harness.sync(true);

    expect(run.status).toBe("SUCCEEDED");
    const requests = incidentRequests();
    expect(requests.some((entry) => requestedFields(entry).includes("short_description"))).toBe(
      true,
    );
    for (const entry of requests) {
      expect(requestedFields(entry)).not.toContain("description");
      expect(requestedFields(entry)).not.toContain("close_notes");
    }
    const rows = await storedIncidents();
    expect(rows).toHaveLength(300);
    for (const row of rows) {
      expect([row.description, row.closeNotes]).toEqual([null, null]);
      expect([...keysOf(row, "description"), ...keysOf(row, "close_notes")]).toEqual([]);
    }
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("purges a newly excluded field from stored rows at once and keeps it out after", async () => {
    const before = await storedIncidents();
    expect(before.filter((row) => row.assignedToSysId !== null).length).toBeGreaterThan(50);
    expect(before.some((row) => keysOf(row, "assigned_to").length > 0)).toBe(true);

    const updated = await harness.gateway.graphql<{ updateIntegration: { id: string } }>(
      `mutation($id: ID!, $input: UpdateIntegrationInput!) {
        updateIntegration(id: $id, input: $input) { id excludedFields { table fields } }
      }`,
      {
        id: harness.integrationId,
        input: {
          excludedFields: [
            { table: "incident", fields: ["description", "close_notes", "assigned_to"] },
          ],
        },
      },
    );
    expect(updated.body.errors).toBeUndefined();

    // Before any sync: the stored values are gone.
    for (const row of await storedIncidents()) {
      expect(row.assignedToSysId).toBeNull();
      expect(keysOf(row, "assigned_to")).toEqual([]);
    }

    const sim = harness.simulator;
    clock.advance();
    const someone = sim.all("sys_user")[3].sys_id;
    for (const incident of sim.all("incident").slice(0, 10)) {
      sim.update("incident", incident.sys_id, { assigned_to: someone, description: "changed" });
    }
    sim.insert("incident", { assigned_to: someone, short_description: "assigned at birth" });
    sim.clearRequestLog();

    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    for (const entry of incidentRequests()) {
      expect(requestedFields(entry)).not.toContain("assigned_to");
    }
    const rows = await storedIncidents();
    expect(rows).toHaveLength(301);
    for (const row of rows) {
      expect([row.assignedToSysId, row.description]).toEqual([null, null]);
      expect(keysOf(row, "assigned_to")).toEqual([]);
    }
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});
