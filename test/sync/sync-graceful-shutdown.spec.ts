import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { createSimulator, type Simulator } from "../../src/simulator";
import { SyncLeaseRepository } from "../../src/sync/sync-lease.repository";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { killGatewayProcesses, startGatewayProcess } from "../support/gateway-process";
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

const INCIDENTS = 2000;
const PAGE_SIZE = 200;
/** The page in flight at shutdown answers only after this; stop() must not wait for it. */
const SLOW_PAGE_MS = 5000;

describe("graceful shutdown during a sync", () => {
  let simulator: Simulator;
  let database: TestDatabase;
  const gateways: TestGateway[] = [];
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    simulator = createSimulator();
    simulator.addUser({
      userName: SIM_USER,
      password: SIM_PASSWORD,
      timeZone: "UTC",
      webServiceAccessOnly: true,
    });
    simulator.generate({
      seed: 41,
      groups: 5,
      users: 30,
      incidents: INCIDENTS,
      changes: 30,
      approvalsPerChange: 1,
      journalPerRecord: 1,
    });
    await simulator.start();
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await killGatewayProcesses();
    for (const cleanup of cleanups) {
      await cleanup();
    }
    // stop() is idempotent: the one the test already stopped resolves at once.
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await simulator.stop();
    await database.drop();
  });

  it("ends the run INTERRUPTED promptly, keeps committed pages, and the next run resumes", async () => {
    const first = await startTestGatewayOn(database.config, {
      env: { SYNC_PAGE_SIZE: String(PAGE_SIZE) },
    });
    gateways.push(first);
    const integrationId = await createSimulatorIntegration(graphqlOf(first), {
      name: "stopped",
      url: simulator.url,
      username: SIM_USER,
      password: SIM_PASSWORD,
    });
    // Two quick incident pages, then every page hangs for SLOW_PAGE_MS.
    simulator.faults.inject({ kind: "delay", delayMs: 50, times: 2, match: { table: "incident" } });
    simulator.faults.inject({
      kind: "delay",
      delayMs: SLOW_PAGE_MS,
      times: 1000,
      match: { table: "incident" },
    });
    const interrupted = await startSync(graphqlOf(first), integrationId, true);
    await waitFor(
      "two committed incident pages",
      async () => {
        const run = await lastRunOf(graphqlOf(first), integrationId);
        return fetchedOf(run, "incident") >= 2 * PAGE_SIZE ? run : undefined;
      },
      20_000,
      20,
    );
    // The third page is now in flight and held by the simulator.
    const stopping = Date.now();
    await first.stop();
    const stopMs = Date.now() - stopping;
    expect(stopMs).toBeLessThan(SLOW_PAGE_MS / 2);
    simulator.faults.clear();

    const second = await startTestGatewayOn(database.config, {
      env: { SYNC_PAGE_SIZE: String(PAGE_SIZE) },
    });
    gateways.push(second);
    const { dataSource } = second.gateway;
    const run = await dataSource.getRepository(SyncRun).findOneByOrFail({ id: interrupted.id });
    expect(run).toMatchObject({ status: "FAILED", errorCode: "INTERRUPTED" });
    expect(run.error).toMatch(/shutting down/);
    expect(run.finishedAt).not.toBeNull();
    // The lease went with the run: another gateway may sync at once.
    expect(await new SyncLeaseRepository(dataSource).holderOf(integrationId)).toBeNull();

    const watermark = await watermarkOf(dataSource, integrationId, "incident");
    if (watermark === null) {
      throw new Error("no incident watermark was committed before the shutdown");
    }
    const committed = await cachedSysIds(dataSource, integrationId, "incident");
    expect(committed).toHaveLength(2 * PAGE_SIZE);
    expect(committed).toEqual(simulatorSysIdsUpTo(simulator, "incident", watermark));
    expect(fetchedOf(run, "incident")).toBe(committed.length);

    simulator.clearRequestLog();
    const harness = harnessFor(simulator, second, integrationId);
    const next = await harness.sync(false);
    expect(next.error).toBeNull();
    expect(next).toMatchObject({ status: "SUCCEEDED", mode: "INCREMENTAL" });
    expect(tableRequests(simulator, "incident")[0]?.query.sysparm_query).toBe(
      resumeQuery(watermark),
    );
    expect(fetchedOf(next, "incident")).toBe(INCIDENTS - committed.length);
    expect(parityProblems(await parity(harness))).toEqual([]);
  }, 45_000);

  it("SIGTERM to a gateway process ends its run INTERRUPTED and the process exits 0", async () => {
    // The same database as above (another integration): on PostgreSQL a second test schema
    // would not see the uuid-ossp extension TypeORM installed into the first one.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-sigterm-"));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const child = await startGatewayProcess({
      database: database.config,
      dataDir,
      env: { SYNC_PAGE_SIZE: String(PAGE_SIZE) },
    });
    const viaChild: GraphQLCall = (query, variables) => child.graphql(query, variables);
    const integrationId = await createSimulatorIntegration(viaChild, {
      name: "terminated",
      url: simulator.url,
      username: SIM_USER,
      password: SIM_PASSWORD,
    });
    simulator.faults.inject({ kind: "delay", delayMs: 50, times: 1, match: { table: "incident" } });
    simulator.faults.inject({
      kind: "delay",
      delayMs: SLOW_PAGE_MS,
      times: 1000,
      match: { table: "incident" },
    });
    const run = await startSync(viaChild, integrationId, true);
    await waitFor(
      "a committed incident page",
      async () =>
        fetchedOf(await lastRunOf(viaChild, integrationId), "incident") >= PAGE_SIZE
          ? true
          : undefined,
      20_000,
      20,
    );
    const terminating = Date.now();
    const exit = await child.kill("SIGTERM");
    expect(Date.now() - terminating).toBeLessThan(SLOW_PAGE_MS / 2);
    expect(exit).toEqual({ code: 0, signal: null });
    simulator.faults.clear();

    const observer = await startTestGatewayOn(database.config);
    gateways.push(observer);
    const { dataSource } = observer.gateway;
    const stored = await dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
    expect(stored).toMatchObject({ status: "FAILED", errorCode: "INTERRUPTED" });
    expect(await cachedSysIds(dataSource, integrationId, "incident")).toHaveLength(
      fetchedOf(stored, "incident"),
    );
    expect(await new SyncLeaseRepository(dataSource).holderOf(integrationId)).toBeNull();
  }, 30_000);
});
