import { createLogger } from "../../src/logging/logger";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { AUDIT_DELETE_TABLE } from "../../src/sync/audited-deletes";
import { dueAt, jitterMs, SyncScheduler } from "../../src/sync/sync.scheduler";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SYNC_TABLES } from "../../src/sync/sync-tables";
import { startSyncHarness, type SyncHarness } from "../support/sync-harness";

const MINUTE = 60_000;

describe("a one-minute sync interval", () => {
  let harness: SyncHarness;
  let scheduler: SyncScheduler | null = null;

  const setInterval = (id: string, minutes: unknown) =>
    harness.gateway.graphql<{ updateIntegration: { syncIntervalMinutes: number } }>(
      `mutation($id: ID!, $input: UpdateIntegrationInput!) {
        updateIntegration(id: $id, input: $input) { syncIntervalMinutes }
      }`,
      { id, input: { syncIntervalMinutes: minutes } },
    );

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { seed: 81, groups: 3, users: 20, incidents: 60, changes: 8, journalPerRecord: 1 },
    });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    // Two minutes on, one run re-reads the seconds that were "now" during the full run: quiet.
    harness.simulator.setClock(() => new Date(Date.now() + 120_000));
    expect((await harness.sync()).status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await scheduler?.stop();
    await harness.stop();
  });

  it("rejects 0 minutes with BAD_USER_INPUT naming syncIntervalMinutes", async () => {
    const { body } = await setInterval(harness.integrationId, 0);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: expect.stringContaining("syncIntervalMinutes"),
    });
  });

  it("accepts 1 minute", async () => {
    const { body } = await setInterval(harness.integrationId, 1);
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateIntegration.syncIntervalMinutes).toBe(1);
  });

  it("runs when due, not at the next tick, and an idle run costs one request per table", async () => {
    const { dataSource, syncService } = harness.gateway.gateway;
    const integrations = dataSource.getRepository(Integration);
    // Due 1–7 s from now. The jitter depends on the minute the last success falls in, so a
    // last success is searched for rather than solved (solving it with the due time's minute
    // was wrong whenever the two fell in different minutes): the due time grows with it, with
    // at most one jump of under 6 s where it crosses a minute.
    const now = Date.now();
    const dueAfter = (success: number) =>
      success + MINUTE + jitterMs(harness.integrationId, MINUTE, Math.floor(success / MINUTE));
    let last = now - MINUTE - 8000;
    while (dueAfter(last) < now + 1000) {
      last += 50;
    }
    await integrations.update({ id: harness.integrationId }, { lastSyncedAt: new Date(last) });
    const due = dueAt(await integrations.findOneByOrFail({ id: harness.integrationId }));
    expect(due).toBeGreaterThan(Date.now());
    const before = await dataSource.getRepository(SyncRun).count();
    harness.simulator.resetTableRequestCounts();

    // Ticks an hour apart: only the timer set for the due time can start the run in time.
    scheduler = new SyncScheduler(
      dataSource,
      syncService,
      { tickMs: 60 * MINUTE },
      createLogger("silent"),
    );
    scheduler.start();
    let run: SyncRun | null = null;
    for (let waited = 0; run === null && waited < 15_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const runs = await dataSource.getRepository(SyncRun).find({
        where: { integrationId: harness.integrationId },
        order: { startedAt: "DESC" },
      });
      run = runs.length > before ? (runs[0] ?? null) : null;
    }
    expect(run).not.toBeNull();
    await syncService.waitFor(harness.integrationId);
    const finished = await dataSource.getRepository(SyncRun).findOneByOrFail({ id: run!.id });
    expect(finished).toMatchObject({
      trigger: "SCHEDULE",
      mode: "INCREMENTAL",
      status: "SUCCEEDED",
    });
    expect(finished.startedAt.getTime()).toBeGreaterThanOrEqual(due);
    expect(harness.simulator.tableRequestCounts()).toEqual(
      Object.fromEntries(
        [...SYNC_TABLES.map((table) => table.spec.name), AUDIT_DELETE_TABLE].map((name) => [
          name,
          1,
        ]),
      ),
    );
  });
});
