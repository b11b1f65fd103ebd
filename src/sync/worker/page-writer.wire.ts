import path from "node:path";

import type { DatabaseConnection } from "../../database/data-source";
import type { PageCommit } from "./page.store";
import type { TablePagesPlans } from "./table-pages.job";
import type { DatabaseWireError } from "./worker-database.error";

/**
 * The page writer's protocol and where its entry is, apart from the entry itself: the sync
 * worker imports this, and so never loads the database drivers the writer thread loads.
 */

/** The writer's entry beside this file, compiled (`.js`) or not (`.ts`). */
export const PAGE_WRITER_FILE = path.join(
  __dirname,
  `page-writer.worker${path.extname(__filename)}`,
);

/** Marks a thread started as the page writer (workerData): importing its entry elsewhere does nothing. */
export const PAGE_WRITER_MARK = "servicenow-gateway:page-writer";

export interface PageWriterData {
  readonly mark: typeof PAGE_WRITER_MARK;
  readonly connection: DatabaseConnection;
}

/** What the sync worker asks of its writer. */
export type ToPageWriter =
  | { readonly type: "plans"; readonly plansId: number; readonly plans: TablePagesPlans }
  | {
      readonly type: "commit";
      readonly callId: number;
      readonly plansId: number;
      readonly page: PageCommit;
    }
  | {
      readonly type: "execute" | "firstColumn";
      readonly callId: number;
      readonly sql: string;
      readonly parameters: readonly unknown[];
    };

/** Each call's answer, in the order the calls were sent. */
export type FromPageWriter =
  | { readonly callId: number; readonly value: unknown }
  | {
      readonly callId: number;
      readonly error: FromPageWriterError;
      /** The connection never opened: this writer can do nothing more (a new one may). */
      readonly unopened?: true;
    };

export type FromPageWriterError =
  DatabaseWireError | { readonly kind: "other"; readonly name: string; readonly message: string };
