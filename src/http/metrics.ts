import type { ApolloServerPlugin } from "@apollo/server";
import { Router } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one gateway: process defaults plus GraphQL operations. */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new Counter({
    name: "gateway_graphql_operations_total",
    help: "GraphQL operations by type and outcome",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: "gateway_graphql_operation_seconds",
    help: "GraphQL operation duration",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly syncRuns = new Counter({
    name: "gateway_sync_runs_total",
    help: "Finished sync runs by status",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  private readonly syncRows = new Counter({
    name: "gateway_sync_rows_total",
    help: "Rows fetched, upserted and deleted by the sync, per ServiceNow table",
    labelNames: ["table", "action"] as const,
    registers: [this.registry],
  });
  private readonly syncDurations = new Histogram({
    name: "gateway_sync_run_seconds",
    help: "Sync run duration",
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  private readonly incidentWrites = new Counter({
    name: "gateway_incident_writes_total",
    help: "Incident write attempts (create, update, comment) by operation and outcome",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  private readonly subscribers = new Gauge({
    name: "gateway_subscribers",
    help: "Active GraphQL subscriptions (graphql-ws)",
    registers: [this.registry],
  });
  private readonly subscribersDropped = new Counter({
    name: "gateway_subscribers_dropped_total",
    help: "Subscribers closed (4430) because their queue of unsent events passed its limit",
    registers: [this.registry],
  });

  private readonly webhookNotifications = new Counter({
    name: "gateway_webhook_notifications_total",
    help: "ServiceNow webhook notifications by outcome (accepted, bad_signature, stale_timestamp, replay, unknown_integration, bad_request)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  private readonly webhookCommitSeconds = new Histogram({
    name: "gateway_webhook_commit_seconds",
    help: "From a webhook notification's arrival to the commit of the records it fetched",
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly webhookFetches = new Counter({
    name: "gateway_webhook_fetches_total",
    help: "Table API requests made to fetch the records webhook notifications named",
    registers: [this.registry],
  });
  private readonly webhookFailures = new Counter({
    name: "gateway_webhook_flush_failures_total",
    help: "Groups of webhook notifications whose fetch or upsert failed (the next sync corrects them)",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A subscription started (+1) or ended (-1), whatever the reason. */
  subscriberCountChanged(delta: 1 | -1): void {
    this.subscribers.inc(delta);
  }

  /** A subscriber that did not keep up was dropped. */
  subscriberDropped(): void {
    this.subscribersDropped.inc();
  }

  /** Called by the sync service when a run ends, whatever its outcome. */
  syncRunFinished(run: {
    status: string;
    durationMs: number;
    tables: ReadonlyArray<{ table: string; fetched: number; upserted: number; deleted: number }>;
  }): void {
    this.syncRuns.inc({ status: run.status });
    this.syncDurations.observe(run.durationMs / 1000);
    for (const table of run.tables) {
      this.syncRows.inc({ table: table.table, action: "fetched" }, table.fetched);
      this.syncRows.inc({ table: table.table, action: "upserted" }, table.upserted);
      this.syncRows.inc({ table: table.table, action: "deleted" }, table.deleted);
    }
  }

  /** Called by the incident write service once per attempt, whatever its outcome. */
  incidentWriteFinished(operation: string, outcome: string): void {
    this.incidentWrites.inc({ operation, outcome });
  }

  /** Called once per notification answered by the webhook endpoint (a batch counts each). */
  webhookNotified(outcome: string, count = 1): void {
    this.webhookNotifications.inc({ outcome }, count);
  }

  /** Called per committed notification with its arrival-to-commit latency. */
  webhookCommitted(seconds: number): void {
    this.webhookCommitSeconds.observe(seconds);
  }

  /** Called per Table API request a webhook flush makes. */
  webhookFetched(): void {
    this.webhookFetches.inc();
  }

  /** Called when a coalesced group of notifications could not be fetched or stored. */
  webhookFlushFailed(): void {
    this.webhookFailures.inc();
  }

  apolloPlugin(): ApolloServerPlugin {
    const operations = this.operations;
    const durations = this.durations;
    return {
      async requestDidStart() {
        const stop = durations.startTimer();
        let operation = "unknown";
        return {
          async didResolveOperation(request) {
            operation = request.operation?.operation ?? "unknown";
          },
          async willSendResponse(request) {
            stop({ operation });
            const failed = request.errors !== undefined && request.errors.length > 0;
            operations.inc({ operation, outcome: failed ? "error" : "ok" });
          },
        };
      },
    };
  }

  routes(): Router {
    const router = Router();
    router.get("/metrics", async (_req, res) => {
      res.setHeader("content-type", this.registry.contentType);
      res.send(await this.registry.metrics());
    });
    return router;
  }
}
