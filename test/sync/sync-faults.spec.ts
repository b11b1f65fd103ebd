import { ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { createSimulator, type SimRequestLogEntry } from "../../src/simulator";
import {
  parity,
  parityProblems,
  SIM_PASSWORD,
  SIM_USER,
  startSyncHarness,
  steppedClock,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

const DATASET = {
  seed: 41,
  groups: 4,
  users: 30,
  incidents: 300,
  changes: 40,
  approvalsPerChange: 1,
  journalPerRecord: 1,
} as const;

/** Retries in milliseconds rather than seconds; Retry-After is still honoured as sent. */
const FAST_RETRIES = { SERVICENOW_RETRY_BASE_MS: "10" };
/** The shortest per-request timeout the configuration allows, for the timeout fault. */
const FAST_TIMEOUT = { SERVICENOW_TIMEOUT_MS: "1000" };

const incidentRequests = (log: readonly SimRequestLogEntry[]): SimRequestLogEntry[] =>
  log.filter((entry) => entry.table === "incident");

/** The same request, attempt after attempt (the keyset query and offset do not change). */
const sameRequest = (a: SimRequestLogEntry, b: SimRequestLogEntry): boolean =>
  JSON.stringify(a.query) === JSON.stringify(b.query);

describe("sync through transient ServiceNow failures", () => {
  let harness: SyncHarness;
  let clock: ReturnType<typeof steppedClock>;

  beforeAll(async () => {
    const simulator = createSimulator();
    clock = steppedClock(simulator);
    harness = await startSyncHarness({
      simulator,
      dataset: DATASET,
      env: { ...FAST_RETRIES, ...FAST_TIMEOUT },
    });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await harness.stop();
  });

  /** A few edits for the next incremental run to carry, then a clean request log. */
  function editSomeRecords(label: string): void {
    const sim = harness.simulator;
    clock.advance();
    for (const incident of sim.all("incident").slice(0, 3)) {
      sim.update("incident", incident.sys_id, { short_description: `${label} edit` });
    }
    sim.insert("incident", { short_description: `${label} new` });
    sim.update("change_request", sim.all("change_request")[0].sys_id, { risk: 3 });
    sim.clearRequestLog();
  }

  it("waits Retry-After on 429 and then succeeds", async () => {
    editSomeRecords("429");
    harness.simulator.faults.inject({
      kind: "rateLimit",
      times: 2,
      retryAfterSeconds: 1,
      match: { table: "incident" },
    });

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const [first, second, third] = incidentRequests(harness.simulator.requestLog);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(sameRequest(first, third) && sameRequest(second, third)).toBe(true);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(third.at) - Date.parse(second.at)).toBeGreaterThanOrEqual(1000);
    expect(tableCounts(run, "incident").fetched).toBe(4);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("retries a burst of 503s with backoff and then succeeds", async () => {
    editSomeRecords("503");
    harness.simulator.faults.inject({
      kind: "status",
      status: 503,
      times: 3,
      match: { table: "incident" },
    });

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const attempts = incidentRequests(harness.simulator.requestLog).slice(0, 4);
    expect(attempts.map((entry) => entry.status)).toEqual([503, 503, 503, 200]);
    expect(attempts.every((entry) => sameRequest(entry, attempts[3]))).toBe(true);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("retries connections reset mid-request and then succeeds", async () => {
    editSomeRecords("reset");
    harness.simulator.faults.inject({ kind: "reset", times: 2, match: { table: "incident" } });

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const attempts = incidentRequests(harness.simulator.requestLog).slice(0, 3);
    expect(attempts.map((entry) => entry.status)).toEqual([0, 0, 200]);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("gives up on a request that never answers after the timeout, retries, and succeeds", async () => {
    editSomeRecords("timeout");
    harness.simulator.faults.inject({ kind: "timeout", times: 1, match: { table: "incident" } });

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const attempts = incidentRequests(harness.simulator.requestLog).slice(0, 2);
    expect(attempts.map((entry) => [entry.status, entry.fault])).toEqual([
      [0, "timeout"],
      [200, null],
    ]);
    expect(sameRequest(attempts[0], attempts[1])).toBe(true);
    expect(Date.parse(attempts[1].at) - Date.parse(attempts[0].at)).toBeGreaterThanOrEqual(1000);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("retries a page of malformed JSON and then succeeds", async () => {
    editSomeRecords("malformed");
    harness.simulator.faults.inject({ kind: "malformed", times: 1, match: { table: "incident" } });

    const run = await harness.sync();

    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    const attempts = incidentRequests(harness.simulator.requestLog).slice(0, 2);
    expect(attempts.map((entry) => [entry.status, entry.fault])).toEqual([
      [200, "malformed"],
      [200, null],
    ]);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});

describe("a ServiceNow failure that outlasts the retries", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({ dataset: { ...DATASET, seed: 42 }, env: FAST_RETRIES });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("fails the run with ServiceNow's answer, keeps committed tables, and resumes after", async () => {
    const sim = harness.simulator;
    const { dataSource } = harness.gateway.gateway;
    sim.faults.inject({
      kind: "status",
      status: 500,
      times: 100,
      match: { table: "change_request" },
    });
    sim.clearRequestLog();

    const failed = await harness.sync(true);

    expect(failed.status).toBe("FAILED");
    expect(failed.errorCode).toBe("SERVER_ERROR");
    expect(failed.error).toMatch(/ServiceNow failed to answer \(500 Server Error\)/);
    expect(failed.error).toContain("/api/now/table/change_request");
    expect(failed.finishedAt).not.toBeNull();
    // Bounded: the default five attempts, then the run gives up.
    expect(sim.requestLog.filter((entry) => entry.table === "change_request")).toHaveLength(5);
    // Tables before change_request were committed and stay.
    const incidents = dataSource.getRepository(Incident);
    expect(await incidents.countBy({ integrationId: harness.integrationId })).toBe(300);
    const changes = dataSource.getRepository(ChangeRequest);
    expect(await changes.countBy({ integrationId: harness.integrationId })).toBe(0);
    const integration = await harness.gateway.graphql<{
      integration: { status: string; lastSyncedAt: string | null };
    }>(`query($id: ID!) { integration(id: $id) { status lastSyncedAt } }`, {
      id: harness.integrationId,
    });
    // A server failure is not the integration's fault: it stays connected, never marked synced.
    expect(integration.body.data?.integration).toEqual({ status: "CONNECTED", lastSyncedAt: null });

    sim.faults.clear();
    const resumed = await harness.sync();

    expect(resumed.error).toBeNull();
    expect(resumed.status).toBe("SUCCEEDED");
    expect(tableCounts(resumed, "incident").fetched).toBe(0);
    expect(tableCounts(resumed, "change_request").fetched).toBe(40);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});

describe("credentials that stop working", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({ dataset: { ...DATASET, seed: 43 }, env: FAST_RETRIES });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await harness.stop();
  });

  interface IntegrationView {
    integration: { status: string; statusReason: string | null };
  }
  const readIntegration = () =>
    harness.gateway.graphql<IntegrationView>(
      `query($id: ID!) { integration(id: $id) { status statusReason } }`,
      { id: harness.integrationId },
    );

  it("fails the run AUTH_FAILED on a 401, marks the integration FAILED, and keeps the data", async () => {
    harness.simulator.faults.inject({ kind: "status", status: 401, times: 1000 });

    const run = await harness.sync();

    expect(run.status).toBe("FAILED");
    expect(run.errorCode).toBe("AUTH_FAILED");
    expect(run.error).toMatch(/ServiceNow rejected the credentials \(401/);
    const { integration } = (await readIntegration()).body.data!;
    expect(integration.status).toBe("FAILED");
    expect(integration.statusReason).toMatch(/^Sync failed: ServiceNow rejected the credentials/);
    expect(parityProblems(await parity(harness))).toEqual([]);

    harness.simulator.faults.clear();
    expect((await harness.sync()).status).toBe("SUCCEEDED");
    expect((await readIntegration()).body.data?.integration.status).toBe("CONNECTED");
  });

  it("never writes the password into sync runs or GraphQL answers", async () => {
    const rotated = "Rotated-Pa55word-that-NOW-fails";
    const basic = Buffer.from(`${SIM_USER}:${rotated}`).toString("base64");
    const answers: unknown[] = [];
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const response = await harness.gateway.graphql(query, variables);
      answers.push(response.body);
      return response;
    };
    const id = harness.integrationId;
    await ask(
      `mutation($id: ID!, $input: UpdateIntegrationInput!) {
        updateIntegration(id: $id, input: $input) { id status statusReason }
      }`,
      { id, input: { password: rotated } },
    );
    await ask(
      `mutation($id: ID!) { validateConnection(id: $id) { ok checks { name status message } } }`,
      { id },
    );
    const started = await ask(
      `mutation($id: ID!) { syncIntegration(id: $id) { id status error errorCode } }`,
      { id },
    );
    expect(started.body.errors).toBeUndefined();
    await harness.gateway.gateway.syncService.waitFor(id);
    const runs = await ask(
      `query($id: ID!) {
        syncRuns(integrationId: $id) { nodes { id status error errorCode tables { table fetched } } }
      }`,
      { id },
    );
    await ask(
      `query($id: ID!) {
        integration(id: $id) {
          status statusReason hasCredentials
          lastValidation { ok checks { name status message } }
          lastSyncRun { status error errorCode }
        }
      }`,
      { id },
    );

    const latest = (runs.body.data as { syncRuns: { nodes: Array<{ errorCode: string }> } })
      .syncRuns.nodes[0];
    expect(latest.errorCode).toBe("AUTH_FAILED");
    const rows: unknown[] =
      await harness.gateway.gateway.dataSource.query("SELECT * FROM sync_run");
    const everything = JSON.stringify([rows, answers]);
    expect(everything).toContain("AUTH_FAILED");
    for (const secret of [rotated, SIM_PASSWORD, basic]) {
      expect(everything).not.toContain(secret);
    }
  });
});
