import type { Logger } from "../../logging/logger";
import type { WebhookNotification, WebhookOperation } from "./webhook.notification";
import { SYS_IDS_PER_REQUEST, type WebhookBatch } from "./webhook-records.writer";

export interface CoalescerSettings {
  /** A group is flushed once no notification joined it for this long… */
  readonly quietMs: number;
  /** …or this long after its first notification, whichever comes first. */
  readonly maxWaitMs: number;
  /** A group this large is flushed at once (memory bound during a flood). */
  readonly maxIds: number;
  /** sys_ids per Table API request: a busy group's deadline flush sends whole chunks. */
  readonly chunkSize: number;
  /** A remainder is carried to the next window only while its oldest id has waited less. */
  readonly maxCarryMs: number;
}

export const DEFAULT_COALESCER_SETTINGS: CoalescerSettings = {
  quietMs: 50,
  maxWaitMs: 500,
  maxIds: 2000,
  chunkSize: SYS_IDS_PER_REQUEST,
  maxCarryMs: 5_000,
};

type Changes = Map<string, { operation: WebhookOperation; receivedAt: number }>;

interface Group {
  readonly integrationId: string;
  readonly table: string;
  readonly changes: Changes;
  lastAddAt: number;
  quiet: NodeJS.Timeout | null;
  deadline: NodeJS.Timeout | null;
  /** "all": quiet or full; "chunks": the deadline of a group still receiving. */
  due: "all" | "chunks" | null;
}

/**
 * Groups accepted notifications per (integration, table) so a burst becomes a few targeted
 * fetches. A group is due when it has been quiet for 50 ms (all of it is flushed), when it
 * holds a whole chunk of 100 sys_ids, or 500 ms after its first notification. At that deadline
 * a group still receiving sends its whole chunks and carries the remainder into the next
 * window, so a steady stream costs one request per 100 records rather than one more per
 * window; a remainder whose oldest id has waited 5 s goes as it is (about the longest a
 * stream too slow to fill a chunk yet never 50 ms quiet can hold one anyway). Quiet means no
 * notification joined and no request to the integration's webhook is still being read or
 * verified. One flush per group runs at a time: notifications arriving meanwhile wait in the
 * next group, which flushes once due, so a slow ServiceNow makes batches larger rather than
 * requests more numerous. A failed flush is reported to `onFailure`; the next incremental sync
 * corrects what it would have written.
 */
export class WebhookCoalescer {
  private readonly pending = new Map<string, Group>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly inbound = new Map<string, number>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly flush: (batch: WebhookBatch, signal: AbortSignal) => Promise<void>,
    private readonly settings: CoalescerSettings,
    private readonly onFailure: (error: unknown, batch: WebhookBatch) => void,
    private readonly logger: Logger,
  ) {}

  /** A request to the integration's webhook began; call the returned function when it ends. */
  arriving(integrationId: string): () => void {
    this.inbound.set(integrationId, (this.inbound.get(integrationId) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      const left = (this.inbound.get(integrationId) ?? 1) - 1;
      if (left === 0) {
        this.inbound.delete(integrationId);
      } else {
        this.inbound.set(integrationId, left);
      }
    };
  }

  add(integrationId: string, notifications: readonly WebhookNotification[], receivedAt: number) {
    if (this.stopped) {
      return;
    }
    for (const notification of notifications) {
      const key = `${integrationId}/${notification.table}`;
      const group =
        this.pending.get(key) ?? this.open(key, integrationId, notification.table, new Map());
      const earlier = group.changes.get(notification.sysId);
      group.changes.set(notification.sysId, {
        operation: notification.operation,
        receivedAt: earlier?.receivedAt ?? receivedAt,
      });
      group.lastAddAt = Date.now();
      this.armQuiet(key, group, this.settings.quietMs);
      if (group.changes.size >= this.settings.maxIds) {
        this.markDue(key, group, "all");
      } else if (group.changes.size % this.settings.chunkSize === 0) {
        // A whole chunk gains nothing by waiting.
        this.markDue(key, group, "chunks");
      }
    }
  }

  /** Resolves once nothing is pending or running (tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
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

  private open(key: string, integrationId: string, table: string, changes: Changes): Group {
    const group: Group = {
      integrationId,
      table,
      changes,
      lastAddAt: Date.now(),
      quiet: null,
      deadline: null,
      due: null,
    };
    this.pending.set(key, group);
    group.deadline = setTimeout(() => this.markDue(key, group, "chunks"), this.settings.maxWaitMs);
    return group;
  }

  private armQuiet(key: string, group: Group, delayMs: number): void {
    if (group.quiet !== null) {
      clearTimeout(group.quiet);
    }
    // Checked after pending I/O, so requests that arrived while the timer was due are seen.
    const dueAt = Date.now() + delayMs;
    group.quiet = setTimeout(() => setImmediate(() => this.checkQuiet(key, group, dueAt)), delayMs);
  }

  private checkQuiet(key: string, group: Group, dueAt: number): void {
    if (this.pending.get(key) !== group) {
      return;
    }
    const now = Date.now();
    const silentMs = now - group.lastAddAt;
    // A timer that fired late means the process was busy (a flush mapping and writing), not
    // that senders were silent: they could not be heard. Listen for a whole quiet period more.
    const stalled = now - dueAt > this.settings.quietMs / 2;
    if (stalled) {
      this.armQuiet(key, group, this.settings.quietMs);
      return;
    }
    if ((this.inbound.get(group.integrationId) ?? 0) > 0 || silentMs < this.settings.quietMs) {
      this.armQuiet(key, group, Math.max(1, this.settings.quietMs - silentMs));
      return;
    }
    this.markDue(key, group, "all");
  }

  private markDue(key: string, group: Group, due: "all" | "chunks"): void {
    if (this.pending.get(key) !== group) {
      return;
    }
    group.due = group.due === "all" ? "all" : due;
    if (!this.running.has(key)) {
      this.start(key, group);
    }
  }

  private start(key: string, group: Group): void {
    clearTimers(group);
    this.pending.delete(key);
    let changes = group.changes;
    if (group.due === "chunks") {
      const entries = [...changes];
      const whole = entries.length - (entries.length % this.settings.chunkSize);
      const rest = entries.slice(whole);
      const now = Date.now();
      // Only ids that arrived within the last window may wait for another one.
      if (
        rest.length > 0 &&
        rest.every(([, change]) => now - change.receivedAt < this.settings.maxCarryMs)
      ) {
        const carried = this.open(key, group.integrationId, group.table, new Map(rest));
        this.armQuiet(key, carried, this.settings.quietMs);
        if (whole === 0) {
          return;
        }
        changes = new Map(entries.slice(0, whole));
      }
    }
    const batch: WebhookBatch = { integrationId: group.integrationId, table: group.table, changes };
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
