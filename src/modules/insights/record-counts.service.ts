import type { DataSource } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { RecordService } from "../records/record.service";
import type { CountsArgs } from "./insight.args";
import { bucketFieldsOf, type Dimension, dimensionsOf } from "./insight.dimensions";
import type { CountGroup, GroupKey } from "./insight.types";
import {
  databaseNumber,
  databaseTime,
  type InsightDialect,
  insightDialectOf,
  SqlParameters,
} from "./insight-sql.dialect";
import { columnsOf, InsightStatements } from "./insight-sql.statements";
import { checkTimeZone, localMidnight, type OffsetSpan, offsetSpans } from "./time-bucket.calendar";

/** More groups than a chart can show: the caller should narrow the filter or the dimensions. */
export const MAX_COUNT_GROUPS = 5000;

const keyText = (value: unknown): string | null => {
  if (value === null || value === undefined || value === "") {
    return null;
  }
  if (typeof value === "boolean") {
    return String(value);
  }
  return String(value);
};

/**
 * Counts of one table's records grouped by dimensions and a time bucket, in one statement (two
 * on SQLite with a bucket: the date range first, for the zone's offsets).
 */
export class RecordCountsService {
  private readonly records: RecordService;
  private readonly dimensions: ReadonlyMap<string, Dimension>;
  private readonly bucketFields: ReadonlyMap<string, { property: string }>;
  private readonly dialect: InsightDialect;
  private readonly statements: InsightStatements;

  constructor(
    private readonly dataSource: DataSource,
    private readonly table: TableDescriptor,
  ) {
    this.statements = new InsightStatements(dataSource);
    this.records = new RecordService(dataSource, table);
    this.dimensions = new Map(dimensionsOf(table).map((dimension) => [dimension.name, dimension]));
    this.bucketFields = bucketFieldsOf(table);
    this.dialect = insightDialectOf(dataSource);
  }

  async count(args: CountsArgs): Promise<CountGroup[]> {
    const dimensions = args.groupBy.map((name) => {
      const dimension = this.dimensions.get(name);
      if (dimension === undefined) {
        throw GatewayError.badInput(
          "groupBy",
          `${name} is not a dimension of ${this.table.label.toLowerCase()}`,
        );
      }
      return dimension;
    });
    if (new Set(args.groupBy).size !== args.groupBy.length) {
      throw GatewayError.badInput("groupBy", "groupBy must not name a dimension twice");
    }
    const bucket = args.bucket ?? null;
    const bucketProperty = bucket === null ? null : this.bucketField(bucket.field);
    const timeZone = bucket === null ? "UTC" : checkTimeZone(bucket.timeZone, "bucket.timeZone");

    const interval = bucket?.interval ?? null;
    const bucketColumn = (alias: string) => `${alias}.${bucketProperty ?? ""}`;
    let spans: OffsetSpan[] = [];
    if (interval !== null && bucketProperty !== null && this.dialect.needsOffsetSpans) {
      spans = await this.offsetSpansOver(args, bucketProperty, timeZone);
    }

    // Grouped on the stored values first (an index in (dimension, date) order serves it, and
    // no join runs per row), then labelled and merged ('' and NULL are one key) in an outer
    // query over the few groups.
    const query = this.records.filtered(args.integrationId, args.filter);
    const alias = query.alias;
    const params = new SqlParameters("agg");
    query.select(`${alias}.integrationId`, "gi").addSelect("COUNT(*)", "n").groupBy("gi");
    dimensions.forEach((dimension, index) => {
      query.addSelect(`${alias}.${dimension.column.property}`, `v${index}`).addGroupBy(`v${index}`);
      if (dimension.label.kind === "column") {
        query.addSelect(`MAX(${alias}.${dimension.label.property})`, `s${index}`);
      }
    });
    if (interval !== null) {
      const key = this.dialect.bucketKey(bucketColumn(alias), interval, timeZone, spans, params);
      query.addSelect(key, "b").addGroupBy("b");
    }
    query.setParameters(params.values);
    const [inner, bound] = query.getQueryAndParameters();

    const selected: string[] = [];
    const grouped: string[] = [];
    const joins: string[] = [];
    dimensions.forEach((dimension, index) => {
      const raw = `g."v${index}"`;
      const value = isText(dimension) ? `NULLIF(${raw}, '')` : raw;
      selected.push(value);
      grouped.push(value);
      const label = dimension.label;
      if (label.kind === "column") {
        selected.push(`MAX(g."s${index}")`);
      } else if (label.kind === "reference") {
        const joined = columnsOf(this.dataSource, label.table, `r${index}`);
        joins.push(
          `LEFT JOIN ${joined.table} ON ${joined("integrationId")} = g."gi" AND ${joined("sysId")} = ${raw}`,
        );
        selected.push(`MAX(${joined(label.property)})`);
      } else {
        selected.push("NULL");
      }
    });
    selected.push(interval === null ? "NULL" : `g."b"`, `SUM(g."n")`);
    if (interval !== null) {
      grouped.push(`g."b"`);
    }
    const rows = await this.statements.positional(
      `SELECT ${selected.join(", ")} FROM (${inner}) g ${joins.join(" ")}` +
        `${grouped.length === 0 ? "" : ` GROUP BY ${grouped.join(", ")}`} LIMIT ${MAX_COUNT_GROUPS + 1}`,
      bound,
    );
    if (rows.length > MAX_COUNT_GROUPS) {
      throw GatewayError.badInput(
        "groupBy",
        `more than ${MAX_COUNT_GROUPS} groups: narrow the filter, the dimensions or the bucket`,
      );
    }
    // Each bucket's start once (the zone's offset takes an Intl call), not once per group.
    const starts = new Map<string, Date>();
    const startOf = (localDate: string): Date => {
      let start = starts.get(localDate);
      if (start === undefined) {
        start = new Date(localMidnight(timeZone, localDate));
        starts.set(localDate, start);
      }
      return start;
    };
    const groups = rows.map((row): CountGroup => {
      const localDate =
        interval === null ? null : this.dialect.keyDate(row[row.length - 2], interval);
      return {
        keys: dimensions.map((dimension, index): GroupKey =>
          this.keyOf(dimension, row[2 * index], row[2 * index + 1]),
        ),
        bucketStart: localDate === null ? null : startOf(localDate),
        count: databaseNumber(row[row.length - 1]),
      };
    });
    return groups.sort(compareGroups);
  }

  /**
   * The zone's offsets over the bucketed column's range. MIN and MAX in two subqueries: each
   * alone is one index seek on SQLite, together they would scan.
   */
  private async offsetSpansOver(
    args: CountsArgs,
    property: string,
    timeZone: string,
  ): Promise<OffsetSpan[]> {
    const bound = (fn: "MIN" | "MAX") => {
      const query = this.records.filtered(args.integrationId, args.filter);
      return query.select(`${fn}(${query.alias}.${property})`, "v").getQueryAndParameters();
    };
    const [lowSql, lowParams] = bound("MIN");
    const [highSql, highParams] = bound("MAX");
    const [range] = await this.statements.positional(`SELECT (${lowSql}), (${highSql})`, [
      ...lowParams,
      ...highParams,
    ]);
    const low = databaseTime(range?.[0]);
    const high = databaseTime(range?.[1]);
    return low && high ? offsetSpans(timeZone, low.getTime(), high.getTime()) : [];
  }

  private bucketField(field: string): string {
    const column = this.bucketFields.get(field);
    if (column === undefined) {
      throw GatewayError.badInput(
        "bucket.field",
        `${this.table.label} have no ${field}; use one of ${[...this.bucketFields.keys()].join(", ")}`,
      );
    }
    return column.property;
  }

  private keyOf(dimension: Dimension, rawValue: unknown, rawLabel: unknown): GroupKey {
    const value = dimension.column.type === "boolean" ? booleanText(rawValue) : keyText(rawValue);
    const label = dimension.label;
    const stored = keyText(rawLabel);
    return {
      dimension: dimension.name,
      value,
      label:
        label.kind === "column"
          ? (stored ?? (value === null ? null : (label.defaults[value] ?? null)))
          : label.kind === "reference"
            ? stored
            : null,
    };
  }
}

/** Text-like dimensions, whose empty value is the same key as no value. */
function isText(dimension: Dimension): boolean {
  const type = dimension.column.type;
  return type === "text" || type === "reference" || type === "choice";
}

/** SQLite stores booleans as 1 and 0. */
function booleanText(value: unknown): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  return value === true || value === 1 || value === "1" || value === "true" ? "true" : "false";
}

/** By bucket (none last), then by each key's value (nulls last). */
function compareGroups(a: CountGroup, b: CountGroup): number {
  const time = (group: CountGroup) => group.bucketStart?.getTime() ?? Number.POSITIVE_INFINITY;
  if (time(a) !== time(b)) {
    return time(a) - time(b);
  }
  for (let index = 0; index < a.keys.length; index += 1) {
    const left = a.keys[index].value;
    const right = b.keys[index].value;
    if (left !== right) {
      if (left === null) {
        return 1;
      }
      if (right === null) {
        return -1;
      }
      const numeric = Number(left) - Number(right);
      return Number.isNaN(numeric) || numeric === 0 ? left.localeCompare(right) : numeric;
    }
  }
  return 0;
}
