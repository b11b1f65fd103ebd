import { setTimeout as sleep } from "node:timers/promises";

import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

interface RunView {
  id: string;
  status: string;
  mode: string;
  tables: Array<{ table: string; fetched: number }>;
}

const RUN_FIELDS = "id status mode tables { table fetched }";

describe("a sync run in progress", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: {
        seed: 71,
        groups: 4,
        users: 30,
        incidents: 800,
        changes: 40,
        approvalsPerChange: 1,
        journalPerRecord: 0,
      },
      env: { SYNC_PAGE_SIZE: "50" },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  const startSync = async (full: boolean): Promise<RunView> => {
    const response = await harness.gateway.graphql<{ syncIntegration: RunView }>(
      `mutation($id: ID!, $full: Boolean) { syncIntegration(id: $id, full: $full) { ${RUN_FIELDS} } }`,
      { id: harness.integrationId, full },
    );
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.syncIntegration;
  };

  it("is returned again by syncIntegration and shows growing counts while it runs", async () => {
    // Every page answers 20 ms late: the run lasts long enough to be watched.
    harness.simulator.faults.inject({
      kind: "delay",
      delayMs: 20,
      times: 10_000,
      match: { pathPrefix: "/api/now/table/" },
    });

    const first = await startSync(true);
    const [second, third] = await Promise.all([startSync(true), startSync(false)]);

    expect(first).toMatchObject({ status: "RUNNING", mode: "FULL" });
    expect([second.id, third.id]).toEqual([first.id, first.id]);

    const seen: Array<{ status: string; fetched: number }> = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const response = await harness.gateway.graphql<{
        integration: { lastSyncRun: RunView };
        syncRuns: { nodes: RunView[] };
      }>(
        `query($id: ID!) {
          integration(id: $id) { lastSyncRun { ${RUN_FIELDS} } }
          syncRuns(integrationId: $id, first: 5) { nodes { id } }
        }`,
        { id: harness.integrationId },
      );
      const { integration, syncRuns } = response.body.data!;
      const run = integration.lastSyncRun;
      expect(run.id).toBe(first.id);
      expect(syncRuns.nodes.map((node) => node.id)).toEqual([first.id]);
      seen.push({
        status: run.status,
        fetched: run.tables.reduce((sum, table) => sum + table.fetched, 0),
      });
      if (run.status !== "RUNNING" || Date.now() > deadline) {
        break;
      }
      await sleep(15);
    }
    harness.simulator.faults.clear();

    const running = seen.filter((view) => view.status === "RUNNING").map((view) => view.fetched);
    expect(running.length).toBeGreaterThanOrEqual(3);
    expect(running).toEqual([...running].sort((a, b) => a - b));
    expect(new Set(running.filter((fetched) => fetched > 0)).size).toBeGreaterThanOrEqual(2);
    expect(seen[seen.length - 1]).toEqual({ status: "SUCCEEDED", fetched: expect.any(Number) });
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});
