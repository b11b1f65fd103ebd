import type { ResourceLimits, Worker } from "node:worker_threads";

import type { DatabaseConnection } from "../../database/data-source";
import type {
  PageChanges,
  PageCommit,
  PageExecutor,
  PageStatements,
  PageStore,
} from "./page.store";
import {
  type FromPageWriter,
  type FromPageWriterError,
  PAGE_WRITER_FILE,
  PAGE_WRITER_MARK,
  type PageWriterData,
  type ToPageWriter,
} from "./page-writer.wire";
import { startSyncThread } from "./sync-thread";
import { databaseErrorOf } from "./worker-database.error";

/**
 * Its heap holds one page's parameters at a time (a few MB); a small young generation keeps
 * the thread's share of the gateway's memory small too.
 */
const PAGE_WRITER_LIMITS: ResourceLimits = {
  maxYoungGenerationSizeMb: 4,
  maxOldGenerationSizeMb: 128,
};

/** The page writer's thread stopped with calls pending (it crashed, or the store closed). */
export class PageWriterStoppedError extends Error {
  override readonly name = "PageWriterStoppedError";
}

/**
 * A PageStore whose connection lives on its own thread (`page-writer.worker.ts`): commits and
 * statements are posted there and answered in order, so while one page's transaction runs
 * the calling thread is free to fetch and map the next. Pages arrive already encoded (plain
 * arrays), which is the cheapest shape structured clone copies.
 */
export class ThreadedPageStore implements PageStore {
  readonly direct: PageExecutor;
  private readonly worker: Worker;
  private readonly calls = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly plansIds = new WeakMap<PageStatements, number>();
  private readonly plansIdsByContent = new Map<string, number>();
  private nextCallId = 1;
  private nextPlansId = 1;
  private stopped: Error | null = null;

  /** How many distinct plans the writer holds (diagnostics and tests). */
  get plansHeld(): number {
    return this.plansIdsByContent.size;
  }

  /** False once the writer has stopped: the next job needs a new store. */
  get running(): boolean {
    return this.stopped === null;
  }

  constructor(connection: DatabaseConnection) {
    const data: PageWriterData = { mark: PAGE_WRITER_MARK, connection };
    this.worker = startSyncThread(PAGE_WRITER_FILE, {
      workerData: data,
      resourceLimits: PAGE_WRITER_LIMITS,
    });
    this.worker.on("message", (message: FromPageWriter) => this.receive(message));
    this.worker.on("error", (error) => this.stop(new PageWriterStoppedError(error.message)));
    this.worker.on("exit", (code) =>
      this.stop(new PageWriterStoppedError(`The page writer exited with code ${code}`)),
    );
    // Only pending calls keep the process alive (`call` refs it, `receive` unrefs it).
    this.worker.unref();
    this.direct = {
      execute: async (sql, parameters) => {
        await this.call({ type: "execute", sql, parameters });
      },
      firstColumn: (sql, parameters) =>
        this.call({ type: "firstColumn", sql, parameters }) as Promise<unknown[]>,
    };
  }

  commit(statements: PageStatements, page: PageCommit): Promise<PageChanges> {
    return this.call({
      type: "commit",
      plansId: this.plansIdOf(statements),
      page,
    }) as Promise<PageChanges>;
  }

  /**
   * Each job builds its own PageStatements from the same few plans (one per table): the writer
   * keeps one copy per distinct plan, so what it holds stays bounded however many runs go by.
   */
  private plansIdOf(statements: PageStatements): number {
    let plansId = this.plansIds.get(statements);
    if (plansId === undefined) {
      const key = JSON.stringify(statements.plans);
      plansId = this.plansIdsByContent.get(key);
      if (plansId === undefined) {
        plansId = this.nextPlansId++;
        this.plansIdsByContent.set(key, plansId);
        this.worker.postMessage({
          type: "plans",
          plansId,
          plans: statements.plans,
        } satisfies ToPageWriter);
      }
      this.plansIds.set(statements, plansId);
    }
    return plansId;
  }

  async close(): Promise<void> {
    this.stop(new PageWriterStoppedError("The page writer was closed"));
    await this.worker.terminate();
  }

  private call(
    message:
      | Omit<Extract<ToPageWriter, { type: "commit" }>, "callId">
      | Omit<Extract<ToPageWriter, { type: "execute" | "firstColumn" }>, "callId">,
  ): Promise<unknown> {
    if (this.stopped !== null) {
      return Promise.reject(this.stopped);
    }
    const callId = this.nextCallId++;
    const answered = new Promise<unknown>((resolve, reject) => {
      this.calls.set(callId, { resolve, reject });
    });
    this.worker.ref();
    this.worker.postMessage({ ...message, callId } as ToPageWriter);
    return answered;
  }

  private receive(message: FromPageWriter): void {
    const call = this.calls.get(message.callId);
    this.calls.delete(message.callId);
    if (this.calls.size === 0) {
      this.worker.unref();
    }
    if ("error" in message) {
      const error = errorOf(message.error);
      call?.reject(error);
      if (message.unopened === true) {
        this.stop(error);
        void this.worker.terminate();
      }
    } else {
      call?.resolve(message.value);
    }
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const call of calls) {
      call.reject(error);
    }
  }
}

function errorOf(wire: FromPageWriterError): Error {
  if (wire.kind === "database") {
    return databaseErrorOf(wire);
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
