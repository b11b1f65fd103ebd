import { Client } from "pg";

import { databaseKindOfEnvironment } from "../../src/config/config";
import { channelOf } from "../../src/modules/record-changes/postgres-record-change.transport";
import { createSimulator, type Simulator } from "../../src/simulator";
import { subscribe, type Subscriber, waitFor } from "../support/subscription-client";
import {
  createSimulatorIntegration,
  graphqlOf,
  startSync,
  startTestGatewayOn,
} from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { ADMIN_TOKEN, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

const onPostgres = databaseKindOfEnvironment() === "postgres";
const describeOnPostgres = onPostgres ? describe : describe.skip;
const TITLE = onPostgres
  ? "subscriptions on two replicas sharing one PostgreSQL"
  : "subscriptions on two replicas sharing one PostgreSQL (skipped: set DATABASE_URL=postgres://… to run)";

const USER = "svc.subscriptions";
const PASSWORD = "Subscriptions-Pa55!";

interface RecordsChanged {
  recordsChanged: { table: string; sysIds: string[]; operation: string; syncRunId: string | null };
}

const QUERY = `subscription($tables: [String!]) {
  recordsChanged(tables: $tables) { table sysIds operation syncRunId }
}`;

const incidentSysIds = (subscriber: Subscriber<RecordsChanged>, operation = "INSERT") =>
  new Set(
    subscriber.events
      .map((event) => event.recordsChanged)
      .filter((change) => change.table === "incident" && change.operation === operation)
      .flatMap((change) => change.sysIds),
  );

describeOnPostgres(TITLE, () => {
  let simulator: Simulator;
  let database: TestDatabase;
  let replicas: TestGateway[];
  let integrationId: string;

  beforeAll(async () => {
    simulator = createSimulator();
    simulator.addUser({ userName: USER, password: PASSWORD, timeZone: "UTC" });
    simulator.generate({
      seed: 51,
      groups: 3,
      users: 20,
      incidents: 700,
      changes: 5,
      approvalsPerChange: 1,
      journalPerRecord: 0,
    });
    const { url } = await simulator.start();
    database = await createTestDatabase();
    replicas = [];
    // Pages of 500 sys_ids (~17 KB) do not fit in one NOTIFY payload: they travel in parts.
    replicas.push(await startTestGatewayOn(database.config, { env: { SYNC_PAGE_SIZE: "500" } }));
    replicas.push(await startTestGatewayOn(database.config, { env: { SYNC_PAGE_SIZE: "500" } }));
    integrationId = await createSimulatorIntegration(graphqlOf(replicas[0]), {
      name: "replicated",
      url,
      username: USER,
      password: PASSWORD,
    });
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) {
      await replica.stop();
    }
    await database?.drop();
    await simulator?.stop();
  });

  it("delivers a sync on one replica to subscribers on both", async () => {
    const [here, there] = replicas.map((replica, index) =>
      subscribe<RecordsChanged>(
        replica.gateway.graphqlUrl,
        index === 0 ? ADMIN_TOKEN : VIEWER_TOKEN,
        QUERY,
        { tables: ["incident"] },
      ),
    );
    await waitFor(() =>
      replicas.every((replica) => replica.gateway.recordChanges.listenerCount === 1),
    );
    const started = await startSync(graphqlOf(replicas[0]), integrationId, true);
    await replicas[0].gateway.syncService.waitFor(integrationId);
    const all = new Set(simulator.all("incident").map((record) => record.sys_id));
    await here.until(() => incidentSysIds(here).size === all.size);
    await there.until(() => incidentSysIds(there).size === all.size);
    expect(incidentSysIds(here)).toEqual(all);
    expect(incidentSysIds(there)).toEqual(all);
    // Here one event per page; there the same pages in parts, never a sys_id twice.
    expect(here.events).toHaveLength(2);
    expect(there.events.length).toBeGreaterThan(2);
    const received = there.events.flatMap((event) => event.recordsChanged.sysIds);
    expect(received).toHaveLength(all.size);
    expect(there.events.every((event) => event.recordsChanged.syncRunId === started.id)).toBe(true);
    expect(here.errors).toEqual([]);
    expect(there.errors).toEqual([]);
    await here.dispose();
    await there.dispose();
  });

  it("listens again after its LISTEN connection is lost", async () => {
    const there = subscribe<RecordsChanged>(replicas[1].gateway.graphqlUrl, ADMIN_TOKEN, QUERY, {
      tables: ["incident"],
    });
    await waitFor(() => replicas[1].gateway.recordChanges.listenerCount === 1);
    if (database.config.kind !== "postgres") {
      throw new Error("a PostgreSQL test database was expected");
    }
    // On the test schema's search_path: only this file's two replicas listen on its channel.
    const admin = new Client({ connectionString: database.config.url });
    await admin.connect();
    try {
      const {
        rows: [{ schema }],
      } = await admin.query<{ schema: string }>("SELECT current_schema() AS schema");
      const listening = async () =>
        (
          await admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()",
            [`LISTEN "${channelOf(schema)}"`],
          )
        ).rows.map((row) => row.pid);
      const before = await listening();
      expect(before).toHaveLength(2);
      await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [before]);
      let again: number[] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        again = (await listening()).filter((pid) => !before.includes(pid));
        if (again.length >= 2) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(again).toHaveLength(2);
    } finally {
      await admin.end();
    }
    const sysId = "f".repeat(32);
    replicas[0].gateway.recordChanges.publish({
      integrationId,
      table: "incident",
      sysIds: [sysId],
      operation: "UPDATE",
      source: "WEBHOOK",
      syncRunId: null,
      committedAt: new Date(),
    });
    await there.until(() => incidentSysIds(there, "UPDATE").has(sysId));
    await there.dispose();
  });
});
