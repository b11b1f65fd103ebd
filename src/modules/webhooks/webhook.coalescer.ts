import type { Logger } from "../../logging/logger";
import type { WebhookNotification, WebhookOperation } from "./webhook.notification";
import type { WebhookBatch } from "./webhook-records.writer";

export interface CoalescerSettings {
  /** A group is flushed once no notification joined it for this long… */
  readonly quietMs: number;
  /** …or this long after its first notification, whichever comes first. */
  readonly maxWaitMs: number;
  /** A group this large is flushed at once (memory bound during a flood). */
  readonly maxIds: number;
}

export const DEFAULT_COALESCER_SETTINGS: CoalescerSettings = {
  quietMs: 50,
  maxWaitMs: 500,
  maxIds: 2000,
};

interface Group {
  readonly integrationId: string;
  readonly table: string;
  readonly changes: Map<string, { operation: WebhookOperation; receivedAt: number }>;
  quiet: NodeJS.Timeout | null;
  deadline: NodeJS.Timeout | null;
  due: boolean;
}

/**
 * Groups accepted notifications per (integration, table) so a burst becomes a few targeted
 * fetches. One flush per group runs at a time: notifications arriving meanwhile wait in the
 * next group, which then flushes as soon as it is due, so a slow ServiceNow makes batches
 * larger rather than requests more numerous. A failed flush is logged and counted; the next
 * incremental sync corrects what it would have written.
 */
export class WebhookCoalescer {
  private readonly pending = new Map<string, Group>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly flush: (batch: WebhookBatch, signal: AbortSignal) => Promise<void>,
    private readonly settings: CoalescerSettings,
    private readonly onFailure: (error: unknown, batch: WebhookBatch) => void,
    private readonly logger: Logger,
  ) {}

  add(integrationId: string, notifications: readonly WebhookNotification[], receivedAt: number) {
    if (this.stopped) {
      return;
    }
    for (const notification of notifications) {
      const key = `${integrationId}/${notification.table}`;
      let group = this.pending.get(key);
      if (group === undefined) {
        group = {
          integrationId,
          table: notification.table,
          changes: new Map(),
          quiet: null,
          deadline: null,
          due: false,
        };
        this.pending.set(key, group);
        const created = group;
        group.deadline = setTimeout(() => this.markDue(key, created), this.settings.maxWaitMs);
      }
      const earlier = group.changes.get(notification.sysId);
      group.changes.set(notification.sysId, {
        operation: notification.operation,
        receivedAt: earlier?.receivedAt ?? receivedAt,
      });
      if (group.quiet !== null) {
        clearTimeout(group.quiet);
      }
      const current = group;
      group.quiet = setTimeout(() => this.markDue(key, current), this.settings.quietMs);
      if (group.changes.size >= this.settings.maxIds) {
        this.markDue(key, group);
      }
    }
  }

  /** Groups waiting or being written (tests and shutdown). */
  get busy(): boolean {
    return this.pending.size > 0 || this.running.size > 0;
  }

  /** Resolves once nothing is pending or running (tests). */
  async idle(): Promise<void> {
    while (this.busy) {
      await Promise.allSettled([...this.running.values()]);
      if (this.running.size === 0 && this.pending.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.settings.quietMs));
      }
    }
  }

  /**
   * Gateway stop: pending groups are dropped (the next sync reads their changes), running
   * flushes are aborted and awaited, so nothing touches the database once it closes.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    let dropped = 0;
    for (const group of this.pending.values()) {
      clearTimers(group);
      dropped += group.changes.size;
    }
    this.pending.clear();
    if (dropped > 0) {
      this.logger.info(
        { notifications: dropped },
        "dropped pending webhook notifications at shutdown; the next sync run reads them",
      );
    }
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private markDue(key: string, group: Group): void {
    if (this.pending.get(key) !== group) {
      return;
    }
    group.due = true;
    if (!this.running.has(key)) {
      this.start(key, group);
    }
  }

  private start(key: string, group: Group): void {
    clearTimers(group);
    this.pending.delete(key);
    const batch: WebhookBatch = {
      integrationId: group.integrationId,
      table: group.table,
      changes: group.changes,
    };
    const run = this.flush(batch, this.abort.signal)
      .catch((error: unknown) => {
        if (!this.stopped) {
          this.onFailure(error, batch);
        }
      })
      .finally(() => {
        this.running.delete(key);
        const next = this.pending.get(key);
        if (next?.due && !this.stopped) {
          this.start(key, next);
        }
      });
    this.running.set(key, run);
  }
}

function clearTimers(group: Group): void {
  if (group.quiet !== null) {
    clearTimeout(group.quiet);
  }
  if (group.deadline !== null) {
    clearTimeout(group.deadline);
  }
  group.quiet = null;
  group.deadline = null;
}
