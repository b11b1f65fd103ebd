import { type EncodedQuery, pageSysIds, type ServiceNowClient } from "../../servicenow";
import type { PageExecutor } from "./page.store";
import { RecordKeySql, type UpsertPlan } from "./upsert.plan";

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
  private readonly key: RecordKeySql;

  constructor(plan: UpsertPlan) {
    const key = new RecordKeySql(plan);
    this.key = key;
    // RETURNING: what is announced and counted is what this statement removed.
    this.delete = `DELETE FROM ${key.table} WHERE ${key.integration} = ${key.placeholder(1)} AND ${key.sysIdIn(2)} RETURNING ${key.sysId}`;
  }

  /** The list parameter of `delete`. */
  list(sysIds: readonly string[]): unknown {
    return this.key.list(sysIds);
  }

  /** Our sys_ids of the integration in (after, upTo], either bound open. */
  localRange(after: boolean, upTo: boolean): string {
    const key = `${after}:${upTo}`;
    let sql = this.ranges.get(key);
    if (sql === undefined) {
      const { integration, sysId, table } = this.key;
      let index = 1;
      const conditions = [`${integration} = ${this.key.placeholder(index)}`];
      if (after) {
        index += 1;
        conditions.push(`${sysId} > ${this.key.placeholder(index)}`);
      }
      if (upTo) {
        index += 1;
        conditions.push(`${sysId} <= ${this.key.placeholder(index)}`);
      }
      sql = `SELECT ${sysId} FROM ${table} WHERE ${conditions.join(" AND ")}`;
      this.ranges.set(key, sql);
    }
    return sql;
  }
}
