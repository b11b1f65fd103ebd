import path from "node:path";
import { performance } from "node:perf_hooks";

import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

import { BENCH_ADMIN_TOKEN, benchGraphql } from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { formatMs, percentile } from "../support/stats";
import { checked, compileSyncChild, startSimulator, startSyncChild } from "../sync/sync.bench";
import type { SimulatorSizes, SyncResult } from "../sync/sync-bench.types";

/**
 * Push freshness (issue #11): a change made in the simulator, whose business rule posts the
 * signed notification to the gateway's webhook, until a `recordsChanged` subscriber on the
 * gateway's WebSocket receives it (WEBHOOK source). 100 changes one after another, each timed
 * from just before the simulator's write to the event's arrival, so the figure holds the
 * coalescer's quiet window, the targeted Table API fetch, the upsert and the delivery.
 * Simulator, gateway and subscriber are three processes on loopback.
 */

export interface WebhooksBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const CHANGES = 100;
const P99_TARGET_MS = 1_000;
const EVENT_TIMEOUT_MS = 10_000;

export async function webhooksBench(
  report: BenchReport,
  options: WebhooksBenchOptions,
): Promise<void> {
  const sizes: SimulatorSizes = { incidents: 1_000, changes: 100, users: 100, groups: 10 };
  const syncChild = compileSyncChild(options.workDir);
  const simulator = await startSimulator(sizes);
  try {
    const gateway = await startSyncChild(
      syncChild,
      simulator,
      path.join(options.workDir, "webhooks.sqlite"),
    );
    try {
      checked(await gateway.request<SyncResult>("sync", true));
      const graphqlUrl = gateway.ready.graphqlUrl;
      const { integrations } = await benchGraphql<{ integrations: Array<{ id: string }> }>(
        graphqlUrl,
        "{ integrations { id } }",
      );
      const integrationId = integrations[0].id;
      const { rotateWebhookSecret } = await benchGraphql<{
        rotateWebhookSecret: { secret: string };
      }>(graphqlUrl, "mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret } }", {
        id: integrationId,
      });
      // The gateway listens on a random port: its public URL setting does not know it.
      const webhookUrl = `${new URL(graphqlUrl).origin}/webhooks/servicenow/${integrationId}`;
      await simulatorControl(simulator.ready.url, "POST", "webhook", {
        url: webhookUrl,
        secret: rotateWebhookSecret.secret,
        tables: ["incident"],
      });
      const incidents = (
        await simulatorControl<{ result: Array<{ sys_id: string }> }>(
          simulator.ready.url,
          "GET",
          "records/incident",
        )
      ).result.slice(0, CHANGES);

      const sysIds = incidents.map((incident) => incident.sys_id);
      const latencies = await measureChanges(graphqlUrl, integrationId, sysIds, (sysId, index) =>
        simulatorControl(simulator.ready.url, "PATCH", `records/incident/${sysId}`, {
          short_description: `Changed for the webhook bench (${index})`,
        }),
      );
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      progress("webhooks", `change → subscription: p50 ${formatMs(p50)}, p99 ${formatMs(p99)}`);
      report.add({
        bench: "webhooks",
        name: "simulator change → subscription event, p99 (ms)",
        measured: p99.toFixed(0),
        target: `≤ ${P99_TARGET_MS}`,
        pass: p99 <= P99_TARGET_MS,
        detail: `p50 ${formatMs(p50)}, p99 ${formatMs(p99)}, max ${formatMs(Math.max(...latencies))} over ${latencies.length} changes, one at a time (business rule → signed POST → 50 ms quiet window → sys_idIN fetch → upsert → recordsChanged over graphql-ws)`,
      });
    } finally {
      await gateway.stop();
    }
  } finally {
    await simulator.stop();
  }
}

/** Changes each record in turn and waits for its WEBHOOK event on `recordsChanged`. */
async function measureChanges(
  graphqlUrl: string,
  integrationId: string,
  sysIds: readonly string[],
  change: (sysId: string, index: number) => Promise<unknown>,
): Promise<number[]> {
  const client: Client = createClient({
    url: graphqlUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    retryAttempts: 0,
  });
  const waiting = new Map<string, (at: number) => void>();
  let failure: unknown = null;
  const subscribed = new Promise<void>((resolve) => {
    client.on("connected", () => resolve());
  });
  const unsubscribe = client.subscribe<{
    recordsChanged: { sysIds: string[]; source: string };
  }>(
    {
      query: `subscription ($id: ID!) {
        recordsChanged(integrationId: $id, tables: ["incident"]) { sysIds source }
      }`,
      variables: { id: integrationId },
    },
    {
      next: ({ data }) => {
        const at = performance.now();
        if (data?.recordsChanged.source !== "WEBHOOK") {
          return;
        }
        for (const sysId of data.recordsChanged.sysIds) {
          waiting.get(sysId)?.(at);
        }
      },
      error: (error) => {
        failure = error;
      },
      complete: () => undefined,
    },
  );
  try {
    await subscribed;
    // Let the subscription register on the gateway before the first change.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const latencies: number[] = [];
    for (let index = 0; index < CHANGES; index += 1) {
      if (failure !== null) {
        throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      }
      const sysId = sysIds[index % sysIds.length];
      const started = performance.now();
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no WEBHOOK event within ${EVENT_TIMEOUT_MS} ms`)),
          EVENT_TIMEOUT_MS,
        );
        waiting.set(sysId, (at) => {
          clearTimeout(timer);
          waiting.delete(sysId);
          resolve(at);
        });
        change(sysId, index).catch(reject);
      });
      latencies.push((await arrived) - started);
    }
    return latencies;
  } finally {
    unsubscribe();
    await client.dispose();
  }
}

async function simulatorControl<T = unknown>(
  simulatorUrl: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${simulatorUrl}/__sim/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    throw new Error(`simulator ${method} ${route}: ${response.status} ${await response.text()}`);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}
