import type { DataSource } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import { recordEntityClassOf } from "../../database/entities";
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
import { checkTimeZone, localMidnight, type OffsetSpan, offsetSpans } from "./time-bucket.calendar";

/** More groups than a chart can show: the caller should narrow the filter or the dimensions. */
export const MAX_COUNT_GROUPS = 5000;

type Raw = Record<string, unknown>;

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
 * Counts of one table's records grouped by dimensions and a time bucket, in one GROUP BY (two
 * statements on SQLite with a bucket: the date range first, for the zone's offsets).
 */
export class RecordCountsService {
  private readonly records: RecordService;
  private readonly dimensions: ReadonlyMap<string, Dimension>;
  private readonly bucketFields: ReadonlyMap<string, { property: string }>;
  private readonly dialect: InsightDialect;

  constructor(
    dataSource: DataSource,
    private readonly table: TableDescriptor,
  ) {
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

    const query = this.records.filtered(args.integrationId, args.filter);
    const alias = query.alias;
    let spans: OffsetSpan[] = [];
    if (bucket !== null && bucketProperty !== null && this.dialect.needsOffsetSpans) {
      const range = await this.records
        .filtered(args.integrationId, args.filter)
        .select(`MIN(${alias}.${bucketProperty})`, "low")
        .addSelect(`MAX(${alias}.${bucketProperty})`, "high")
        .getRawOne<Raw>();
      const low = databaseTime(range?.low);
      const high = databaseTime(range?.high);
      spans = low && high ? offsetSpans(timeZone, low.getTime(), high.getTime()) : [];
    }

    const params = new SqlParameters("agg");
    query.select("COUNT(*)", "n");
    dimensions.forEach((dimension, index) => {
      const column = `${alias}.${dimension.column.property}`;
      const value =
        dimension.column.type === "text" ||
        dimension.column.type === "reference" ||
        dimension.column.type === "choice"
          ? `NULLIF(${column}, '')`
          : column;
      query.addSelect(value, `d${index}`).addGroupBy(`d${index}`);
      const label = dimension.label;
      if (label.kind === "column") {
        query.addSelect(`MAX(${alias}.${label.property})`, `l${index}`);
      } else if (label.kind === "reference") {
        const joined = `r${index}`;
        query
          .leftJoin(
            recordEntityClassOf(label.table),
            joined,
            `${joined}.integrationId = ${alias}.integrationId AND ${joined}.sysId = ${column}`,
          )
          .addSelect(`MAX(${joined}.${label.property})`, `l${index}`);
      }
    });
    if (bucket !== null && bucketProperty !== null) {
      const expression = this.dialect.bucketDate(
        `${alias}.${bucketProperty}`,
        bucket.interval,
        timeZone,
        spans,
        params,
      );
      query.addSelect(expression, "b").addGroupBy("b");
    }
    query.setParameters(params.values).limit(MAX_COUNT_GROUPS + 1);
    const rows = await query.getRawMany<Raw>();
    if (rows.length > MAX_COUNT_GROUPS) {
      throw GatewayError.badInput(
        "groupBy",
        `more than ${MAX_COUNT_GROUPS} groups: narrow the filter, the dimensions or the bucket`,
      );
    }
    const groups = rows.map((row): CountGroup => {
      const localDate = typeof row.b === "string" ? row.b : null;
      return {
        keys: dimensions.map((dimension, index): GroupKey =>
          this.keyOf(dimension, row[`d${index}`], row[`l${index}`]),
        ),
        bucketStart: localDate === null ? null : new Date(localMidnight(timeZone, localDate)),
        count: databaseNumber(row.n),
      };
    });
    return groups.sort(compareGroups);
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
