import { type ResourceLimits, type Worker } from "node:worker_threads";

import { QueryFailedError } from "typeorm";

import type { DatabaseConnection } from "../../database/data-source";
import type { Logger } from "../../logging/logger";
import type { AuthProvider } from "../../servicenow";
import type { SyncTableCounts } from "../sync-run.entity";
import { SYNC_WORKER_FILE, SYNC_WORKER_MARK } from "./sync.worker";
import { startSyncThread } from "./sync-thread";
import type { FromWorker, TablePagesJob, ToWorker, WorkerClientSettings } from "./table-pages.job";
import type { CommittedPage } from "./table-pages.loop";
import { fromWire, toWire, type WireError } from "./worker-error.wire";

/** The sync worker thread died under a run: its committed pages stay, the rest is not done. */
export class SyncWorkerError extends Error {
  override readonly name = "SyncWorkerError";
  readonly code = "SYNC_WORKER_FAILED";
  readonly retryable = true;
}

export interface TablePagesRequest {
  readonly job: TablePagesJob;
  readonly client: Omit<WorkerClientSettings, "authKind" | "renews">;
  /** The main thread's real provider: the worker's requests are authorized through it. */
  readonly auth: AuthProvider;
  readonly database: DatabaseConnection;
  /** The run's logger: the worker's log lines land here, with its context and redaction. */
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress: (counts: SyncTableCounts, page: CommittedPage) => void;
  readonly onDeleted: (sysIds: readonly string[], committedAt: number) => void;
}

interface PendingJob {
  readonly request: TablePagesRequest;
  /** With the rows the job's reconciliation deleted. */
  readonly resolve: (deleted: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The main thread's side of the sync worker: one worker thread per gateway process, started on
 * the first table page loop, reused for the next ones, terminated by `close()`. A worker that
 * dies fails the loops it was running (SyncWorkerError) and the next loop starts a new one.
 * Aborts are forwarded and the loop's promise rejects with the caller's own reason once the
 * worker has stopped writing.
 */
export class SyncWorkerHost {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, PendingJob>();
  private nextJobId = 1;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly resourceLimits?: ResourceLimits,
  ) {}

  /** The running worker thread, if any (diagnostics and tests). */
  get thread(): Worker | null {
    return this.worker;
  }

  /**
   * Starts the worker and its page writer ahead of the first job (a run is starting): thread
   * start-up, module loading and the database connection then overlap the run's preparation
   * instead of delaying its first table.
   */
  warm(database: DatabaseConnection): void {
    if (!this.closed) {
      this.send(this.started(), { type: "warm", database });
    }
  }

  /** Resolves with the number of rows the job's reconciliation deleted (0 without one). */
  async run(request: TablePagesRequest): Promise<number> {
    if (this.closed) {
      throw new SyncWorkerError("The sync worker is stopped");
    }
    request.signal.throwIfAborted();
    // The first header travels with the job: the worker asking for it would wait for this
    // thread's next turn (behind every request it is answering) before the table's first page.
    const authorization = await request.auth.authorize();
    request.signal.throwIfAborted();
    const worker = this.started();
    const jobId = this.nextJobId++;
    const settled = new Promise<number>((resolve, reject) => {
      this.jobs.set(jobId, { request, resolve, reject });
    });
    const abort = () => this.send(worker, { type: "abort", jobId });
    request.signal.addEventListener("abort", abort, { once: true });
    worker.ref();
    this.send(worker, {
      type: "run",
      jobId,
      job: request.job,
      client: {
        ...request.client,
        authKind: request.auth.kind,
        renews: request.auth.onUnauthorized !== undefined,
      },
      database: request.database,
      log: { level: request.log.level, bindings: {} },
      authorization,
    });
    return settled.then(
      (deleted) => {
        request.signal.removeEventListener("abort", abort);
        // As on the main thread: a run aborted during its last page still ends aborted.
        request.signal.throwIfAborted();
        return deleted;
      },
      (error: unknown) => {
        request.signal.removeEventListener("abort", abort);
        throw request.signal.aborted ? request.signal.reason : error;
      },
    );
  }

  /** Stops the worker (gateway stop); loops still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failAll(new SyncWorkerError("The sync worker was stopped with the gateway"));
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker !== null) {
      return this.worker;
    }
    const worker = startSyncThread(SYNC_WORKER_FILE, {
      workerData: { mark: SYNC_WORKER_MARK },
      resourceLimits: this.resourceLimits ?? {},
    });
    worker.on("message", (message: FromWorker) => this.receive(worker, message));
    worker.on("error", (error) => {
      this.logger.error({ err: error }, "the sync worker failed");
      this.lost(worker, `failed: ${error.message}`);
    });
    worker.on("exit", (code) => {
      this.lost(worker, `exited with code ${code}`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** The worker is gone: every loop it had fails, and the next loop starts a new worker. */
  private lost(worker: Worker, how: string): void {
    if (this.worker !== worker) {
      return;
    }
    this.worker = null;
    this.failAll(
      new SyncWorkerError(
        `The sync worker ${how} during the sync; pages committed before stay and the next run resumes after them`,
      ),
    );
  }

  private failAll(error: Error): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) {
      job.reject(error);
    }
  }

  private receive(worker: Worker, message: FromWorker): void {
    const job = this.jobs.get(message.jobId);
    if (job === undefined) {
      return;
    }
    switch (message.type) {
      case "auth":
        void this.authorize(worker, job.request.auth, message);
        return;
      case "progress":
        job.request.onProgress(message.counts, message.page);
        return;
      case "log":
        job.request.log[message.level](message.object, message.message);
        return;
      case "deleted":
        job.request.onDeleted(message.sysIds, message.committedAt);
        return;
      case "done":
        this.settle(worker, message.jobId);
        job.resolve(message.deleted);
        return;
      case "failed":
        this.settle(worker, message.jobId);
        job.reject(rebuildWorkerError(message.error));
        return;
    }
  }

  private settle(worker: Worker, jobId: number): void {
    this.jobs.delete(jobId);
    if (this.jobs.size === 0) {
      // Idle: the worker must not keep the process alive on its own.
      worker.unref();
    }
  }

  private async authorize(
    worker: Worker,
    auth: AuthProvider,
    message: Extract<FromWorker, { type: "auth" }>,
  ): Promise<void> {
    try {
      const value =
        message.method === "authorize"
          ? await auth.authorize()
          : ((await auth.onUnauthorized?.(message.rejectedAuthorization ?? "")) ?? false);
      this.send(worker, { type: "auth-result", callId: message.callId, value });
    } catch (error) {
      this.send(worker, {
        type: "auth-result",
        callId: message.callId,
        error: toWire(error, false),
      });
    }
  }

  private send(worker: Worker, message: ToWorker): void {
    if (this.worker === worker) {
      worker.postMessage(message);
    }
  }
}

/** The worker's error as the main thread would have thrown it: database ones as TypeORM's. */
export function rebuildWorkerError(wire: WireError): Error {
  const error = fromWire(wire);
  return wire.kind === "database"
    ? new QueryFailedError(wire.query ?? "", undefined, error)
    : error;
}
