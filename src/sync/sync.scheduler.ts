import { type DataSource, type Repository } from "typeorm";

import type { Logger } from "../logging/logger";
import { Integration } from "../modules/integrations/integration.entity";
import { IntegrationStatus } from "../modules/integrations/integration.enums";
import type { SyncService } from "./sync.service";
import { SyncTrigger } from "./sync-run.enums";

export interface SchedulerSettings {
  /** How often due integrations are looked for. */
  readonly tickMs: number;
}

/** Up to 10% of the interval, at most 5 minutes: replicas and integrations do not all fire at once. */
export function jitterMs(integrationId: string, intervalMs: number, cycle: number): number {
  let hash = 2166136261;
  for (const char of `${integrationId}:${cycle}`) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  }
  const fraction = (hash >>> 0) / 2 ** 32;
  return Math.floor(fraction * Math.min(intervalMs * 0.1, 5 * 60 * 1000));
}

/** When an integration is next due (epoch ms): its last success plus its interval plus jitter. */
export function dueAt(integration: Integration): number {
  if (integration.lastSyncedAt === null) {
    return Number.NEGATIVE_INFINITY;
  }
  const intervalMs = integration.syncIntervalMinutes * 60 * 1000;
  const last = integration.lastSyncedAt.getTime();
  const cycle = Math.floor(last / intervalMs);
  return last + intervalMs + jitterMs(integration.id, intervalMs, cycle);
}

export function isDue(integration: Integration, now: number): boolean {
  return now >= dueAt(integration);
}

/** Timers never fire earlier than this after a tick, so a burst of due runs cannot spin. */
const MIN_WAKE_MS = 250;

/**
 * Syncs each enabled, connected integration every `syncIntervalMinutes`. The first tick runs at
 * start-up (trigger STARTUP) so overdue integrations sync at once. After each tick the next one
 * is set for the earliest due time it saw (at most `tickMs` away): a 1-minute interval runs
 * every minute, not at the next 30-second tick after it.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private ticking: Promise<void> | null = null;
  private readonly integrations: Repository<Integration>;
  private firstTick = true;
  private lastTickAt: number | null = null;

  constructor(
    dataSource: DataSource,
    private readonly syncs: SyncService,
    private readonly settings: SchedulerSettings,
    private readonly logger: Logger,
  ) {
    this.integrations = dataSource.getRepository(Integration);
  }

  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.wake();
  }

  /** Ticks now, then sets the timer for the next due time the tick saw. */
  private wake(): void {
    this.timer = null;
    this.ticking = this.tick()
      // A tick that threw still schedules the next one: the scheduler must not stop by itself.
      .catch(() => Number.POSITIVE_INFINITY)
      .then((nextDueAt) => {
        if (!this.started) {
          return;
        }
        const wait = Math.min(this.settings.tickMs, Math.max(MIN_WAKE_MS, nextDueAt - Date.now()));
        this.timer = setTimeout(() => this.wake(), wait);
        this.timer.unref();
      })
      .finally(() => {
        this.ticking = null;
      });
  }

  /** True while ticks happen on time (for /readyz). */
  healthy(now = Date.now()): boolean {
    return this.lastTickAt === null || now - this.lastTickAt < this.settings.tickMs * 3;
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.ticking;
  }

  /** Starts the due runs; resolves with the earliest time another one falls due (or +∞). */
  async tick(now = Date.now()): Promise<number> {
    const trigger = this.firstTick ? SyncTrigger.STARTUP : SyncTrigger.SCHEDULE;
    this.firstTick = false;
    this.lastTickAt = now;
    let candidates: Integration[];
    try {
      candidates = await this.integrations.findBy({
        enabled: true,
        status: IntegrationStatus.CONNECTED,
      });
    } catch (error) {
      this.logger.error({ err: error }, "scheduler could not list integrations");
      return Number.POSITIVE_INFINITY;
    }
    let next = Number.POSITIVE_INFINITY;
    for (const integration of candidates) {
      if (this.syncs.isRunning(integration.id)) {
        continue;
      }
      if (!isDue(integration, now)) {
        next = Math.min(next, dueAt(integration));
        continue;
      }
      try {
        await this.syncs.start(integration.id, {
          trigger,
          full: integration.lastSyncedAt === null,
          onlyIfDue: (fresh) => isDue(fresh, now),
        });
      } catch (error) {
        this.logger.debug(
          { err: error, integrationId: integration.id },
          "scheduled sync not started",
        );
      }
    }
    return next;
  }
}
