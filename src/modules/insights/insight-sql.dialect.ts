import type { DataSource } from "typeorm";

import type { OffsetSpan, TimeIntervalName } from "./time-bucket.calendar";

/** Named parameters of one statement (`:p0`, `:p1`, …), bound by TypeORM's driver. */
export class SqlParameters {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  constructor(private readonly prefix = "p") {}

  /** The placeholder of a new parameter holding `value`. */
  add(value: unknown): string {
    const name = `${this.prefix}${this.next++}`;
    this.values[name] = value;
    return `:${name}`;
  }
}

/**
 * The SQL that differs between SQLite and PostgreSQL in the insights: a bucket key (grouped
 * on; keyDate turns it into the bucket's local start date, YYYY-MM-DD in an IANA zone) and a
 * whole number of seconds between two date-times.
 */
export interface InsightDialect {
  readonly kind: "sqlite" | "postgres";
  /** Whether bucketKey needs the zone's offsets over the data (SQLite has no zone database). */
  readonly needsOffsetSpans: boolean;
  /** The key of `column`'s bucket in `timeZone`; NULL when the column is. */
  bucketKey(
    column: string,
    interval: TimeIntervalName,
    timeZone: string,
    spans: readonly OffsetSpan[],
    params: SqlParameters,
  ): string;
  /** The local date (YYYY-MM-DD) at which the bucket of a key as the driver returns it starts. */
  keyDate(key: unknown, interval: TimeIntervalName): string | null;
  /** Whole seconds from `start` to `end`. */
  secondsBetween(end: string, start: string): string;
  /** A bound date-time parameter, typed where the database needs it. */
  timestamp(value: Date, params: SqlParameters): string;
  /**
   * `column` in a join or EXISTS term, kept from choosing an index: on SQLite (no statistics)
   * `integration_id = …` would pick the (integration_id, sys_id) index, one integration being
   * every row, over the selective caused_by/rfc index.
   */
  unindexed(column: string): string;
}

/** A balanced CASE over the spans: about log2(spans) comparisons per row, integer seconds. */
function offsetCase(column: string, spans: readonly OffsetSpan[], params: SqlParameters): string {
  if (spans.length === 1) {
    // A literal, not a parameter: better-sqlite3 binds numbers as REAL, and the key's integer
    // division must stay integral.
    return String(Math.trunc(spans[0].offsetSeconds));
  }
  const middle = Math.floor(spans.length / 2);
  const left = offsetCase(column, spans.slice(0, middle), params);
  const boundary = params.add(new Date(spans[middle].start));
  const right = offsetCase(column, spans.slice(middle), params);
  return `(CASE WHEN ${column} < ${boundary} THEN ${left} ELSE ${right} END)`;
}

const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;
/** Added before dividing, so integer division (which truncates) floors dates before 1970 too. */
const SHIFT_WEEKS = 100_000;
/** 1970-01-05, the first Monday of the Unix epoch, in days: weeks are counted from it. */
const FIRST_MONDAY_DAYS = 4;

const SQLITE: InsightDialect = {
  kind: "sqlite",
  needsOffsetSpans: true,
  bucketKey(column, interval, _timeZone, spans, params) {
    // Stored as UTC text: parsed once (unixepoch), shifted by the zone's offset at that instant,
    // then integer arithmetic for days and weeks; months keep strftime.
    const shift = spans.length === 0 ? "0" : offsetCase(column, spans, params);
    const local = `(unixepoch(${column}) + ${shift})`;
    const shifted = SHIFT_WEEKS * WEEK_SECONDS;
    switch (interval) {
      case "DAY":
        return `((${local} + ${shifted}) / ${DAY_SECONDS})`;
      case "WEEK":
        return `((${local} + ${shifted - FIRST_MONDAY_DAYS * DAY_SECONDS}) / ${WEEK_SECONDS})`;
      case "MONTH":
        return `strftime('%Y-%m-01', ${local}, 'unixepoch')`;
    }
  },
  keyDate(key, interval) {
    if (key === null || key === undefined) {
      return null;
    }
    const dateOfDay = (day: number) =>
      new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 10);
    switch (interval) {
      case "DAY":
        return dateOfDay(Number(key) - SHIFT_WEEKS * 7);
      case "WEEK":
        return dateOfDay((Number(key) - SHIFT_WEEKS) * 7 + FIRST_MONDAY_DAYS);
      case "MONTH":
        return String(key);
    }
  },
  secondsBetween(end, start) {
    return `CAST(ROUND(unixepoch(${end}, 'subsec') - unixepoch(${start}, 'subsec')) AS INTEGER)`;
  },
  timestamp(value, params) {
    return params.add(value);
  },
  unindexed(column) {
    return `+${column}`;
  },
};

const POSTGRES: InsightDialect = {
  kind: "postgres",
  needsOffsetSpans: false,
  bucketKey(column, interval, timeZone, _spans, params) {
    // date_trunc's weeks start on Monday (ISO), as ours do.
    const unit = interval === "DAY" ? "day" : interval === "WEEK" ? "week" : "month";
    return `to_char(date_trunc('${unit}', ${column} AT TIME ZONE ${params.add(timeZone)}), 'YYYY-MM-DD')`;
  },
  keyDate(key) {
    return typeof key === "string" ? key : null;
  },
  secondsBetween(end, start) {
    return `CAST(ROUND(EXTRACT(EPOCH FROM (${end} - ${start}))) AS BIGINT)`;
  },
  timestamp(value, params) {
    return `CAST(${params.add(value)} AS timestamptz)`;
  },
  unindexed(column) {
    return column;
  },
};

export function insightDialectOf(dataSource: DataSource): InsightDialect {
  return dataSource.options.type === "postgres" ? POSTGRES : SQLITE;
}

/** A date-time as a driver returns it: a Date (PostgreSQL) or UTC text (SQLite). */
export function databaseTime(value: unknown): Date | null {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === "string" && value !== "") {
    const iso = value.includes("T") ? value : `${value.replace(" ", "T")}Z`;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

/** A count or sum as a driver returns it (PostgreSQL's bigint and numeric come as text). */
export function databaseNumber(value: unknown): number {
  if (typeof value === "number") {
    return value;
  }
  if (typeof value === "string" || typeof value === "bigint") {
    return Number(value);
  }
  return 0;
}
