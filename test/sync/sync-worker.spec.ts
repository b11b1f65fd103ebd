import { Writable } from "node:stream";
import { Worker } from "node:worker_threads";

import { createLogger } from "../../src/logging/logger";
import { createSimulator, type Simulator } from "../../src/simulator";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { PAGE_WRITER_FILE } from "../../src/sync/worker/page-writer.wire";
import { SYNC_WORKER_FILE } from "../../src/sync/worker/sync.worker";
import {
  cachedSysIds,
  createSimulatorIntegration,
  fetchedOf,
  graphqlOf,
  harnessFor,
  simulatorSysIdsUpTo,
  waitFor,
  watermarkOf,
} from "../support/sync-fixtures";
import {
  parity,
  parityProblems,
  SIM_PASSWORD,
  SIM_USER,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

/**
 * The sync's page loops run on a worker thread with its own connection and ServiceNow client:
 * a worker that dies or a run that is aborted mid-table leaves the cache and its watermark
 * consistent, the next run completes it, OAuth renewals go through the main thread's provider,
 * and the worker loads none of the gateway's heavy modules.
 */

const DATASET = {
  seed: 53,
  groups: 4,
  users: 40,
  incidents: 1500,
  changes: 20,
  approvalsPerChange: 1,
  journalPerRecord: 1,
} as const;

/** Starts a full run and resolves once it has committed some, but not all, incident pages. */
async function startAndReachIncidents(harness: SyncHarness): Promise<string> {
  const started = await harness.gateway.graphql<{ syncIntegration: { id: string } }>(
    `mutation($id: ID!) { syncIntegration(id: $id, full: true) { id } }`,
    { id: harness.integrationId },
  );
  const runId = started.body.data!.syncIntegration.id;
  await waitFor(
    "incident pages to commit",
    async () => {
      const run = await harness.gateway.gateway.dataSource
        .getRepository(SyncRun)
        .findOneByOrFail({ id: runId });
      return fetchedOf(run, "incident") > 0 ? run : undefined;
    },
    30_000,
    5,
  );
  return runId;
}

/** Every cached incident is at or before the watermark, and every such record is cached. */
async function expectConsistentWatermark(harness: SyncHarness): Promise<void> {
  const { dataSource } = harness.gateway.gateway;
  const watermark = await watermarkOf(dataSource, harness.integrationId, "incident");
  expect(watermark).not.toBeNull();
  const cached = await cachedSysIds(dataSource, harness.integrationId, "incident");
  expect(cached).toEqual(simulatorSysIdsUpTo(harness.simulator, "incident", watermark!));
  expect(cached.length).toBeLessThan(DATASET.incidents);
}

describe("the sync worker", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({ dataset: DATASET, env: { SYNC_PAGE_SIZE: "50" } });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it("fails the run with a clear message when the worker dies mid-table, and the next run completes it", async () => {
    const runId = await startAndReachIncidents(harness);
    const thread = harness.gateway.gateway.syncService.runner.workers.thread;
    expect(thread).not.toBeNull();
    await thread!.terminate();
    await harness.gateway.gateway.syncService.waitFor(harness.integrationId);

    const failed = await harness.gateway.gateway.dataSource
      .getRepository(SyncRun)
      .findOneByOrFail({ id: runId });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(
      /^The sync worker exited with code \d+ during the sync; pages committed before stay and the next run resumes after them$/,
    );
    await expectConsistentWatermark(harness);

    const next = await harness.sync();
    expect([next.status, next.error]).toEqual(["SUCCEEDED", null]);
    expect(harness.gateway.gateway.syncService.runner.workers.thread).not.toBe(thread);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("leaves the cache and the watermark consistent when a run is cancelled mid-table", async () => {
    // A second integration on the same instance: its cache starts empty.
    const second = harnessFor(
      harness.simulator,
      harness.gateway,
      await createSimulatorIntegration(graphqlOf(harness.gateway), {
        name: "cancelled",
        url: harness.simulatorUrl,
        username: SIM_USER,
        password: SIM_PASSWORD,
      }),
    );
    const runId = await startAndReachIncidents(second);
    await second.gateway.gateway.syncService.cancel(second.integrationId, "cancelled by the test");

    const cancelled = await second.gateway.gateway.dataSource
      .getRepository(SyncRun)
      .findOneByOrFail({ id: runId });
    expect([cancelled.status, cancelled.errorCode]).toEqual(["FAILED", "INTERRUPTED"]);
    expect(cancelled.error).toBe(
      "Interrupted: cancelled by the test; the next run resumes after the last committed page.",
    );
    await expectConsistentWatermark(second);
    // The run row's counts are those of the committed pages, whole pages of 50.
    const committed = fetchedOf(cancelled, "incident");
    expect(committed).toBe(
      (await cachedSysIds(second.gateway.gateway.dataSource, second.integrationId, "incident"))
        .length,
    );
    expect(committed % 50).toBe(0);

    const next = await second.sync();
    expect([next.status, next.error]).toEqual(["SUCCEEDED", null]);
    expect(parityProblems(await parity(second))).toEqual([]);
  });

  /** The packages a thread running `file` (as the sync starts it) has loaded. */
  async function packagesLoadedBy(
    file: string,
  ): Promise<{ files: string[]; packages: Set<string> }> {
    const loaded = await new Promise<string[]>((resolve, reject) => {
      const worker = new Worker(
        `require("@swc-node/register");
         require(${JSON.stringify(file)});
         require("node:worker_threads").parentPort.postMessage(Object.keys(require.cache));`,
        { eval: true },
      );
      worker.once("message", (modules: string[]) => {
        void worker.terminate();
        resolve(modules);
      });
      worker.once("error", reject);
    });
    const packages = new Set(
      loaded
        .map((loadedFile) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(loadedFile)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    return { files: loaded, packages };
  }

  it("loads neither TypeORM, GraphQL, type-graphql nor Express", async () => {
    const worker = await packagesLoadedBy(SYNC_WORKER_FILE);
    const writer = await packagesLoadedBy(PAGE_WRITER_FILE);
    expect(worker.files).toContain(SYNC_WORKER_FILE);
    expect(writer.files).toContain(PAGE_WRITER_FILE);
    // The driver is loaded where pages are written: the page writer, not the mapping thread.
    expect(writer.packages).toContain("better-sqlite3");
    expect(worker.packages).not.toContain("better-sqlite3");
    for (const heavy of ["typeorm", "graphql", "type-graphql", "express", "@apollo/server"]) {
      expect(worker.packages).not.toContain(heavy);
      expect(writer.packages).not.toContain(heavy);
    }
  });
});

describe("the sync worker with OAuth", () => {
  const CLIENT_ID = "worker-client";
  const CLIENT_SECRET = "worker-client-secret-5d1f";
  let simulator: Simulator;
  let gateway: TestGateway;
  const lines: string[] = [];

  beforeAll(async () => {
    simulator = createSimulator();
    simulator.addUser({
      userName: SIM_USER,
      password: SIM_PASSWORD,
      timeZone: "UTC",
      webServiceAccessOnly: true,
    });
    simulator.addOAuthClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [],
    });
    simulator.generate(DATASET);
    await simulator.start();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    gateway = await startTestGateway({
      env: { SYNC_PAGE_SIZE: "50" },
      logger: createLogger("debug", sink),
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await simulator?.stop();
  });

  it("renews a token ServiceNow rejects mid-table through the main thread's provider", async () => {
    const created = await gateway.graphql<{ createIntegration: { id: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "oauth",
          url: simulator.url,
          deployment: "ON_PREM",
          authMethod: "OAUTH",
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          username: SIM_USER,
          password: SIM_PASSWORD,
        },
      },
    );
    const id = created.body.data!.createIntegration.id;
    const validated = await gateway.graphql<{ validateConnection: { ok: boolean } }>(
      `mutation($id: ID!) { validateConnection(id: $id) { ok } }`,
      { id },
    );
    expect(validated.body.data?.validateConnection.ok).toBe(true);
    const harness: SyncHarness = {
      simulator,
      simulatorUrl: simulator.url,
      gateway,
      integrationId: id,
      sync: () => Promise.reject(new Error("unused")),
      stop: () => Promise.resolve(),
    };
    const runId = await startAndReachIncidents(harness);
    const before = simulator.requestLog.length;
    // The worker's next page carries a token ServiceNow no longer knows: 401, renewal, retry.
    simulator.expireAccessTokens();
    await gateway.gateway.syncService.waitFor(id);

    const run = await gateway.gateway.dataSource
      .getRepository(SyncRun)
      .findOneByOrFail({ id: runId });
    expect([run.status, run.error]).toEqual(["SUCCEEDED", null]);
    const after = simulator.requestLog.slice(before);
    const rejected = after.findIndex((entry) => entry.table === "incident" && entry.status === 401);
    expect(rejected).toBeGreaterThanOrEqual(0);
    const renewal = after.findIndex(
      (entry, index) =>
        index > rejected && entry.path === "/oauth_token.do" && entry.status === 200,
    );
    expect(renewal).toBeGreaterThan(rejected);
    expect(
      after.some(
        (entry, index) => index > renewal && entry.table === "incident" && entry.status === 200,
      ),
    ).toBe(true);
    expect(parityProblems(await parity({ ...harness }))).toEqual([]);
    // The worker's request log lines reached the main logger, without any credential.
    const log = lines.join("");
    expect(log).toContain('"msg":"ServiceNow request"');
    // Request logs redact the gateway's own bearer tokens; no ServiceNow credential at all.
    expect(log).not.toMatch(/Basic [A-Za-z0-9+/=]{8}/);
    expect(log).not.toMatch(/Bearer (?!test-)/);
    expect(log).not.toContain(CLIENT_SECRET);
    expect(log).not.toContain(SIM_PASSWORD);
  });
});
