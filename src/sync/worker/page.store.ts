import type { RecordCursor } from "../../servicenow";
import type { SyncTableCounts } from "../sync-run.entity";
import { type EncodedRows, PlanUpserter, type UpsertExecutor } from "./plan.upserter";
import type { TablePagesPlans } from "./table-pages.job";
import { quoteIdentifier, quoteTablePath, RecordKeySql } from "./upsert.plan";

/** One page as it commits: its rows, the table's new watermark and the run's counts. */
export interface PageCommit {
  readonly integrationId: string;
  readonly tableName: string;
  /** The page's mapped rows, encoded by `PageStatements.encode`. */
  readonly rows: EncodedRows;
  /** The rows' sys_ids, in the same order. */
  readonly sysIds: readonly string[];
  readonly watermark: RecordCursor;
  readonly overlapFrom: Date | null;
  readonly syncedAt: Date;
  readonly runId: string;
  readonly counts: readonly SyncTableCounts[];
}

/** The sys_ids a committed page wrote: rows new to the cache, and rows it already held. */
export interface PageChanges {
  readonly inserted: readonly string[];
  readonly updated: readonly string[];
}

/** An upserter's executor that can also read one column of a statement's rows. */
export interface PageExecutor extends UpsertExecutor {
  firstColumn(sql: string, parameters: readonly unknown[]): Promise<unknown[]>;
}

/** Where pages commit: each call is one transaction, all of it or nothing. */
export interface PageStore {
  /** Resolves once committed, with what the page inserted and updated. */
  commit(statements: PageStatements, page: PageCommit): Promise<PageChanges>;
  /** Statements outside a page's transaction, each committed on its own (reconciliation). */
  readonly direct: PageExecutor;
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
  private readonly key: RecordKeySql;
  /** SQLite: the page's sys_ids the cache holds, read before the upsert. */
  private readonly existingSql: string;
  /** PostgreSQL: the upsert itself, answering the sys_ids it inserted. */
  private readonly insertedSql: string;

  constructor(readonly plans: TablePagesPlans) {
    this.rows = new PlanUpserter(plans.rows);
    this.key = new RecordKeySql(plans.rows);
    const postgres = plans.rows.dialect === "postgres";
    // On the record key's unique index; the list is one parameter, so the text never changes.
    this.existingSql = postgres
      ? ""
      : `SELECT ${this.key.sysId} FROM ${this.key.table} WHERE ${this.key.integration} = ${this.key.placeholder(1)} AND ${this.key.sysIdIn(2)}`;
    this.insertedSql = postgres ? this.rows.insertedSql(this.key.sysIdColumn) : "";
    this.state = new PlanUpserter(plans.state);
    const { table, countsColumn, idColumn } = plans.runCounts;
    const [first, second] = plans.rows.dialect === "postgres" ? ["$1", "$2"] : ["?", "?"];
    this.runCountsSql = `UPDATE ${quoteTablePath(table)} SET ${quoteIdentifier(countsColumn)} = ${first} WHERE ${quoteIdentifier(idColumn)} = ${second}`;
  }

  /** The page's rows as bound parameters: on the mapping side, before the commit. */
  encode(rows: readonly object[]): { rows: EncodedRows; sysIds: string[] } {
    return {
      rows: this.rows.encode(rows),
      sysIds: rows.map((row) => (row as { readonly sysId: string }).sysId),
    };
  }

  /**
   * What tells an INSERT from an UPDATE for subscribers, in the page's transaction: on
   * PostgreSQL the upsert answers the sys_ids it inserted; on SQLite (whose upsert cannot say)
   * the rows the cache already holds are read first, with one indexed statement.
   */
  async write(executor: PageExecutor, page: PageCommit): Promise<PageChanges> {
    const { sysIds } = page;
    let isNew: (sysId: string) => boolean;
    if (sysIds.length === 0) {
      isNew = () => false;
    } else if (this.plans.rows.dialect === "postgres") {
      const inserted = new Set(await executor.firstColumn(this.insertedSql, page.rows.values));
      isNew = (sysId) => inserted.has(sysId);
    } else {
      const existing = new Set(
        await executor.firstColumn(this.existingSql, [page.integrationId, this.key.list(sysIds)]),
      );
      await this.rows.write(executor, page.rows);
      isNew = (sysId) => !existing.has(sysId);
    }
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
    return {
      inserted: sysIds.filter((sysId) => isNew(sysId)),
      updated: sysIds.filter((sysId) => !isNew(sysId)),
    };
  }
}
