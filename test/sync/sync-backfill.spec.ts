import { Incident } from "../../src/modules/incidents/incident.entity";
import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

describe("sync backfill against the simulator", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: {
        seed: 7,
        groups: 12,
        users: 150,
        incidents: 2500,
        changes: 400,
        approvalsPerChange: 2,
        journalPerRecord: 1,
      },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("copies every table exactly on a first full run", async () => {
    const custom = harness.simulator.insert("incident", {
      short_description: "Custom field carrier",
      u_customer_impact: "board-level",
    });
    const run = await harness.sync(true);
    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const reports = await parity(harness);
    expect(parityProblems(reports)).toEqual([]);
    const incidents = reports.find((report) => report.table === "incident")!;
    expect(incidents.actual).toBe(2501);
    expect(run.tables.find((table) => table.table === "incident")).toMatchObject({
      fetched: 2501,
      upserted: 2501,
      deleted: 0,
    });
    // Fields the gateway does not map, custom ones included, are kept in attributes.
    const stored = await harness.gateway.gateway.dataSource
      .getRepository(Incident)
      .findOneByOrFail({ integrationId: harness.integrationId, sysId: custom.sys_id });
    expect(stored.attributes).toMatchObject({
      u_customer_impact: "board-level",
      sys_created_by: custom.sys_created_by,
    });
    expect(Object.keys(stored.attributes)).not.toContain("short_description");
  });

  it("counts the run and its rows in Prometheus metrics", async () => {
    const metrics = await (await fetch(`${harness.gateway.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_sync_runs_total\{status="SUCCEEDED"\} 1\b/);
    expect(metrics).toMatch(/gateway_sync_rows_total\{table="incident",action="upserted"\} 2501\b/);
  });
});
