import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";

import type { DatabaseConnection } from "../../database/data-source";
import { PageStatements, type PageStore } from "./page.store";
import {
  type FromPageWriter,
  type FromPageWriterError,
  PAGE_WRITER_MARK,
  type PageWriterData,
  type ToPageWriter,
} from "./page-writer.wire";
import { PostgresPageStore } from "./postgres-page.store";
import { SqlitePageStore } from "./sqlite-page.store";
import { databaseWire, WorkerDatabaseError } from "./worker-database.error";

/**
 * The page writer: a thread beside the sync worker that owns its database connection and runs
 * the statements it is sent, so the sync worker fetches, parses and maps the next page while
 * this one's transaction runs (better-sqlite3 blocks its thread for the whole write). It loads
 * the database driver and the page statements, nothing else.
 */

class PageWriter {
  private readonly statements = new Map<number, PageStatements>();
  /** Calls run one after the other, as they would on one connection. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly port: MessagePort,
    private readonly store: Promise<PageStore>,
  ) {}

  listen(): void {
    this.port.on("message", (message: ToPageWriter) => this.receive(message));
  }

  private receive(message: ToPageWriter): void {
    if (message.type === "plans") {
      this.statements.set(message.plansId, new PageStatements(message.plans));
      return;
    }
    let unopened = false;
    const run = async (): Promise<unknown> => {
      const store = await this.store.catch((error: unknown) => {
        unopened = true;
        throw error;
      });
      switch (message.type) {
        case "commit": {
          const statements = this.statements.get(message.plansId);
          if (statements === undefined) {
            throw new RangeError(`No page statements ${message.plansId}`);
          }
          return store.commit(statements, message.page);
        }
        case "execute":
          await store.direct.execute(message.sql, message.parameters);
          return undefined;
        case "firstColumn":
          return store.direct.firstColumn(message.sql, message.parameters);
      }
    };
    this.queue = this.queue.then(run).then(
      (value) => this.post({ callId: message.callId, value }),
      (error: unknown) =>
        this.post({
          callId: message.callId,
          error: wireOf(error),
          ...(unopened ? { unopened: true as const } : {}),
        }),
    );
  }

  private post(message: FromPageWriter): void {
    this.port.postMessage(message);
  }
}

function openStore(connection: DatabaseConnection): Promise<PageStore> {
  if (connection.kind !== "sqlite") {
    return PostgresPageStore.open(connection);
  }
  try {
    return Promise.resolve(new SqlitePageStore(connection));
  } catch (error) {
    // A file that is gone or unreadable: answered to each call, not a crash of the thread.
    return Promise.reject(new WorkerDatabaseError(undefined, error));
  }
}

/** Database failures keep their driver's name, code and query; anything else its message. */
function wireOf(error: unknown): FromPageWriterError {
  if (error instanceof WorkerDatabaseError) {
    return databaseWire(error);
  }
  return {
    kind: "other",
    name: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
  };
}

if (
  !isMainThread &&
  parentPort !== null &&
  (workerData as { mark?: unknown })?.mark === PAGE_WRITER_MARK
) {
  const { connection } = workerData as PageWriterData;
  const store = openStore(connection);
  // A store that cannot open fails each call with its error; the thread stays to say so.
  store.catch(() => undefined);
  new PageWriter(parentPort, store).listen();
}
