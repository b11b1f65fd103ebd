import { randomUUID } from "node:crypto";
import os from "node:os";

import { type DataSource, type Repository } from "typeorm";

import { GatewayError } from "../common/gateway.error";
import type { Logger } from "../logging/logger";
import { Integration } from "../modules/integrations/integration.entity";
import { IntegrationStatus } from "../modules/integrations/integration.enums";
import type { IntegrationService } from "../modules/integrations/integration.service";
import { isAwsSecretError } from "../secrets/aws-secret.error";
import { isServiceNowError } from "../servicenow";
import { isMappingError } from "./mappers/mapping.error";
import type { SyncRunner } from "./sync.runner";
import type { SyncLeaseRepository } from "./sync-lease.repository";
import { SyncRun } from "./sync-run.entity";
import { SyncMode, SyncRunStatus, type SyncTrigger } from "./sync-run.enums";
import { SyncRunFolding } from "./sync-run-folding";
import { SyncRunRetention } from "./sync-run-retention";

export interface SyncServiceSettings {
  readonly leaseTtlMs: number;
  /** SYNC_RUN_RETENTION_DAYS: older finished runs are deleted after each run. */
  readonly runRetentionDays: number;
}

/** Where finished runs are counted (Prometheus in the gateway). */
export interface SyncRunObserver {
  syncRunFinished(run: {
    status: string;
    durationMs: number;
    tables: ReadonlyArray<{ table: string; fetched: number; upserted: number; deleted: number }>;
  }): void;
}

interface ActiveRun {
  readonly runId: string;
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/**
 * Starts runs and guarantees one run per integration at a time: an in-process map for this
 * replica, a lease row in the database across replicas. Runs continue in the background; their
 * SyncRun row shows progress table by table.
 */
export class SyncService {
  /** Identifies this process in lease rows. */
  readonly holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly active = new Map<string, ActiveRun>();
  private readonly runs: Repository<SyncRun>;
  private readonly integrationRepository: Repository<Integration>;
  private readonly folding: SyncRunFolding;
  private readonly retention: SyncRunRetention;
  private stopping = false;

  constructor(
    dataSource: DataSource,
    private readonly integrations: IntegrationService,
    /** Public for tests and diagnostics (its sync worker). */
    readonly runner: SyncRunner,
    private readonly leases: SyncLeaseRepository,
    private readonly settings: SyncServiceSettings,
    private readonly logger: Logger,
    private readonly observer: SyncRunObserver | null = null,
  ) {
    this.runs = dataSource.getRepository(SyncRun);
    this.integrationRepository = dataSource.getRepository(Integration);
    this.folding = new SyncRunFolding(dataSource);
    this.retention = new SyncRunRetention(dataSource, {
      retentionDays: settings.runRetentionDays,
    });
  }

  isRunning(integrationId: string): boolean {
    return this.active.has(integrationId);
  }

  /** Starts a run, or returns the one already running for this integration. */
  async start(
    integrationId: string,
    options: {
      trigger: SyncTrigger;
      full: boolean;
      onlyIfDue?: (integration: Integration) => boolean;
    },
  ): Promise<SyncRun | null> {
    const integration = await this.integrations.getOrFail(integrationId);
    if (this.stopping) {
      throw new GatewayError(
        "CONFLICT",
        "The gateway is shutting down; try again on another replica",
      );
    }
    if (!integration.enabled) {
      throw GatewayError.badInput(
        "id",
        "The integration is disabled; enable it with updateIntegration first",
      );
    }
    if (integration.status === IntegrationStatus.NEEDS_AUTHORIZATION) {
      throw GatewayError.badInput(
        "id",
        "The integration is not authorized yet: call authorizeIntegration first",
      );
    }
    const current = this.active.get(integrationId);
    if (current) {
      return this.runs.findOneByOrFail({ id: current.runId });
    }
    if (!(await this.leases.acquire(integrationId, this.holder, this.settings.leaseTtlMs))) {
      const elsewhere = await this.runs.findOne({
        where: { integrationId, status: SyncRunStatus.RUNNING },
        order: { startedAt: "DESC" },
      });
      if (elsewhere) {
        return elsewhere;
      }
      throw new GatewayError(
        "CONFLICT",
        "Another gateway replica is syncing this integration",
        "id",
      );
    }
    if (options.onlyIfDue) {
      // Another replica may have finished a run since the scheduler read the list.
      const fresh = await this.integrations.getOrFail(integrationId);
      if (!options.onlyIfDue(fresh)) {
        await this.leases.release(integrationId, this.holder);
        return null;
      }
    }
    // We hold the lease: any RUNNING row left for this integration belongs to a dead process.
    await this.runs.update(
      { integrationId, status: SyncRunStatus.RUNNING },
      {
        status: SyncRunStatus.FAILED,
        finishedAt: new Date(),
        errorCode: "ABANDONED",
        error:
          "The gateway process running this sync stopped; the next run resumed after its last committed page.",
      },
    );
    const run = await this.runs.save(
      this.runs.create({
        integrationId,
        status: SyncRunStatus.RUNNING,
        trigger: options.trigger,
        mode: options.full ? SyncMode.FULL : SyncMode.INCREMENTAL,
        startedAt: new Date(),
        finishedAt: null,
        durationMs: null,
        error: null,
        errorCode: null,
        tables: [],
        runCount: 1,
        firstStartedAt: null,
      }),
    );
    const abort = new AbortController();
    const done = this.execute(run, integration, abort).finally(() => {
      this.active.delete(integrationId);
    });
    this.active.set(integrationId, { runId: run.id, abort, done });
    return run;
  }

  /**
   * At start-up: runs left RUNNING by a process that died, whose lease nobody holds any more,
   * are marked FAILED (ABANDONED) so history does not show them running forever.
   */
  async recoverAbandonedRuns(): Promise<number> {
    const running = await this.runs.findBy({ status: SyncRunStatus.RUNNING });
    let recovered = 0;
    for (const run of running) {
      if (this.active.has(run.integrationId) || (await this.leases.holderOf(run.integrationId))) {
        continue;
      }
      await this.runs.update(
        { id: run.id, status: SyncRunStatus.RUNNING },
        {
          status: SyncRunStatus.FAILED,
          finishedAt: new Date(),
          errorCode: "ABANDONED",
          error:
            "The gateway process running this sync stopped; the next run resumes after its last committed page.",
        },
      );
      recovered += 1;
    }
    if (recovered === running.length) {
      // No run is live anywhere: indexes a dead backfill deferred can be built now.
      const restored = await this.runner.restoreDeferredIndexes();
      if (restored > 0) {
        this.logger.warn({ indexes: restored }, "built indexes an interrupted backfill deferred");
      }
    }
    return recovered;
  }

  /** Resolves when the integration's current run (if any) has finished. */
  async waitFor(integrationId: string): Promise<void> {
    await this.active.get(integrationId)?.done;
  }

  /** Stops this integration's run (e.g. before deleting it); committed pages stay. */
  async cancel(integrationId: string, reason: string): Promise<void> {
    const run = this.active.get(integrationId);
    if (run) {
      run.abort.abort(new Error(reason));
      await run.done;
    }
  }

  /** Graceful shutdown: abort runs between pages (committed pages stay) and wait for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const run of this.active.values()) {
      run.abort.abort(new Error("The gateway is shutting down"));
    }
    await Promise.allSettled([...this.active.values()].map((run) => run.done));
    await this.runner.close();
  }

  private async execute(
    run: SyncRun,
    integration: Integration,
    abort: AbortController,
  ): Promise<void> {
    const log = this.logger.child({ integrationId: integration.id, runId: run.id });
    const heartbeat = setInterval(
      () => {
        this.leases.renew(integration.id, this.holder, this.settings.leaseTtlMs).then(
          (held) => {
            if (!held) {
              abort.abort(new Error("Another replica took over this integration's sync lease"));
            }
          },
          (error: unknown) => log.warn({ err: error }, "could not renew the sync lease"),
        );
      },
      Math.max(1000, Math.floor(this.settings.leaseTtlMs / 3)),
    );
    heartbeat.unref();
    const started = run.startedAt.getTime();
    try {
      log.info({ mode: run.mode, trigger: run.trigger }, "sync started");
      const tables = await this.runner.execute(run, integration, abort.signal);
      const finishedAt = new Date();
      await this.runs.update(
        { id: run.id },
        {
          status: SyncRunStatus.SUCCEEDED,
          finishedAt,
          durationMs: finishedAt.getTime() - started,
          tables,
        },
      );
      await this.integrationRepository.update(
        { id: integration.id },
        {
          lastSyncedAt: run.startedAt,
          ...(integration.status !== IntegrationStatus.CONNECTED
            ? { status: IntegrationStatus.CONNECTED, statusReason: "The last sync succeeded." }
            : {}),
        },
      );
      log.info({ ms: finishedAt.getTime() - started }, "sync succeeded");
      // Under the lease: no later run of this integration can start while the row is folded.
      await this.folding.fold(run.id).catch((error: unknown) => {
        log.warn({ err: error }, "could not fold an idle sync run into the previous one");
      });
    } catch (error) {
      await this.fail(run, integration, error, abort.signal.aborted, log);
    } finally {
      clearInterval(heartbeat);
      await this.leases.release(integration.id, this.holder).catch((error: unknown) => {
        log.warn({ err: error }, "could not release the sync lease");
      });
      await this.retention.prune().then(
        (deleted) => {
          if (deleted > 0) {
            log.debug({ deleted }, "deleted sync runs older than the retention");
          }
        },
        (error: unknown) => log.warn({ err: error }, "could not delete old sync runs"),
      );
      const finished = await this.runs.findOneBy({ id: run.id }).catch(() => null);
      if (finished && this.observer) {
        this.observer.syncRunFinished({
          status: finished.status,
          durationMs: finished.durationMs ?? 0,
          tables: finished.tables,
        });
      }
    }
  }

  private async fail(
    run: SyncRun,
    integration: Integration,
    error: unknown,
    aborted: boolean,
    log: Logger,
  ): Promise<void> {
    const finishedAt = new Date();
    const code = aborted
      ? "INTERRUPTED"
      : isServiceNowError(error) || isMappingError(error) || isAwsSecretError(error)
        ? error.code
        : "SYNC_FAILED";
    const reason = aborted
      ? `Interrupted: ${(error as Error)?.message ?? "aborted"}; the next run resumes after the last committed page.`
      : error instanceof Error
        ? error.message
        : String(error);
    log.warn({ err: error, code }, "sync failed");
    await this.runs.update(
      { id: run.id },
      {
        status: SyncRunStatus.FAILED,
        finishedAt,
        durationMs: finishedAt.getTime() - run.startedAt.getTime(),
        error: reason,
        errorCode: code,
      },
    );
    if (isServiceNowError(error) && error.code === "AUTH_FAILED") {
      // Credentials that stopped working need a person; say which action fixes it.
      await this.integrationRepository.update(
        { id: integration.id },
        error.needsReauthorization
          ? {
              status: IntegrationStatus.NEEDS_AUTHORIZATION,
              statusReason: `${reason} Call authorizeIntegration.`,
            }
          : { status: IntegrationStatus.FAILED, statusReason: `Sync failed: ${reason}` },
      );
    }
  }
}
