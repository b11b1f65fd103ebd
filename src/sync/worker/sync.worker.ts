import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";

import type { DatabaseConnection } from "../../database/data-source";
import type { Logger } from "../../logging/logger";
import { type AuthProvider, ServiceNowClient, ServiceNowError } from "../../servicenow";
import type { FromWorker, ToWorker, WorkerClientSettings } from "./table-pages.job";
import { runTablePages } from "./table-pages.loop";
import { ThreadedPageStore } from "./threaded-page.store";
import { fromWire, toWire } from "./worker-error.wire";

/**
 * The sync worker's entry: runs table page loops sent by the main thread (`SyncWorkerHost`),
 * with its own ServiceNow client; pages are written by its page writer thread (its database
 * connection), one page behind. It never loads TypeORM, GraphQL or Express; credentials stay
 * on the main thread, asked for over the port per request.
 */

/** This file, compiled (`.js`, dist) or not (`.ts`, tests and `npm run dev`). */
export const SYNC_WORKER_FILE = __filename;

/** Marks a thread started as the sync worker (workerData), so importing this file does nothing. */
export const SYNC_WORKER_MARK = "servicenow-gateway:sync-worker";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
type Level = (typeof LEVELS)[number];

class SyncWorker {
  private readonly aborts = new Map<number, AbortController>();
  private readonly authCalls = new Map<
    number,
    { resolve: (value: string | boolean | undefined) => void; reject: (error: Error) => void }
  >();
  private nextCallId = 1;
  private store: { readonly key: string; readonly store: ThreadedPageStore } | null = null;

  constructor(private readonly port: MessagePort) {}

  listen(): void {
    this.port.on("message", (message: ToWorker) => this.receive(message));
  }

  private receive(message: ToWorker): void {
    switch (message.type) {
      case "run":
        void this.run(message);
        return;
      case "warm":
        this.storeFor(message.database);
        return;
      case "abort":
        this.aborts.get(message.jobId)?.abort(new Error("aborted by the main thread"));
        return;
      case "auth-result": {
        const call = this.authCalls.get(message.callId);
        this.authCalls.delete(message.callId);
        if (message.error !== undefined) {
          call?.reject(fromWire(message.error));
        } else {
          call?.resolve(message.value);
        }
        return;
      }
    }
  }

  private async run(message: Extract<ToWorker, { type: "run" }>): Promise<void> {
    const { jobId } = message;
    const abort = new AbortController();
    this.aborts.set(jobId, abort);
    try {
      const store = this.storeFor(message.database);
      const log = this.logger(jobId, message.log.level, message.log.bindings);
      const client = new ServiceNowClient({
        instanceUrl: message.client.instanceUrl,
        auth: this.proxyAuth(jobId, message.client, message.authorization),
        logger: log,
        timeoutMs: message.client.timeoutMs,
        retry: message.client.retry,
      });
      const deleted = await runTablePages(message.job, {
        client,
        store,
        signal: abort.signal,
        log,
        onProgress: (counts, page) => this.post({ type: "progress", jobId, counts, page }),
        onDeleted: (sysIds, committedAt) =>
          this.post({ type: "deleted", jobId, sysIds, committedAt }),
      });
      this.post({ type: "done", jobId, deleted });
    } catch (error) {
      this.post({ type: "failed", jobId, error: toWire(error, abort.signal.aborted) });
    } finally {
      this.aborts.delete(jobId);
    }
  }

  /**
   * One page writer (its thread and connection) per database for the worker's lifetime,
   * started on first use; a writer that stopped (its connection never opened, it crashed) is
   * replaced by the next job.
   */
  private storeFor(connection: DatabaseConnection): ThreadedPageStore {
    const key = JSON.stringify(connection);
    if (this.store?.key !== key || !this.store.store.running) {
      void this.store?.store.close().catch(() => undefined);
      this.store = { key, store: new ThreadedPageStore(connection) };
    }
    return this.store.store;
  }

  /** Asks the main thread's real provider; the header only ever lives in memory here. */
  private proxyAuth(jobId: number, settings: WorkerClientSettings, initial: string): AuthProvider {
    const call = (
      method: "authorize" | "onUnauthorized",
      rejectedAuthorization?: string,
    ): Promise<string | boolean | undefined> =>
      new Promise((resolve, reject) => {
        const callId = this.nextCallId++;
        this.authCalls.set(callId, { resolve, reject });
        this.post({ type: "auth", jobId, callId, method, rejectedAuthorization });
      });
    const invalid = () =>
      new ServiceNowError({
        code: "AUTH_FAILED",
        retryable: false,
        message: "The gateway could not supply credentials to the sync worker",
      });
    // The last header, answered at once: a round trip per request would wait for the main
    // thread and, while this thread writes a page, delay the prefetch until the page is stored.
    // OAuth headers are re-asked in the background (main refreshes before expiry); a stale one
    // gets a 401 and goes through onUnauthorized like any rejected credential.
    let cached: string | undefined = initial;
    let pending: Promise<string> | undefined;
    const ask = (): Promise<string> => {
      pending ??= call("authorize")
        .then((header) => {
          if (typeof header !== "string") {
            throw invalid();
          }
          cached = header;
          return header;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    };
    return {
      kind: settings.authKind,
      authorize: () => {
        if (cached === undefined) {
          return ask();
        }
        if (settings.authKind !== "basic") {
          ask().catch(() => undefined);
        }
        return Promise.resolve(cached);
      },
      ...(settings.renews
        ? {
            onUnauthorized: async (rejected: string) => {
              cached = undefined;
              return (await call("onUnauthorized", rejected)) === true;
            },
          }
        : {}),
    };
  }

  /**
   * The client's log lines, sent to the main thread's logger (which carries the run's context
   * and redaction); levels below the main logger's are dropped here, before the port.
   */
  private logger(jobId: number, level: string, bindings: Record<string, unknown>): Logger {
    const threshold = LEVELS.indexOf(level as Level);
    const enabled = (candidate: Level) =>
      threshold !== -1 && LEVELS.indexOf(candidate) >= threshold;
    const make = (context: Record<string, unknown>): Record<string, unknown> => {
      const logger: Record<string, unknown> = {
        level,
        isLevelEnabled: (candidate: Level) => enabled(candidate),
        child: (more: Record<string, unknown>) => make({ ...context, ...more }),
      };
      for (const candidate of LEVELS) {
        logger[candidate] = (object: unknown, message?: string) => {
          if (!enabled(candidate)) {
            return;
          }
          const plain =
            typeof object === "object" && object !== null
              ? plainLogObject(object as Record<string, unknown>)
              : { msg: String(object) };
          this.post({
            type: "log",
            jobId,
            level: candidate,
            bindings: context,
            object: plain,
            message: message ?? "",
          });
        };
      }
      return logger;
    };
    // The client calls level methods, isLevelEnabled and child only: the subset built above.
    return make(bindings) as unknown as Logger;
  }

  private post(message: FromWorker): void {
    this.port.postMessage(message);
  }
}

/** Errors in a log object become what pino's serializer would show of them, minus causes. */
function plainLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    plain[key] =
      value instanceof Error
        ? { type: value.name, message: value.message, ...codeOf(value) }
        : value;
  }
  return plain;
}

function codeOf(error: Error): { code?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? { code } : {};
}

if (
  !isMainThread &&
  parentPort !== null &&
  (workerData as { mark?: unknown })?.mark === SYNC_WORKER_MARK
) {
  new SyncWorker(parentPort).listen();
}
