import { createHmac } from "node:crypto";

import type { Logger } from "../logging/logger";
import { SimulatorError } from "./simulator.errors";
import type { SimRecord } from "./simulator.store";

/** What a record write was, as a ServiceNow business rule sees it. */
export type SimWriteOperation = "insert" | "update" | "delete";

/** Where the simulator's "business rules" post their notifications. */
export interface SimWebhookTarget {
  readonly url: string;
  /** The HMAC-SHA256 key, as rotateWebhookSecret returned it. */
  readonly secret: string;
  /** Tables with a business rule (default: the record tables the gateway syncs). */
  readonly tables?: readonly string[];
}

/** The tables an after insert/update/delete business rule is set up on by default. */
export const DEFAULT_WEBHOOK_TABLES: readonly string[] = [
  "incident",
  "change_request",
  "problem",
  "sys_user",
  "sys_user_group",
  "sysapproval_approver",
];

export interface SimWebhookStatus {
  readonly url: string | null;
  readonly tables: readonly string[];
  readonly sent: number;
  readonly failed: number;
}

/**
 * The simulator's outbound REST messages: after each write to a table with a business rule, a
 * signed `{ table, sys_id, operation, sys_updated_on }` POST, sent asynchronously so the write
 * never waits for it (as an async business rule), failures logged and counted.
 */
export class SimulatorWebhooks {
  private target: SimWebhookTarget | null = null;
  private tables: ReadonlySet<string> = new Set(DEFAULT_WEBHOOK_TABLES);
  private readonly inFlight = new Set<Promise<void>>();
  private sent = 0;
  private failed = 0;
  /** While true (dataset generation, an import), writes notify nobody. */
  paused = false;

  constructor(private readonly logger: Logger | undefined) {}

  configure(target: SimWebhookTarget | null): void {
    if (target !== null) {
      let protocol = "";
      try {
        protocol = new URL(target.url).protocol;
      } catch {
        // reported below
      }
      if (protocol !== "http:" && protocol !== "https:") {
        throw new SimulatorError("INVALID_INPUT", "webhook url must be an http(s) URL");
      }
      if (typeof target.secret !== "string" || target.secret === "") {
        throw new SimulatorError("INVALID_INPUT", "webhook secret is required");
      }
    }
    this.target = target;
    this.tables = new Set(target?.tables ?? DEFAULT_WEBHOOK_TABLES);
  }

  get status(): SimWebhookStatus {
    return {
      url: this.target?.url ?? null,
      tables: [...this.tables],
      sent: this.sent,
      failed: this.failed,
    };
  }

  /** Called after every committed write; returns at once. */
  written(table: string, operation: SimWriteOperation, record: SimRecord): void {
    const target = this.target;
    if (target === null || this.paused || !this.tables.has(table)) {
      return;
    }
    const body = JSON.stringify({
      table,
      sys_id: record.sys_id,
      operation,
      sys_updated_on: record.sys_updated_on ?? "",
    });
    const delivery = this.post(target, body).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves once every notification sent so far has been answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async post(target: SimWebhookTarget, body: string): Promise<void> {
    // The instance's real clock, as a business rule reads it (the simulated clock may be frozen).
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac("sha256", target.secret)
      .update(`${timestamp}.${body}`, "utf8")
      .digest("hex");
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-gateway-timestamp": timestamp,
          "x-gateway-signature": `sha256=${signature}`,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (response.status >= 300) {
        throw new Error(`the webhook answered ${response.status}`);
      }
      this.sent += 1;
    } catch (error) {
      this.failed += 1;
      this.logger?.warn(
        { url: target.url, reason: error instanceof Error ? error.message : String(error) },
        "simulator webhook notification failed",
      );
    }
  }
}
