import { GatewayError } from "../../common/gateway.error";
import { DEFAULT_PAGE_SIZE } from "../../graphql/pagination/pagination.args";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import type { ConnectionResult } from "../keyset";
import { orderingSignature } from "../keyset";
import { encodeCursor } from "../keyset-cursor";
import { sortTermsOf } from "../sort-terms";
import {
  afterCondition,
  cursorScopeOfList,
  filterConditions,
  type ListArguments,
  type LookupArguments,
  lookupConditions,
  type PlannedSortKey,
  type RecordsArguments,
  sortKeysOf,
  SqlParameters,
} from "./read-arguments";
import {
  type ChildPlan,
  type ListPlan,
  type LookupPlan,
  type NodePlan,
  type PlannedRecord,
  PRELOADED,
} from "./read-plan";
import { quoteIdentifier, type SqlDialect } from "./sql-dialect";
import type { RawRow, SqlExecutor } from "./sql-executor";

const column = (alias: string, name: string): string =>
  `${quoteIdentifier(alias)}.${quoteIdentifier(name)}`;

/** Records of a statement, and per child plan the records that are its parents. */
type Parents = Map<ChildPlan, PlannedRecord[]>;

/** What marks a record without relations as planned, shared: no object per row. */
const NOTHING_PRELOADED: Record<string, unknown> = Object.freeze({});

function shapeRecord(node: NodePlan, row: RawRow, parents: Parents): PlannedRecord {
  const record: PlannedRecord = {};
  for (const value of node.values) {
    record[value.key] = value.decode(row[value.index]);
  }
  if (node.joins.length === 0 && node.children.length === 0) {
    record[PRELOADED] = NOTHING_PRELOADED;
  } else {
    const preloaded: Record<string, unknown> = {};
    for (const join of node.joins) {
      preloaded[join.responseKey] =
        row[join.presentIndex] === null ? null : shapeRecord(join.node, row, parents);
    }
    record[PRELOADED] = preloaded;
    for (const child of node.children) {
      let list = parents.get(child);
      if (list === undefined) {
        list = [];
        parents.set(child, list);
      }
      list.push(record);
    }
  }
  return record;
}

/** The cursor of a page row: its sort values (selected after the record's) and its id. */
function cursorOf(
  row: RawRow,
  offset: number,
  ordering: string,
  scope: string,
  keys: readonly PlannedSortKey[],
  dialect: SqlDialect,
): string {
  const values: (string | number | null)[] = [];
  keys.forEach((key, index) => {
    const raw = row[offset + index];
    values.push(
      raw === null || raw === undefined
        ? null
        : key.kind === "date"
          ? dialect.dateTime(raw)
          : (raw as string | number),
    );
  });
  return encodeCursor({ ordering, scope, values, id: row[offset + keys.length] as number });
}

const parentKey = (integrationId: unknown, sysId: unknown): string =>
  `${String(integrationId)}\u0000${String(sysId)}`;

/**
 * Runs read plans: one page (or lookup) statement with its to-ones joined, then one batched
 * statement per to-many relation and level, and the count only when asked for.
 */
export class ReadPlanRunner {
  constructor(
    private readonly executor: SqlExecutor,
    readonly dialect: SqlDialect,
  ) {}

  async list(
    table: TableDescriptor,
    plan: ListPlan,
    args: ListArguments,
  ): Promise<ConnectionResult<PlannedRecord>> {
    const keys = sortKeysOf(table, args);
    const scope = cursorScopeOfList(table, args, keys);
    const parameters = new SqlParameters(this.dialect);
    const conditions = filterConditions(table, args, parameters);
    const filterValues = [...parameters.values];
    const where = [...conditions];
    if (args.after !== null && args.after !== undefined) {
      where.push(afterCondition(args.after, keys, scope, parameters));
    }
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    const { shape } = plan;
    const tiebreak = keys.at(-1)?.direction ?? "ASC";
    const sortSelect = keys.map((key) => {
      const expression = column("t0", key.column);
      return key.kind === "date" ? this.dialect.selectDateTime(expression) : expression;
    });
    const sql =
      `SELECT ${shape.select}, ${[...sortSelect, column("t0", "id")].join(", ")} FROM ${shape.from}` +
      (where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "") +
      ` ORDER BY ${[
        ...keys.flatMap((key) =>
          sortTermsOf(key, column("t0", key.column), this.dialect.kind === "postgres").map(
            (term) => `${term.expression} ${key.direction}`,
          ),
        ),
        `${column("t0", "id")} ${tiebreak}`,
      ].join(", ")} LIMIT ${parameters.bind(first + 1)}`;
    const fetched = await this.executor.all(sql, parameters.values);
    const hasNextPage = fetched.length > first;
    const rows = hasNextPage ? fetched.slice(0, first) : fetched;
    const parents: Parents = new Map();
    const nodes = rows.map((row) => shapeRecord(shape.node, row, parents));
    await this.loadChildren(parents);
    const ordering = orderingSignature(keys);
    const cursors = plan.cursors
      ? rows.map((row) => cursorOf(row, shape.width, ordering, scope, keys, this.dialect))
      : [];
    return {
      nodes,
      cursors,
      hasNextPage,
      count: async () => {
        const countSql =
          `SELECT COUNT(*) FROM ${quoteIdentifier(table.entityName)} ${quoteIdentifier("t0")}` +
          (conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "");
        const [[count]] = await this.executor.all(countSql, filterValues);
        return Number(count);
      },
    };
  }

  async lookup(
    table: TableDescriptor,
    plan: LookupPlan,
    args: LookupArguments,
  ): Promise<PlannedRecord | null> {
    const parameters = new SqlParameters(this.dialect);
    const conditions = lookupConditions(table, args, parameters);
    const { shape } = plan;
    const sql =
      `SELECT ${shape.select} FROM ${shape.from} WHERE ${conditions.join(" AND ")}` +
      ` ORDER BY ${column("t0", "id")} ASC LIMIT 2`;
    const rows = await this.executor.all(sql, parameters.values);
    if (rows.length > 1) {
      // The same refusal as record-lookup.ts.
      throw GatewayError.badInput(
        "integrationId",
        `Several integrations have a record with this ${args.sysId ? "sysId" : table.lookup!.key}; pass integrationId`,
      );
    }
    if (rows.length === 0) {
      return null;
    }
    const parents: Parents = new Map();
    const record = shapeRecord(shape.node, rows[0], parents);
    await this.loadChildren(parents);
    return record;
  }

  /**
   * The records among a set of sys_ids that pass a list filter, shaped by a lookup plan (a
   * subscription field returning one record per event): one statement, then the children.
   */
  async records(
    table: TableDescriptor,
    plan: LookupPlan,
    args: RecordsArguments,
  ): Promise<PlannedRecord[]> {
    if (args.sysIds.length === 0) {
      return [];
    }
    const parameters = new SqlParameters(this.dialect);
    const conditions = filterConditions(
      table,
      { integrationId: args.integrationId, filter: args.filter },
      parameters,
    );
    conditions.push(
      this.dialect.inList(
        column("t0", "sys_id"),
        parameters.bind(this.dialect.listParameter(args.sysIds)),
      ),
    );
    const { shape } = plan;
    const sql =
      `SELECT ${shape.select} FROM ${shape.from} WHERE ${conditions.join(" AND ")}` +
      ` ORDER BY ${column("t0", "id")} ASC`;
    const rows = await this.executor.all(sql, parameters.values);
    const parents: Parents = new Map();
    const records = rows.map((row) => shapeRecord(shape.node, row, parents));
    await this.loadChildren(parents);
    return records;
  }

  /** One statement per child plan with parents; then their children, level by level. */
  private async loadChildren(parents: Parents): Promise<void> {
    await Promise.all(
      [...parents].map(async ([child, records]) => {
        const preloaded = (record: PlannedRecord) => record[PRELOADED]!;
        if (child.invalid !== null) {
          for (const record of records) {
            preloaded(record)[child.responseKey] = child.invalid;
          }
          return;
        }
        const grouped = await this.loadChild(child, records);
        for (const record of records) {
          preloaded(record)[child.responseKey] =
            grouped.get(parentKey(record.integrationId, record.sysId)) ?? [];
        }
      }),
    );
  }

  private async loadChild(
    child: ChildPlan,
    records: readonly PlannedRecord[],
  ): Promise<Map<string, PlannedRecord[]>> {
    const { shape } = child;
    const parameters = new SqlParameters(this.dialect);
    const integrations = [...new Set(records.map((record) => record.integrationId))];
    const sysIds = [...new Set(records.map((record) => record.sysId))];
    // Both lists, not pairs: a sys_id shared across integrations only over-fetches, and the
    // grouping below keys on both.
    const where = [
      this.dialect.inList(
        column("t0", "integration_id"),
        parameters.bind(this.dialect.listParameter(integrations)),
      ),
      this.dialect.inList(
        column("t0", child.foreignKey),
        parameters.bind(this.dialect.listParameter(sysIds)),
      ),
    ];
    const order = child.orderBy
      .map((key) => `${column("t0", key.column)} ${key.direction}`)
      .join(", ");
    const foreignKey = column("t0", child.foreignKey);
    let sql: string;
    if (child.window === null) {
      sql = `SELECT ${shape.select}, ${foreignKey} FROM ${shape.from} WHERE ${where.join(" AND ")} ORDER BY ${order}`;
    } else {
      if (child.window.element !== null) {
        where.push(`${column("t0", "element")} = ${parameters.bind(child.window.element)}`);
      }
      // The per-parent limit in SQL: rank each parent's entries, keep the first n.
      const rank = `ROW_NUMBER() OVER (PARTITION BY ${column("t0", "integration_id")}, ${foreignKey} ORDER BY ${order})`;
      sql =
        `SELECT * FROM (SELECT ${shape.select}, ${foreignKey} AS "parent", ${rank} AS "rank"` +
        ` FROM ${shape.from} WHERE ${where.join(" AND ")}) ranked` +
        ` WHERE ranked."rank" <= ${parameters.bind(child.window.first)} ORDER BY ranked."rank"`;
    }
    const rows = await this.executor.all(sql, parameters.values);
    const parents: Parents = new Map();
    const grouped = new Map<string, PlannedRecord[]>();
    for (const row of rows) {
      const record = shapeRecord(shape.node, row, parents);
      const key = parentKey(record.integrationId, row[shape.width]);
      let list = grouped.get(key);
      if (list === undefined) {
        list = [];
        grouped.set(key, list);
      }
      list.push(record);
    }
    await this.loadChildren(parents);
    return grouped;
  }
}
