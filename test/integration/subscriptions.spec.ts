import WebSocket from "ws";

import { subscribe, subscriptionUrl, waitFor } from "../support/subscription-client";
import { startSyncHarness, type SyncHarness } from "../support/sync-harness";
import {
  ADMIN_TOKEN,
  startTestGateway,
  type TestGateway,
  VIEWER_TOKEN,
} from "../support/test-gateway";

interface RecordsChanged {
  recordsChanged: {
    integrationId: string;
    table: string;
    sysIds: string[];
    operation: "INSERT" | "UPDATE" | "DELETE";
    source: "SYNC" | "WEBHOOK";
    syncRunId: string | null;
    committedAt: string;
  };
}

interface IncidentChanged {
  incidentChanged: {
    sysId: string;
    number: string;
    urgency: number;
    assignedToSysId: string | null;
    assignedTo: { sysId: string; userName: string } | null;
    integration: { id: string };
  };
}

const RECORDS_CHANGED = `subscription($integrationId: ID, $tables: [String!]) {
  recordsChanged(integrationId: $integrationId, tables: $tables) {
    integrationId table sysIds operation source syncRunId committedAt
  }
}`;

const sysIdsOf = (events: readonly RecordsChanged[], operation: string, table = "incident") =>
  new Set(
    events
      .map((event) => event.recordsChanged)
      .filter((change) => change.operation === operation && change.table === table)
      .flatMap((change) => change.sysIds),
  );

describe("subscriptions to record changes over graphql-ws", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: {
        seed: 41,
        groups: 3,
        users: 20,
        incidents: 120,
        changes: 10,
        approvalsPerChange: 1,
        journalPerRecord: 1,
      },
      // Several incident pages per run; the lowest cost limit, for the limits test.
      env: { SYNC_PAGE_SIZE: "50", GRAPHQL_MAX_COST: "100" },
    });
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const listeners = () => harness.gateway.gateway.recordChanges.listenerCount;

  it("delivers a sync run's pages to recordsChanged subscribers: INSERT on the first run, UPDATE after a change, filtered by tables", async () => {
    const before = listeners();
    const incidents = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      VIEWER_TOKEN,
      RECORDS_CHANGED,
      { integrationId: harness.integrationId, tables: ["incident"] },
    );
    const everything = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      ADMIN_TOKEN,
      RECORDS_CHANGED,
    );
    await waitFor(() => listeners() === before + 2);

    const first = await harness.sync(true);
    expect(first.status).toBe("SUCCEEDED");
    const all = new Set(harness.simulator.all("incident").map((record) => record.sys_id));
    await incidents.until((events) => sysIdsOf(events, "INSERT").size === all.size);
    expect(sysIdsOf(incidents.events, "INSERT")).toEqual(all);
    for (const { recordsChanged: change } of incidents.events) {
      expect(change).toMatchObject({
        integrationId: harness.integrationId,
        table: "incident",
        operation: "INSERT",
        source: "SYNC",
        syncRunId: first.id,
      });
      expect(Number.isNaN(Date.parse(change.committedAt))).toBe(false);
    }
    // One event per committed page (50 rows a page).
    expect(incidents.events.length).toBe(Math.ceil(all.size / 50));
    await everything.until((events) =>
      ["sys_user", "sys_user_group", "change_request"].every(
        (table) => sysIdsOf(events, "INSERT", table).size > 0,
      ),
    );
    expect(incidents.errors).toEqual([]);

    const edited = harness.simulator.all("incident").slice(0, 2);
    for (const record of edited) {
      harness.simulator.update("incident", record.sys_id, { short_description: "edited" });
    }
    incidents.events.length = 0;
    const second = await harness.sync(false);
    expect(second.status).toBe("SUCCEEDED");
    await incidents.until((events) =>
      edited.every((record) => sysIdsOf(events, "UPDATE").has(record.sys_id)),
    );
    expect(sysIdsOf(incidents.events, "INSERT").size).toBe(0);
    expect(incidents.events.every((event) => event.recordsChanged.syncRunId === second.id)).toBe(
      true,
    );
    expect(incidents.events.every((event) => event.recordsChanged.table === "incident")).toBe(true);
    await incidents.dispose();
    await everything.dispose();
    await waitFor(() => listeners() === before);
  });

  it("emits DELETE for records a sync finds deleted", async () => {
    const before = listeners();
    const subscriber = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      ADMIN_TOKEN,
      RECORDS_CHANGED,
      { tables: ["incident"] },
    );
    await waitFor(() => listeners() === before + 1);
    const deleted = harness.simulator
      .all("incident")
      .slice(-2)
      .map((record) => record.sys_id);
    for (const sysId of deleted) {
      harness.simulator.delete("incident", sysId);
    }
    const run = await harness.sync(false);
    expect(run.tables.find((table) => table.table === "incident")?.deleted).toBe(2);
    await subscriber.until((events) => sysIdsOf(events, "DELETE").size === 2);
    expect(sysIdsOf(subscriber.events, "DELETE")).toEqual(new Set(deleted));
    await subscriber.dispose();
    await waitFor(() => listeners() === before);
  });

  it("emits through incidentChanged only the changed incidents that match its filter, nested fields resolved", async () => {
    const before = listeners();
    const subscriber = subscribe<IncidentChanged>(
      harness.gateway.gateway.graphqlUrl,
      VIEWER_TOKEN,
      `subscription($filter: IncidentFilter) {
        incidentChanged(filter: $filter) {
          sysId number urgency assignedToSysId assignedTo { sysId userName } integration { id }
        }
      }`,
      { filter: { urgency: [1] } },
    );
    await waitFor(() => listeners() === before + 1);
    const user = harness.simulator.all("sys_user")[0];
    const [urgent, alsoUrgent, calm] = harness.simulator.all("incident").slice(10, 13);
    harness.simulator.update("incident", urgent.sys_id, { urgency: 1, assigned_to: user.sys_id });
    harness.simulator.update("incident", alsoUrgent.sys_id, { urgency: 1 });
    harness.simulator.update("incident", calm.sys_id, { urgency: 3 });
    await harness.sync(false);
    await subscriber.until((events) => {
      const seen = new Set(events.map((event) => event.incidentChanged.sysId));
      return seen.has(urgent.sys_id) && seen.has(alsoUrgent.sys_id);
    });
    expect(subscriber.errors).toEqual([]);
    const emitted = subscriber.events.map((event) => event.incidentChanged);
    expect(emitted.every((incident) => incident.urgency === 1)).toBe(true);
    expect(emitted.map((incident) => incident.sysId)).not.toContain(calm.sys_id);
    const assigned = emitted.find((incident) => incident.sysId === urgent.sys_id);
    expect(assigned?.assignedTo).toEqual({ sysId: user.sys_id, userName: user.user_name });
    expect(assigned?.integration.id).toBe(harness.integrationId);
    for (const incident of emitted) {
      expect(incident.assignedTo?.sysId ?? null).toBe(incident.assignedToSysId);
    }
    await subscriber.dispose();
    await waitFor(() => listeners() === before);
  });

  it("ends an incidentChanged subscription with an error when its records cannot be read, letting its queue go", async () => {
    const before = listeners();
    const subscriber = subscribe<IncidentChanged>(
      harness.gateway.gateway.graphqlUrl,
      ADMIN_TOKEN,
      "subscription { incidentChanged { sysId } }",
    );
    await waitFor(() => listeners() === before + 1);
    const { dataSource } = harness.gateway.gateway;
    // The table is away for a moment: the read fails in the database itself.
    await dataSource.query('ALTER TABLE "incident" RENAME TO "incident_away"');
    try {
      harness.gateway.gateway.recordChanges.publish({
        integrationId: harness.integrationId,
        table: "incident",
        sysIds: [harness.simulator.all("incident")[0].sys_id],
        operation: "UPDATE",
        source: "WEBHOOK",
        syncRunId: null,
        committedAt: new Date(),
      });
      await waitFor(() => subscriber.errors.length > 0);
    } finally {
      await dataSource.query('ALTER TABLE "incident_away" RENAME TO "incident"');
    }
    expect(subscriber.errors[0]).toMatchObject({
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    await waitFor(() => listeners() === before);
    await subscriber.dispose();
  });

  it("refuses unknown table names with BAD_USER_INPUT naming the tables argument", async () => {
    const subscriber = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      ADMIN_TOKEN,
      RECORDS_CHANGED,
      { tables: ["incident", "incidnet"] },
    );
    await waitFor(() => subscriber.errors.length > 0);
    expect(subscriber.errors[0]).toMatchObject({
      message: expect.stringContaining('"incidnet"'),
      extensions: { code: "BAD_USER_INPUT", field: "tables" },
    });
    await subscriber.dispose();
  });

  it("applies the HTTP limits to subscriptions and serves only subscriptions over the socket", async () => {
    const url = harness.gateway.gateway.graphqlUrl;
    const refusal = async (query: string) => {
      const subscriber = subscribe(url, ADMIN_TOKEN, query);
      await waitFor(() => subscriber.errors.length > 0);
      await subscriber.dispose();
      return (subscriber.errors[0] as { extensions?: { code?: string } }).extensions?.code;
    };
    const managers = "manager { ".repeat(11) + "sysId" + " }".repeat(11);
    expect(await refusal(`subscription { incidentChanged { caller { ${managers} } } }`)).toBe(
      "QUERY_TOO_DEEP",
    );
    expect(await refusal("subscription { incidentChanged { noSuchField } }")).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    expect(await refusal("subscription { incidentChanged {")).toBe("GRAPHQL_PARSE_FAILED");
    expect(
      await refusal(
        "subscription { incidentChanged { updates(first: 100) { sysId } assignedTo { sysId } } }",
      ),
    ).toBe("QUERY_TOO_COSTLY");
    expect(await refusal("query { integrations { id } }")).toBe("BAD_REQUEST");
  });

  it("closes a connection with 4403 when its token is missing or wrong", async () => {
    const missing = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      null,
      RECORDS_CHANGED,
    );
    const wrong = subscribe<RecordsChanged>(
      harness.gateway.gateway.graphqlUrl,
      "not-a-token-of-ours",
      RECORDS_CHANGED,
    );
    expect((await missing.closed).code).toBe(4403);
    expect((await wrong.closed).code).toBe(4403);
    expect(missing.events).toEqual([]);
    expect(wrong.events).toEqual([]);
    await missing.dispose();
    await wrong.dispose();
  });
});

describe("a subscriber that does not keep up", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ subscriberQueueLimit: 20 });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("is closed with 4430 while the others keep receiving", async () => {
    const bus = gateway.gateway.recordChanges;
    const fast = subscribe<RecordsChanged>(
      gateway.gateway.graphqlUrl,
      ADMIN_TOKEN,
      RECORDS_CHANGED,
    );
    const slow = await pausedSubscriber(
      gateway.gateway.graphqlUrl,
      "subscription { recordsChanged { sysIds } }",
    );
    await waitFor(() => bus.listenerCount === 2);
    slow.socket.pause();

    // Large events, so the paused socket's kernel buffers fill and the server's sends stall.
    const sysIds = Array.from({ length: 4000 }, (_, index) => index.toString(16).padStart(32, "0"));
    let published = 0;
    while (bus.listenerCount === 2 && published < 2000) {
      bus.publish({
        integrationId: "00000000-0000-4000-8000-000000000000",
        table: "incident",
        sysIds,
        operation: "UPDATE",
        source: "WEBHOOK",
        syncRunId: null,
        committedAt: new Date(),
      });
      published += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(bus.listenerCount).toBe(1);
    slow.socket.resume();
    expect(await slow.closed).toEqual({ code: 4430, reason: "subscriber too slow" });

    await fast.until((events) => events.length === published, 30_000);
    bus.publish({
      integrationId: "00000000-0000-4000-8000-000000000000",
      table: "incident",
      sysIds: ["0".repeat(32)],
      operation: "DELETE",
      source: "WEBHOOK",
      syncRunId: null,
      committedAt: new Date(),
    });
    await fast.until((events) => events.length === published + 1);
    const metrics = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^gateway_subscribers_dropped_total 1$/m);
    expect(metrics).toMatch(/^gateway_subscribers 1$/m);
    await fast.dispose();
  }, 60_000);

  it("stops the gateway promptly even when a subscriber never answers the close frame", async () => {
    const bus = gateway.gateway.recordChanges;
    const stuck = await pausedSubscriber(
      gateway.gateway.graphqlUrl,
      "subscription { recordsChanged { sysIds } }",
    );
    await waitFor(() => bus.listenerCount === 1);
    stuck.socket.pause();
    const started = Date.now();
    await gateway.gateway.stop();
    // ws would otherwise wait 30 s for the handshake.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(bus.listenerCount).toBe(0);
    stuck.socket.resume();
    await stuck.closed;
  });
});

/** A raw graphql-ws connection, subscribed, whose socket the test pauses and resumes. */
async function pausedSubscriber(
  graphqlUrl: string,
  query: string,
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const socket = new WebSocket(subscriptionUrl(graphqlUrl), "graphql-transport-ws");
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const acknowledged = new Promise<void>((resolve) => socket.once("message", () => resolve()));
  socket.send(
    JSON.stringify({
      type: "connection_init",
      payload: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }),
  );
  await acknowledged;
  socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
  return { socket, closed };
}
