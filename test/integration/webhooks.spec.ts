import { createHmac } from "node:crypto";
import http from "node:http";

import { recordEntityClassOf } from "../../src/database/entities";
import { createLogger } from "../../src/logging/logger";
import { INCIDENT_TABLE } from "../../src/modules/incidents/incident.table";
import { JOURNAL_ENTRY_TABLE } from "../../src/modules/journal-entries/journal-entry.table";
import type { RecordChange } from "../../src/modules/record-changes/record-change.event";
import { WebhookSecret } from "../../src/modules/webhooks/webhook-secret.entity";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { subscribe } from "../support/subscription-client";
import {
  SIM_PASSWORD,
  SIM_USER,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";
import { VIEWER_TOKEN } from "../support/test-gateway";

const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhookUrl createdAt } }`;
const FRESHNESS = `query($id: ID!) { integration(id: $id) { freshness lastWebhookAt lastSyncedAt } }`;
const GRACE_SECONDS = 1;

let harness: SyncHarness;
let secret: string;
let webhookUrl: string;
const logLines: string[] = [];
const answers: string[] = [];

interface Notification {
  table: string;
  sys_id: string;
  operation: "insert" | "update" | "delete";
  sys_updated_on?: string;
}

function signed(
  body: string,
  options: { secret?: string; timestamp?: number } = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", options.secret ?? secret)
    .update(`${timestamp}.${body}`)
    .digest("hex");
  return {
    "content-type": "application/json",
    "x-gateway-timestamp": timestamp,
    "x-gateway-signature": `sha256=${signature}`,
  };
}

/** Keep-alive connections, as ServiceNow's outbound REST pool reuses them. */
const sender = new http.Agent({ keepAlive: true, maxSockets: 32 });

interface Answer {
  status: number;
  body: { accepted?: number; error?: { code: string; field?: string } };
}

function post(body: string, headers: Record<string, string>, url = webhookUrl): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers, agent: sender }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        answers.push(text);
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer["body"] });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function notify(
  notification: Notification | Notification[],
  options: { secret?: string; timestamp?: number } = {},
) {
  const body = JSON.stringify(notification);
  return post(body, signed(body, options));
}

const incidents = () =>
  harness.gateway.gateway.dataSource.getRepository(recordEntityClassOf(INCIDENT_TABLE));
const journal = () =>
  harness.gateway.gateway.dataSource.getRepository(recordEntityClassOf(JOURNAL_ENTRY_TABLE));

const cachedIncident = (sysId: string) =>
  incidents().findOneBy({ integrationId: harness.integrationId, sysId });

/** Resolves with the first published change that `matches`. */
function nextChange(matches: (change: RecordChange) => boolean): Promise<RecordChange> {
  return new Promise((resolve) => {
    const stop = harness.gateway.gateway.recordChanges.subscribe((change) => {
      if (matches(change)) {
        stop();
        resolve(change);
      }
    });
  });
}

async function settled(): Promise<void> {
  await harness.simulator.webhooks.idle();
  // A notification just accepted joins a group that is flushed 50 ms later at the earliest.
  await new Promise((resolve) => setTimeout(resolve, 80));
  await harness.gateway.gateway.webhooks.idle();
}

const syncRuns = () =>
  harness.gateway.gateway.dataSource
    .getRepository(SyncRun)
    .countBy({ integrationId: harness.integrationId });

/** Incidents of the simulator, in a stable order. */
const simIncidents = () =>
  harness.simulator.all("incident").sort((a, b) => (a.sys_id < b.sys_id ? -1 : 1));

beforeAll(async () => {
  harness = await startSyncHarness({
    dataset: { seed: 11, groups: 3, users: 20, incidents: 1100, changes: 5, journalPerRecord: 1 },
    env: { WEBHOOK_SECRET_GRACE_SECONDS: String(GRACE_SECONDS) },
    roles: ["itil"],
    logger: createLogger("debug", {
      write(line: string) {
        logLines.push(line);
      },
    }),
  });
  const run = await harness.sync();
  expect(run.status).toBe("SUCCEEDED");
  const rotated = await harness.gateway.graphql<{
    rotateWebhookSecret: { secret: string; webhookUrl: string };
  }>(ROTATE, { id: harness.integrationId });
  answers.push(JSON.stringify(rotated.body));
  expect(rotated.body.errors).toBeUndefined();
  secret = rotated.body.data!.rotateWebhookSecret.secret;
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  const path = `/webhooks/servicenow/${harness.integrationId}`;
  expect(rotated.body.data!.rotateWebhookSecret.webhookUrl.endsWith(path)).toBe(true);
  // PUBLIC_URL is not the random test port: post to the gateway's own address.
  webhookUrl = `${harness.gateway.gateway.url}${path}`;
}, 120_000);

afterAll(async () => {
  sender.destroy();
  await harness?.stop();
});

describe("ServiceNow webhooks", () => {
  it("updates the cache from a signed notification and publishes a WEBHOOK change, without a sync run", async () => {
    const [target] = simIncidents();
    const runsBefore = await syncRuns();
    const updated = harness.simulator.update("incident", target.sys_id, {
      short_description: "Pushed by a business rule",
    });
    const published = nextChange((change) => change.sysIds.includes(target.sys_id));

    const answer = await notify({
      table: "incident",
      sys_id: target.sys_id,
      operation: "update",
      sys_updated_on: updated.sys_updated_on,
    });

    expect(answer).toEqual({ status: 202, body: { accepted: 1 } });
    const change = await published;
    expect(change).toMatchObject({
      integrationId: harness.integrationId,
      table: "incident",
      operation: "UPDATE",
      source: "WEBHOOK",
      syncRunId: null,
    });
    expect((await cachedIncident(target.sys_id))?.shortDescription).toBe(
      "Pushed by a business rule",
    );
    expect(await syncRuns()).toBe(runsBefore);
    const freshness = await harness.gateway.graphql<{
      integration: { freshness: string; lastWebhookAt: string | null; lastSyncedAt: string };
    }>(FRESHNESS, { id: harness.integrationId });
    expect(freshness.body.data?.integration.freshness).toBe("WEBHOOK");
    const last = Date.parse(freshness.body.data!.integration.lastWebhookAt!);
    expect(Date.now() - last).toBeLessThan(60_000);
  });

  it("refuses a bad signature, a timestamp six minutes old and a replay with 401, changing nothing", async () => {
    const [, target] = simIncidents();
    const before = await cachedIncident(target.sys_id);
    harness.simulator.update("incident", target.sys_id, { short_description: "Forged change" });
    const notification: Notification = {
      table: "incident",
      sys_id: target.sys_id,
      operation: "update",
    };
    const body = JSON.stringify(notification);

    const forged = await post(body, signed(body, { secret: "0".repeat(64) }));
    const unsigned = await post(body, { "content-type": "application/json" });
    const old = await notify(notification, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    await settled();

    expect(forged).toMatchObject({
      status: 401,
      body: { error: { code: "WEBHOOK_SIGNATURE_INVALID" } },
    });
    expect(unsigned).toMatchObject({
      status: 401,
      body: { error: { code: "WEBHOOK_SIGNATURE_INVALID" } },
    });
    expect(old).toMatchObject({
      status: 401,
      body: { error: { code: "WEBHOOK_TIMESTAMP_STALE" } },
    });
    expect((await cachedIncident(target.sys_id))?.shortDescription).toBe(before?.shortDescription);

    const headers = signed(body);
    expect((await post(body, headers)).status).toBe(202);
    await settled();
    expect((await cachedIncident(target.sys_id))?.shortDescription).toBe("Forged change");
    harness.simulator.update("incident", target.sys_id, { short_description: "Changed again" });
    const replay = await post(body, headers);
    await settled();

    expect(replay).toMatchObject({ status: 401, body: { error: { code: "WEBHOOK_REPLAYED" } } });
    expect((await cachedIncident(target.sys_id))?.shortDescription).toBe("Forged change");
    const metrics = await (await fetch(`${harness.gateway.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_webhook_notifications_total\{outcome="bad_signature"\} 2/);
    expect(metrics).toMatch(/gateway_webhook_notifications_total\{outcome="stale_timestamp"\} 1/);
    expect(metrics).toMatch(/gateway_webhook_notifications_total\{outcome="replay"\} 1/);
  });

  it("answers 404 for an unknown integration and 400 naming the field of a malformed body", async () => {
    const unknown = await post(
      "{}",
      signed("{}"),
      `${harness.gateway.gateway.url}/webhooks/servicenow/00000000-0000-4000-8000-000000000000`,
    );
    const table = await notify({ table: "cmdb_ci", sys_id: "abc", operation: "update" });
    const operation = await notify([
      { table: "incident", sys_id: simIncidents()[2].sys_id, operation: "update" },
      { table: "incident", sys_id: "abc", operation: "upsert" as "update" },
    ]);
    const json = await post("{not json", signed("{not json"));

    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: "WEBHOOK_INTEGRATION_UNKNOWN" } },
    });
    expect(table).toMatchObject({
      status: 400,
      body: { error: { code: "WEBHOOK_BAD_REQUEST", field: "table" } },
    });
    expect(operation).toMatchObject({ status: 400, body: { error: { field: "[1].operation" } } });
    expect(json).toMatchObject({ status: 400, body: { error: { field: "body" } } });
  });

  it("turns a burst of 1,000 notifications into at most 20 Table API requests, all records fresh", async () => {
    const targets = simIncidents().slice(10, 1010);
    // Warm-up: the table's dictionary fields are read once per 10 minutes, not per burst.
    await notify({ table: "incident", sys_id: simIncidents()[1050].sys_id, operation: "update" });
    await settled();
    for (const [index, record] of targets.entries()) {
      harness.simulator.update("incident", record.sys_id, { short_description: `Burst ${index}` });
    }
    harness.simulator.resetTableRequestCounts();

    const answers = await Promise.all(
      targets.map((record) =>
        notify({ table: "incident", sys_id: record.sys_id, operation: "update" }),
      ),
    );
    await settled();

    expect(answers.filter((answer) => answer.status !== 202).slice(0, 3)).toEqual([]);
    const counts = harness.simulator.tableRequestCounts();
    const requests = Object.values(counts).reduce((sum, count) => sum + count, 0);
    expect(requests).toBeLessThanOrEqual(20);
    const rows = await incidents().findBy({ integrationId: harness.integrationId });
    const byId = new Map(rows.map((row) => [row.sysId, row]));
    const stale = targets.filter(
      (record, index) => byId.get(record.sys_id)?.shortDescription !== `Burst ${index}`,
    );
    expect(stale).toEqual([]);
  }, 60_000);

  it("deletes a record ServiceNow no longer has and emits DELETE, and keeps one it still has", async () => {
    const [gone, alive] = simIncidents().slice(1020, 1022);
    harness.simulator.delete("incident", gone.sys_id);
    const deleted = nextChange(
      (change) => change.operation === "DELETE" && change.sysIds.includes(gone.sys_id),
    );
    const published: RecordChange[] = [];
    const stop = harness.gateway.gateway.recordChanges.subscribe((change) =>
      published.push(change),
    );

    expect(
      (await notify({ table: "incident", sys_id: gone.sys_id, operation: "delete" })).status,
    ).toBe(202);
    expect(
      (await notify({ table: "incident", sys_id: alive.sys_id, operation: "delete" })).status,
    ).toBe(202);
    await deleted;
    await settled();
    stop();

    expect(await cachedIncident(gone.sys_id)).toBeNull();
    expect(await cachedIncident(alive.sys_id)).not.toBeNull();
    expect(
      published.some(
        (change) => change.operation === "DELETE" && change.sysIds.includes(alive.sys_id),
      ),
    ).toBe(false);
  });

  it("never overwrites a cached record with an older version of it (a fetch that lost a race)", async () => {
    const [target] = simIncidents().slice(1025);
    // As if a sync page had just committed a newer version than the one the fetch will see.
    const later = new Date(Date.now() + 60_000);
    await incidents().update(
      { integrationId: harness.integrationId, sysId: target.sys_id },
      { sysUpdatedOn: later, shortDescription: "Newer, from the sync" },
    );
    harness.simulator.update("incident", target.sys_id, { short_description: "Older fetch" });

    expect(
      (await notify({ table: "incident", sys_id: target.sys_id, operation: "update" })).status,
    ).toBe(202);
    await settled();

    expect((await cachedIncident(target.sys_id))?.shortDescription).toBe("Newer, from the sync");
  });

  it("keeps the previous secret valid within the grace after a rotation, never showing a secret elsewhere", async () => {
    const [target] = simIncidents();
    const rotated = await harness.gateway.graphql<{ rotateWebhookSecret: { secret: string } }>(
      ROTATE,
      { id: harness.integrationId },
    );
    answers.push(JSON.stringify(rotated.body));
    const previous = secret;
    const current = rotated.body.data!.rotateWebhookSecret.secret;
    expect(current).not.toBe(previous);
    const notification: Notification = {
      table: "incident",
      sys_id: target.sys_id,
      operation: "update",
    };

    expect((await notify(notification, { secret: previous })).status).toBe(202);
    expect((await notify([notification, notification], { secret: current })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 200));
    const expired = await notify(notification, { secret: previous });
    expect(expired).toMatchObject({
      status: 401,
      body: { error: { code: "WEBHOOK_SIGNATURE_INVALID" } },
    });
    expect((await notify(notification, { secret: current })).status).toBe(202);
    secret = current;
    await settled();

    const viewerish = await harness.gateway.graphql(
      `{ integrations { id name url freshness lastWebhookAt lastSyncedAt hasCredentials oauthRedirectUrl excludedFields { table fields } } }`,
    );
    const refused = await harness.gateway.graphql(ROTATE, { id: "not-an-id" });
    answers.push(JSON.stringify(viewerish.body), JSON.stringify(refused.body));
    const stored = await harness.gateway.gateway.dataSource
      .getRepository(WebhookSecret)
      .findOneByOrFail({ integrationId: harness.integrationId });
    const everywhere = `${logLines.join("")}\n${JSON.stringify(stored)}\n${answers
      .filter((answer) => !answer.includes("rotateWebhookSecret"))
      .join("\n")}`;
    expect(logLines.length).toBeGreaterThan(20);
    for (const shown of [previous, current]) {
      expect(everywhere.includes(shown)).toBe(false);
    }
  });

  it("carries the simulator's own writes through its business rule to the webhook and the cache", async () => {
    const [target] = simIncidents().slice(1030);
    harness.simulator.configureWebhook({ url: webhookUrl, secret });
    try {
      const published = nextChange(
        (change) => change.table === "incident" && change.sysIds.includes(target.sys_id),
      );
      const journaled = nextChange(
        (change) => change.table === "sys_journal_field" && change.operation === "INSERT",
      );
      // A Table API write, as any ServiceNow client makes it.
      const response = await fetch(
        `${harness.simulatorUrl}/api/now/table/incident/${target.sys_id}`,
        {
          method: "PATCH",
          headers: {
            "content-type": "application/json",
            authorization: `Basic ${Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString("base64")}`,
          },
          body: JSON.stringify({ short_description: "Edited in ServiceNow", comments: "On it" }),
        },
      );
      expect(response.status).toBe(200);
      const started = Date.now();
      await Promise.all([published, journaled]);
      expect(Date.now() - started).toBeLessThan(1000);

      expect((await cachedIncident(target.sys_id))?.shortDescription).toBe("Edited in ServiceNow");
      const entries = await journal().findBy({
        integrationId: harness.integrationId,
        elementSysId: target.sys_id,
      });
      expect(entries.map((entry) => entry.value)).toContain("On it");
      expect(harness.simulator.webhooks.status).toMatchObject({ failed: 0 });
    } finally {
      harness.simulator.configureWebhook(null);
    }
  });

  it("brings a simulator write to a viewer's recordsChanged subscription within 1 s, as a WEBHOOK change", async () => {
    const [target] = simIncidents().slice(1035);
    const bus = harness.gateway.gateway.recordChanges;
    const before = bus.listenerCount;
    const subscriber = subscribe<{
      recordsChanged: {
        sysIds: string[];
        operation: string;
        source: string;
        syncRunId: string | null;
      };
    }>(
      harness.gateway.gateway.graphqlUrl,
      VIEWER_TOKEN,
      `subscription($id: ID, $tables: [String!]) {
        recordsChanged(integrationId: $id, tables: $tables) { sysIds operation source syncRunId }
      }`,
      { id: harness.integrationId, tables: ["incident"] },
    );
    harness.simulator.configureWebhook({ url: webhookUrl, secret });
    try {
      while (bus.listenerCount === before) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const written = Date.now();
      harness.simulator.update("incident", target.sys_id, { short_description: "Seen live" });
      const events = await subscriber.until(
        (received) => received.some((event) => event.recordsChanged.sysIds.includes(target.sys_id)),
        1000,
      );

      expect(Date.now() - written).toBeLessThan(1000);
      expect(events.map((event) => event.recordsChanged)).toContainEqual({
        sysIds: [target.sys_id],
        operation: "UPDATE",
        source: "WEBHOOK",
        syncRunId: null,
      });
    } finally {
      harness.simulator.configureWebhook(null);
      await subscriber.dispose();
    }
  });

  it("does not store excluded fields that arrive by webhook", async () => {
    const excluded = await harness.gateway.graphql(
      `mutation($id: ID!, $input: UpdateIntegrationInput!) { updateIntegration(id: $id, input: $input) { id } }`,
      {
        id: harness.integrationId,
        input: { excludedFields: [{ table: "incident", fields: ["description", "work_notes"] }] },
      },
    );
    expect(excluded.body.errors).toBeUndefined();
    const [target] = simIncidents().slice(1040);
    harness.simulator.update("incident", target.sys_id, {
      description: "Root password is hunter2",
      short_description: "Visible change",
    });
    harness.simulator.insert("sys_journal_field", {
      element_id: target.sys_id,
      name: "incident",
      element: "work_notes",
      value: "Internal only",
    });

    expect(
      (await notify({ table: "incident", sys_id: target.sys_id, operation: "update" })).status,
    ).toBe(202);
    await settled();

    const row = await cachedIncident(target.sys_id);
    expect(row?.shortDescription).toBe("Visible change");
    expect(row?.description).toBeNull();
    expect(JSON.stringify(row?.attributes)).not.toContain("hunter2");
    const entries = await journal().findBy({
      integrationId: harness.integrationId,
      elementSysId: target.sys_id,
    });
    expect(entries.map((entry) => entry.value)).not.toContain("Internal only");
  });
});
