import { type EncodedQuery, pageSysIds, type ServiceNowClient } from "../../servicenow";
import type { PageExecutor } from "./page.store";
import { quoteIdentifier, quoteTablePath, type UpsertPlan } from "./upsert.plan";

/** Deletes go in batches of this many sys_ids, each its own statement (and transaction). */
const DELETE_BATCH = 500;

export interface ReconcileContext {
  readonly client: ServiceNowClient;
  /** Statements outside a page's transaction: each one commits on its own. */
  readonly executor: PageExecutor;
  readonly signal: AbortSignal;
  /** After each committed delete: the sys_ids it removed. */
  readonly onDeleted: (sysIds: readonly string[]) => void;
}

/**
 * Deletes cached rows ServiceNow no longer has: a merge of its sys_id pages (sys_id order,
 * keyset, `sysparm_fields=sys_id`) against ours, range by range, so memory stays flat. Runs
 * where the table's pages ran (the sync worker), so none of its requests and statements waits
 * for a turn of the thread that answers GraphQL.
 */
export async function reconcileTable(
  job: {
    readonly integrationId: string;
    readonly table: string;
    readonly scope: EncodedQuery | undefined;
    readonly pageSize: number;
    readonly rows: UpsertPlan;
  },
  context: ReconcileContext,
): Promise<number> {
  const statements = new ReconcileStatements(job.rows);
  const { executor } = context;
  let deleted = 0;
  let previous: string | null = null;
  const removeLocalRange = async (upTo: string | null, remote: ReadonlySet<string>) => {
    const local = (await executor.firstColumn(
      statements.localRange(previous !== null, upTo !== null),
      [
        job.integrationId,
        ...(previous === null ? [] : [previous]),
        ...(upTo === null ? [] : [upTo]),
      ],
    )) as string[];
    const gone = local.filter((sysId) => !remote.has(sysId));
    for (let start = 0; start < gone.length; start += DELETE_BATCH) {
      const batch = gone.slice(start, start + DELETE_BATCH);
      const removed = (await executor.firstColumn(statements.delete, [
        job.integrationId,
        statements.list(batch),
      ])) as string[];
      if (removed.length > 0) {
        context.onDeleted(removed);
      }
      deleted += removed.length;
    }
  };
  for await (const page of pageSysIds(context.client, {
    table: job.table,
    scope: job.scope,
    pageSize: Math.max(job.pageSize, 1000),
    signal: context.signal,
  })) {
    await removeLocalRange(page.cursor, new Set(page.sysIds));
    previous = page.cursor;
  }
  await removeLocalRange(null, new Set());
  return deleted;
}

/** The reconciliation's statements for one record table, in its database's dialect. */
class ReconcileStatements {
  readonly delete: string;
  private readonly ranges = new Map<string, string>();
  private readonly postgres: boolean;
  private readonly table: string;
  private readonly integration: string;
  private readonly sysId: string;

  constructor(plan: UpsertPlan) {
    this.postgres = plan.dialect === "postgres";
    this.table = quoteTablePath(plan.table);
    this.integration = quoteIdentifier(columnOf(plan, "integrationId").name);
    const sysId = columnOf(plan, "sysId");
    this.sysId = quoteIdentifier(sysId.name);
    const list = this.postgres
      ? `${this.sysId} = ANY($2::${sysId.sqlType}[])`
      : `${this.sysId} IN (SELECT value FROM json_each(?))`;
    // RETURNING: what is announced and counted is what this statement removed.
    this.delete = `DELETE FROM ${this.table} WHERE ${this.integration} = ${this.placeholder(1)} AND ${list} RETURNING ${this.sysId}`;
  }

  /** The list parameter of `delete`: an array for PostgreSQL, JSON text for SQLite's json_each. */
  list(sysIds: readonly string[]): unknown {
    return this.postgres ? sysIds : JSON.stringify(sysIds);
  }

  /** Our sys_ids of the integration in (after, upTo], either bound open. */
  localRange(after: boolean, upTo: boolean): string {
    const key = `${after}:${upTo}`;
    let sql = this.ranges.get(key);
    if (sql === undefined) {
      let index = 1;
      const conditions = [`${this.integration} = ${this.placeholder(index)}`];
      if (after) {
        index += 1;
        conditions.push(`${this.sysId} > ${this.placeholder(index)}`);
      }
      if (upTo) {
        index += 1;
        conditions.push(`${this.sysId} <= ${this.placeholder(index)}`);
      }
      sql = `SELECT ${this.sysId} FROM ${this.table} WHERE ${conditions.join(" AND ")}`;
      this.ranges.set(key, sql);
    }
    return sql;
  }

  private placeholder(index: number): string {
    return this.postgres ? `$${index}` : "?";
  }
}

function columnOf(plan: UpsertPlan, property: string): UpsertPlan["columns"][number] {
  const column = plan.columns.find((candidate) => candidate.property === property);
  if (column === undefined) {
    throw new Error(`${plan.table} has no ${property} column`);
  }
  return column;
}
