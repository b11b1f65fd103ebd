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

/** When an integration is next due: its last success plus its interval plus jitter. */
export function isDue(integration: Integration, now: number): boolean {
  if (integration.lastSyncedAt === null) {
    return true;
  }
  const intervalMs = integration.syncIntervalMinutes * 60 * 1000;
  const last = integration.lastSyncedAt.getTime();
  const cycle = Math.floor(last / intervalMs);
  return now >= last + intervalMs + jitterMs(integration.id, intervalMs, cycle);
}

/**
 * Syncs each enabled, connected integration every `syncIntervalMinutes`. The first tick runs at
 * start-up (trigger STARTUP) so overdue integrations sync at once.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | null = null;
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
    if (this.timer) {
      return;
    }
    const tick = () => {
      this.ticking ??= this.tick().finally(() => {
        this.ticking = null;
      });
    };
    tick();
    this.timer = setInterval(tick, this.settings.tickMs);
    this.timer.unref();
  }

  /** True while ticks happen on time (for /readyz). */
  healthy(now = Date.now()): boolean {
    return this.lastTickAt === null || now - this.lastTickAt < this.settings.tickMs * 3;
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.ticking;
  }

  async tick(now = Date.now()): Promise<void> {
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
      return;
    }
    for (const integration of candidates) {
      if (!isDue(integration, now) || this.syncs.isRunning(integration.id)) {
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
  }
}
