import { In, type Repository } from "typeorm";

import { createSimulator } from "../../src/simulator";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncMode, SyncRunStatus, SyncTrigger } from "../../src/sync/sync-run.enums";
import { createSimulatorIntegration, graphqlOf } from "../support/sync-fixtures";
import {
  startSyncHarness,
  steppedClock,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

const DAY_MS = 24 * 60 * 60 * 1000;
const DATASET = {
  seed: 30,
  groups: 2,
  users: 8,
  incidents: 30,
  changes: 4,
  approvalsPerChange: 1,
  journalPerRecord: 1,
} as const;

describe("sync run history: retention and folding of idle runs", () => {
  let harness: SyncHarness;
  let runs: Repository<SyncRun>;
  let otherId: string;
  let clock: ReturnType<typeof steppedClock>;

  beforeAll(async () => {
    const simulator = createSimulator();
    clock = steppedClock(simulator);
    harness = await startSyncHarness({
      simulator,
      dataset: DATASET,
      env: {
        SYNC_RUN_RETENTION_DAYS: "30",
        SERVICENOW_RETRY_ATTEMPTS: "1",
      },
    });
    runs = harness.gateway.gateway.dataSource.getRepository(SyncRun);
    harness.simulator.addUser({ userName: "svc.other", password: "Other-Pa55-word!" });
    otherId = await createSimulatorIntegration(graphqlOf(harness.gateway), {
      name: "other",
      url: harness.simulatorUrl,
      username: "svc.other",
      password: "Other-Pa55-word!",
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  /** A finished run `days` ago, written as an older gateway would have. */
  async function pastRun(
    integrationId: string,
    days: number,
    status: SyncRunStatus,
  ): Promise<string> {
    const startedAt = new Date(Date.now() - days * DAY_MS);
    const saved = await runs.save(
      runs.create({
        integrationId,
        status,
        trigger: SyncTrigger.SCHEDULE,
        mode: SyncMode.INCREMENTAL,
        startedAt,
        finishedAt: status === SyncRunStatus.RUNNING ? null : new Date(startedAt.getTime() + 1000),
        durationMs: status === SyncRunStatus.RUNNING ? null : 1000,
        error: status === SyncRunStatus.FAILED ? "ServiceNow answered 503" : null,
        errorCode: status === SyncRunStatus.FAILED ? "SERVER_ERROR" : null,
        tables: [{ table: "incident", fetched: 1, upserted: 1, deleted: 0 }],
        runCount: 1,
        firstStartedAt: null,
      }),
    );
    return saved.id;
  }

  const idsOf = async (integrationId: string) =>
    (await runs.find({ where: { integrationId }, order: { startedAt: "DESC" } })).map(
      (run) => run.id,
    );

  it("deletes runs older than SYNC_RUN_RETENTION_DAYS after a run, keeping each integration's last success and last failure", async () => {
    const mine = {
      success40: await pastRun(harness.integrationId, 40, SyncRunStatus.SUCCEEDED),
      success35: await pastRun(harness.integrationId, 35, SyncRunStatus.SUCCEEDED),
      failure50: await pastRun(harness.integrationId, 50, SyncRunStatus.FAILED),
      failure45: await pastRun(harness.integrationId, 45, SyncRunStatus.FAILED),
      success20: await pastRun(harness.integrationId, 20, SyncRunStatus.SUCCEEDED),
    };
    const other = {
      failure70: await pastRun(otherId, 70, SyncRunStatus.FAILED),
      success60: await pastRun(otherId, 60, SyncRunStatus.SUCCEEDED),
      success50: await pastRun(otherId, 50, SyncRunStatus.SUCCEEDED),
      failure40: await pastRun(otherId, 40, SyncRunStatus.FAILED),
      running90: await pastRun(otherId, 90, SyncRunStatus.RUNNING),
    };

    // A run of the first integration prunes every integration's history.
    const run = await harness.sync(true);

    expect(run.status).toBe("SUCCEEDED");
    // The newest success is now the new run (and success20 is within the window); the newest
    // failure is 45 days old but is the last failure, so it stays.
    expect(await idsOf(harness.integrationId)).toEqual([run.id, mine.success20, mine.failure45]);
    // The other integration did not run: its last success and last failure stay however old,
    // and a RUNNING row is never deleted by retention.
    expect(await idsOf(otherId)).toEqual([other.failure40, other.success50, other.running90]);
  });

  it("deletes an old last failure once a newer failure exists, and keeps every run within the retention", async () => {
    const [newest, success20, failure45, ...rest] = await idsOf(harness.integrationId);
    expect(rest).toEqual([]);
    const failure29 = await pastRun(harness.integrationId, 29, SyncRunStatus.FAILED);

    const run = await harness.sync(true);

    // failure45 stayed as the last failure; failure29 has taken that role, so it goes now.
    expect(await idsOf(harness.integrationId)).toEqual([run.id, newest, success20, failure29]);
    expect(await runs.countBy({ id: failure45 })).toBe(0);
  });

  it("folds consecutive incremental runs that changed nothing into the newest, counting them", async () => {
    const { simulator } = harness;
    const changeOneIncident = () => {
      clock.advance(120_000);
      const incident = simulator.all("incident")[0];
      simulator.update("incident", incident.sys_id, { short_description: "changed upstream" });
      // Past ServiceNow's open-second window: the next runs need not re-read that second.
      clock.advance(120_000);
    };
    changeOneIncident();
    const changed = await harness.sync();
    const idle1 = await harness.sync();
    const idle2 = await harness.sync();
    const idle3 = await harness.sync();
    simulator.faults.inject({
      kind: "status",
      status: 500,
      times: 50,
      match: { table: "incident" },
    });
    const failed = await harness.sync();
    simulator.faults.clear();
    const idle4 = await harness.sync();
    const idle5 = await harness.sync();
    changeOneIncident();
    const changedAgain = await harness.sync();

    expect(tableCounts(changed, "incident").fetched).toBe(1);
    expect(tableCounts(changedAgain, "incident").fetched).toBe(1);
    expect([idle1, idle2, idle3, idle4, idle5].map((run) => run.status)).toEqual(
      Array(5).fill("SUCCEEDED"),
    );
    expect(failed.status).toBe("FAILED");
    const { body } = await harness.gateway.graphql<{
      syncRuns: {
        nodes: Array<{
          id: string;
          status: string;
          runCount: number;
          firstStartedAt: string | null;
        }>;
      };
    }>(
      `query($id: ID!) { syncRuns(integrationId: $id, first: 6) { nodes { id status runCount firstStartedAt } } }`,
      { id: harness.integrationId },
    );
    // Newest first: each idle streak is one row (the newest run's), a failure breaks a streak,
    // and runs that changed something are never folded.
    expect(body.data?.syncRuns.nodes).toEqual([
      { id: changedAgain.id, status: "SUCCEEDED", runCount: 1, firstStartedAt: null },
      {
        id: idle5.id,
        status: "SUCCEEDED",
        runCount: 2,
        firstStartedAt: idle4.startedAt.toISOString(),
      },
      { id: failed.id, status: "FAILED", runCount: 1, firstStartedAt: null },
      {
        id: idle3.id,
        status: "SUCCEEDED",
        runCount: 3,
        firstStartedAt: idle1.startedAt.toISOString(),
      },
      { id: changed.id, status: "SUCCEEDED", runCount: 1, firstStartedAt: null },
      expect.objectContaining({ runCount: 1 }),
    ]);
    expect(await runs.countBy({ id: In([idle1.id, idle2.id, idle4.id]) })).toBe(0);
  });
});
