import type { RecordCursor } from "../../servicenow";
import type { SyncTableCounts } from "../sync-run.entity";
import { PlanUpserter, type UpsertExecutor } from "./plan.upserter";
import type { TablePagesPlans } from "./table-pages.job";
import { quoteIdentifier, quoteTablePath } from "./upsert.plan";

/** One page as it commits: its rows, the table's new watermark and the run's counts. */
export interface PageCommit {
  readonly integrationId: string;
  readonly tableName: string;
  readonly rows: readonly object[];
  readonly watermark: RecordCursor;
  readonly overlapFrom: Date | null;
  readonly syncedAt: Date;
  readonly runId: string;
  readonly counts: readonly SyncTableCounts[];
}

/** Where pages commit: each call is one transaction, all of it or nothing. */
export interface PageStore {
  commit(statements: PageStatements, page: PageCommit): Promise<void>;
  close(): Promise<void>;
}

/**
 * The statements of one page's transaction, for any executor: the rows, the SyncState upsert
 * (only the watermark columns, as `manager.upsert` wrote them) and the run row's counts.
 */
export class PageStatements {
  private readonly rows: PlanUpserter;
  private readonly state: PlanUpserter;
  private readonly runCountsSql: string;

  constructor(plans: TablePagesPlans) {
    this.rows = new PlanUpserter(plans.rows);
    this.state = new PlanUpserter(plans.state);
    const { table, countsColumn, idColumn } = plans.runCounts;
    const [first, second] = plans.rows.dialect === "postgres" ? ["$1", "$2"] : ["?", "?"];
    this.runCountsSql = `UPDATE ${quoteTablePath(table)} SET ${quoteIdentifier(countsColumn)} = ${first} WHERE ${quoteIdentifier(idColumn)} = ${second}`;
  }

  async write(executor: UpsertExecutor, page: PageCommit): Promise<void> {
    await this.rows.upsert(executor, page.rows);
    await this.state.upsert(executor, [
      {
        integrationId: page.integrationId,
        tableName: page.tableName,
        watermarkTime: page.watermark.timestamp,
        watermarkSysId: page.watermark.sysId,
        overlapFrom: page.overlapFrom,
        updatedAt: page.syncedAt,
      },
    ]);
    await executor.execute(this.runCountsSql, [JSON.stringify(page.counts), page.runId]);
  }
}
