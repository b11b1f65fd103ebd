import { SyncLeaseRepository } from "../../src/sync/sync-lease.repository";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncMode, SyncRunStatus, SyncTrigger } from "../../src/sync/sync-run.enums";
import { startTestGatewayOn } from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("runs left RUNNING by a process that died", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it("are marked ABANDONED at start-up unless another process still holds their lease", async () => {
    const first = await startTestGatewayOn(database.config);
    const runs = first.gateway.dataSource.getRepository(SyncRun);
    const dead = (integrationId: string) =>
      runs.save(
        runs.create({
          integrationId,
          status: SyncRunStatus.RUNNING,
          trigger: SyncTrigger.SCHEDULE,
          mode: SyncMode.INCREMENTAL,
          startedAt: new Date(Date.now() - 60_000),
          finishedAt: null,
          durationMs: null,
          error: null,
          errorCode: null,
          tables: [],
        }),
      );
    const orphan = await dead("00000000-0000-4000-8000-000000000001");
    const leased = await dead("00000000-0000-4000-8000-000000000002");
    await new SyncLeaseRepository(first.gateway.dataSource).acquire(
      leased.integrationId,
      "another-replica",
      60_000,
    );
    await first.stop();

    const second = await startTestGatewayOn(database.config);
    try {
      const after = second.gateway.dataSource.getRepository(SyncRun);
      expect(await after.findOneByOrFail({ id: orphan.id })).toMatchObject({
        status: SyncRunStatus.FAILED,
        errorCode: "ABANDONED",
      });
      expect((await after.findOneByOrFail({ id: leased.id })).status).toBe(SyncRunStatus.RUNNING);
    } finally {
      await second.stop();
    }
  });
});
