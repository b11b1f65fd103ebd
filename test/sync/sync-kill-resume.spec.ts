import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { createSimulator, type Simulator } from "../../src/simulator";
import { SyncLeaseRepository } from "../../src/sync/sync-lease.repository";
import { SyncRun } from "../../src/sync/sync-run.entity";
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from "../support/gateway-process";
import {
  cachedSysIds,
  createSimulatorIntegration,
  fetchedOf,
  type GraphQLCall,
  graphqlOf,
  harnessFor,
  lastRunOf,
  resumeQuery,
  simulatorSysIdsUpTo,
  startSync,
  startTestGatewayOn,
  tableRequests,
  waitFor,
  watermarkOf,
} from "../support/sync-fixtures";
import { parity, parityProblems, SIM_PASSWORD, SIM_USER } from "../support/sync-harness";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TestGateway } from "../support/test-gateway";

const INCIDENTS = 3000;
const PAGE_SIZE = 200;

/**
 * The gateway runs as a real child process and is SIGKILLed while a full sync is between
 * incident pages; a new gateway on the same database must resume after the last page that
 * committed, without re-reading or duplicating a row.
 */
describe("a sync killed between pages", () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let dataDir: string;
  let child: GatewayProcess | null = null;
  let resumed: TestGateway | null = null;

  beforeAll(async () => {
    simulator = createSimulator();
    simulator.addUser({
      userName: SIM_USER,
      password: SIM_PASSWORD,
      timeZone: "UTC",
      webServiceAccessOnly: true,
    });
    simulator.generate({
      seed: 31,
      groups: 6,
      users: 40,
      incidents: INCIDENTS,
      changes: 40,
      approvalsPerChange: 1,
      journalPerRecord: 1,
    });
    await simulator.start();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-kill-"));
  });

  afterAll(async () => {
    await killGatewayProcesses();
    await resumed?.stop();
    await simulator.stop();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes after the committed watermark, duplicates nothing and marks the dead run", async () => {
    // The child's lease lasts 5 s (the minimum), so the next gateway may take over soon.
    child = await startGatewayProcess({
      database: database.config,
      dataDir,
      env: { SYNC_PAGE_SIZE: String(PAGE_SIZE), SYNC_LEASE_SECONDS: "5" },
    });
    const process1 = child;
    const viaChild: GraphQLCall = (query, variables) => process1.graphql(query, variables);
    const integrationId = await createSimulatorIntegration(viaChild, {
      name: "killed",
      url: simulator.url,
      username: SIM_USER,
      password: SIM_PASSWORD,
    });
    simulator.faults.inject({
      kind: "delay",
      delayMs: 250,
      times: 1000,
      match: { table: "incident" },
    });

    const killedRun = await startSync(viaChild, integrationId, true);
    expect(killedRun).toMatchObject({ status: "RUNNING", mode: "FULL", trigger: "MANUAL" });
    await waitFor(
      "two committed incident pages",
      async () => {
        const run = await lastRunOf(viaChild, integrationId);
        return fetchedOf(run, "incident") >= 2 * PAGE_SIZE ? run : undefined;
      },
      30_000,
      20,
    );
    const exit = await process1.kill("SIGKILL");
    expect(exit.signal).toBe("SIGKILL");
    simulator.faults.clear();

    // A fresh gateway on the same database (its migrations are already applied).
    resumed = await startTestGatewayOn(database.config);
    const { dataSource } = resumed.gateway;
    const watermark = await watermarkOf(dataSource, integrationId, "incident");
    if (watermark === null) {
      throw new Error("no incident watermark was committed before the kill");
    }
    // Pages and their watermark committed together: exactly the rows up to the watermark.
    const committed = await cachedSysIds(dataSource, integrationId, "incident");
    expect(committed.length).toBeGreaterThanOrEqual(2 * PAGE_SIZE);
    expect(committed.length).toBeLessThan(INCIDENTS);
    expect(committed.length % PAGE_SIZE).toBe(0);
    expect(committed).toEqual(simulatorSysIdsUpTo(simulator, "incident", watermark));
    const deadBefore = await dataSource.getRepository(SyncRun).findOneByOrFail({
      id: killedRun.id,
    });
    expect(deadBefore.status).toBe("RUNNING");
    expect(fetchedOf(deadBefore, "incident")).toBe(committed.length);

    // While the dead process's lease is valid, nobody can tell it from a slow one: no new run.
    const leases = new SyncLeaseRepository(dataSource);
    if ((await leases.holderOf(integrationId, Date.now() + 1500)) !== null) {
      const meanwhile = await startSync(graphqlOf(resumed), integrationId, false);
      expect(meanwhile).toMatchObject({ id: killedRun.id, status: "RUNNING" });
    }
    await waitFor(
      "the dead process's lease to expire",
      async () => ((await leases.holderOf(integrationId)) === null ? true : undefined),
      10_000,
      100,
    );

    simulator.clearRequestLog();
    const harness = harnessFor(simulator, resumed, integrationId);
    const run = await harness.sync(false);
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: "SUCCEEDED", mode: "INCREMENTAL" });
    expect(run.id).not.toBe(killedRun.id);

    // The first incident request of the new run starts strictly after the committed page.
    const incidentReads = tableRequests(simulator, "incident");
    expect(incidentReads[0]?.query.sysparm_query).toBe(resumeQuery(watermark));
    expect(incidentReads[0]?.query.sysparm_offset).toBeUndefined();
    // Nothing committed was read again, and nothing is cached twice.
    expect(fetchedOf(run, "incident")).toBe(INCIDENTS - committed.length);
    const after = await cachedSysIds(dataSource, integrationId, "incident");
    expect(after).toHaveLength(INCIDENTS);
    expect(new Set(after).size).toBe(INCIDENTS);

    const dead = await dataSource.getRepository(SyncRun).findOneByOrFail({ id: killedRun.id });
    expect(dead).toMatchObject({ status: "FAILED", errorCode: "ABANDONED" });
    expect(dead.finishedAt).not.toBeNull();
    expect(parityProblems(await parity(harness))).toEqual([]);
  }, 60_000);
});
