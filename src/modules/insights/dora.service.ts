import type { DataSource } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import type { RawRow } from "../../database/read/sql-executor";
import {
  CHANGE_REQUEST_STATE_VALUES,
  CHANGE_REQUEST_TABLE,
} from "../change-requests/change-request.table";
import { INCIDENT_STATE_VALUES, INCIDENT_TABLE } from "../incidents/incident.table";
import { Integration } from "../integrations/integration.entity";
import type { DoraArgs } from "./insight.args";
import { type DurationObservation, summarizeDurations, wilsonRate } from "./insight.statistics";
import type { DoraPoint, DoraReport } from "./insight.types";
import {
  databaseNumber,
  databaseTime,
  type InsightDialect,
  insightDialectOf,
  SqlParameters,
} from "./insight-sql.dialect";
import { type Columns, columnsOf, InsightStatements } from "./insight-sql.statements";
import { bucketsBetween, checkTimeZone, offsetSpans } from "./time-bucket.calendar";

const WEEK_SECONDS = 604_800;
/** A series longer than this is not a chart: ask for a larger bucket. */
export const MAX_SERIES_BUCKETS = 1000;
const UNSUCCESSFUL = "unsuccessful";

type Raw = Record<string, unknown>;

/**
 * DORA metrics in four constant statements: asOf, deployments (with failure and rework flags
 * and recovery times) per bucket, resolved restore times per bucket and duration, the
 * unresolved per bucket. Only the rates, percentiles and survival quantiles are computed
 * here, over those reduced rows.
 */
export class DoraService {
  private readonly dialect: InsightDialect;
  private readonly statements: InsightStatements;
  private readonly change: Columns;
  private readonly incident: Columns;
  private readonly causing: Columns;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = insightDialectOf(dataSource);
    this.statements = new InsightStatements(dataSource);
    this.change = columnsOf(dataSource, CHANGE_REQUEST_TABLE, "c");
    this.incident = columnsOf(dataSource, INCIDENT_TABLE, "i");
    this.causing = columnsOf(dataSource, INCIDENT_TABLE, "x");
  }

  async report(args: DoraArgs): Promise<DoraReport> {
    const { from, to } = args;
    if (from.getTime() >= to.getTime()) {
      throw GatewayError.badInput("to", "to must be after from");
    }
    const timeZone = checkTimeZone(args.timeZone, "timeZone");
    const interval = args.bucket ?? null;
    const buckets = interval === null ? [] : bucketsBetween(timeZone, interval, from, to);
    if (buckets.length > MAX_SERIES_BUCKETS) {
      throw GatewayError.badInput(
        "bucket",
        `the window holds more than ${MAX_SERIES_BUCKETS} buckets: choose a larger bucket or a shorter window`,
      );
    }
    const spans =
      interval !== null && this.dialect.needsOffsetSpans
        ? offsetSpans(timeZone, from.getTime(), to.getTime())
        : [];
    const bucketOf = (column: string, params: SqlParameters): string =>
      interval === null
        ? "NULL"
        : this.dialect.bucketKey(column, interval, timeZone, spans, params);
    // A bucket's date once per key, not once per reduced row.
    const dates = new Map<unknown, string | null>();
    const dateOf = (key: unknown): string | null => {
      if (interval === null) {
        return null;
      }
      let date = dates.get(key);
      if (date === undefined) {
        date = this.dialect.keyDate(key, interval);
        dates.set(key, date);
      }
      return date;
    };
    const observationOf = (row: RawRow, censored: boolean): BucketObservation => ({
      bucket: dateOf(row[0]),
      seconds: Math.max(0, databaseNumber(row[1])),
      censored,
      count: databaseNumber(row[2]),
    });
    const integrationId = args.integrationId ?? null;
    const asOf = await this.asOf(integrationId);

    const c = this.change;
    const i = this.incident;
    const x = this.causing;
    const deployedAt = `COALESCE(${c("closedAt")}, ${c("workEndAt")}, ${c("plannedEndAt")})`;
    const deploymentsWhere = (params: SqlParameters): string =>
      [
        `${c("stateValue")} = ${params.add(CHANGE_REQUEST_STATE_VALUES.CLOSED)}`,
        `${deployedAt} >= ${this.dialect.timestamp(from, params)}`,
        `${deployedAt} < ${this.dialect.timestamp(to, params)}`,
        ...(integrationId === null ? [] : [`${c("integrationId")} = ${params.add(integrationId)}`]),
      ].join(" AND ");
    // Through the caused_by and rfc indexes: one seek, and a row read to match the integration.
    const causing = `${x("causedBySysId")} = ${c("sysId")} AND ${this.dialect.unindexed(x("integrationId"))} = ${c("integrationId")}`;
    const reworked = `EXISTS (SELECT 1 FROM ${x.table} WHERE ${x("rfcSysId")} = ${c("sysId")} AND ${this.dialect.unindexed(x("integrationId"))} = ${c("integrationId")})`;

    // One row per bucket, failure, rework and recovery time, the recovery time read in the same
    // pass as the failure (the incidents a deployment caused): NULL when it caused none, else
    // seconds × 2 + 1 while any of them is unresolved (censored at asOf), seconds × 2 after.
    const deployments = new SqlParameters();
    const xRestoredAt = `COALESCE(${x("resolvedAt")}, ${x("closedAt")})`;
    const xOpen = `SUM(CASE WHEN ${xRestoredAt} IS NULL THEN 1 ELSE 0 END)`;
    const recoveredAt = `CASE WHEN ${xOpen} > 0 THEN ${this.dialect.timestamp(asOf, deployments)} ELSE MAX(${xRestoredAt}) END`;
    const recoveryKey = `(SELECT CASE WHEN COUNT(*) = 0 THEN NULL
        ELSE ${this.dialect.secondsBetween(recoveredAt, deployedAt)} * 2 + CASE WHEN ${xOpen} > 0 THEN 1 ELSE 0 END END
       FROM ${x.table} WHERE ${causing})`;
    const deploymentRows = await this.statements.all(
      `SELECT d.b AS b, COUNT(*) AS n,
        CASE WHEN d.unsuccessful = 1 OR d.recovery IS NOT NULL THEN 1 ELSE 0 END AS failed,
        d.rework AS rework, d.recovery AS recovery
       FROM (
         SELECT ${bucketOf(deployedAt, deployments)} AS b,
           CASE WHEN ${c("closeCode")} = ${deployments.add(UNSUCCESSFUL)} THEN 1 ELSE 0 END AS unsuccessful,
           CASE WHEN ${reworked} THEN 1 ELSE 0 END AS rework,
           ${recoveryKey} AS recovery
         FROM ${c.table} WHERE ${deploymentsWhere(deployments)}
       ) d
       GROUP BY d.b, CASE WHEN d.unsuccessful = 1 OR d.recovery IS NOT NULL THEN 1 ELSE 0 END, d.rework, d.recovery`,
      deployments,
    );

    const restoredAt = `COALESCE(${i("resolvedAt")}, ${i("closedAt")})`;
    const restoreWhere = (params: SqlParameters): string =>
      [
        `${i("openedAt")} >= ${this.dialect.timestamp(from, params)}`,
        `${i("openedAt")} < ${this.dialect.timestamp(to, params)}`,
        `(${i("stateValue")} IS NULL OR ${i("stateValue")} <> ${params.add(INCIDENT_STATE_VALUES.CANCELED)})`,
        ...(integrationId === null ? [] : [`${i("integrationId")} = ${params.add(integrationId)}`]),
      ].join(" AND ");
    const resolved = new SqlParameters();
    const resolvedRows = await this.statements.all(
      `SELECT ${bucketOf(i("openedAt"), resolved)} AS b,
        ${this.dialect.secondsBetween(restoredAt, i("openedAt"))} AS seconds, COUNT(*) AS n
       FROM ${i.table}
       WHERE ${restoreWhere(resolved)} AND ${restoredAt} IS NOT NULL
       GROUP BY b, seconds`,
      resolved,
    );
    const events = resolvedRows.map((row) => observationOf(row, false));
    // Kaplan–Meier looks only at the event times: an incident open for longer than the longest
    // restore is at risk at every one of them, whenever it was opened. Those come back as one
    // count per bucket (longest + 1 s stands for their time), the others with their own time.
    const beyond = events.reduce((longest, event) => Math.max(longest, event.seconds), -1) + 1;
    const unresolved = new SqlParameters();
    const openedLongAgo = this.dialect.timestamp(
      new Date(asOf.getTime() - beyond * 1000),
      unresolved,
    );
    const openFor = this.dialect.secondsBetween(
      this.dialect.timestamp(asOf, unresolved),
      i("openedAt"),
    );
    const unresolvedRows = await this.statements.all(
      `SELECT ${bucketOf(i("openedAt"), unresolved)} AS b,
        CASE WHEN ${i("openedAt")} < ${openedLongAgo} THEN NULL ELSE ${openFor} END AS seconds,
        COUNT(*) AS n
       FROM ${i.table}
       WHERE ${restoreWhere(unresolved)} AND ${this.dialect.unindexed(i("resolvedAt"))} IS NULL AND ${this.dialect.unindexed(i("closedAt"))} IS NULL
       GROUP BY b, seconds`,
      unresolved,
    );
    const censored = unresolvedRows.map((row) => ({
      ...observationOf(row, true),
      seconds: row[1] === null ? beyond : Math.max(0, databaseNumber(row[1])),
    }));

    const restores = [...events, ...censored];
    const restoresByBucket = groupedBy(restores, (row) => row.bucket);
    // failed and rework are flags of each row, n its deployments.
    const deploymentCounts = deploymentRows.map((row): DeploymentCount => {
      const n = databaseNumber(row[1]);
      return {
        bucket: dateOf(row[0]),
        n,
        failed: databaseNumber(row[2]) === 1 ? n : 0,
        rework: databaseNumber(row[3]) === 1 ? n : 0,
      };
    });
    const recoveries = deploymentRows.flatMap((row): DurationObservation[] => {
      if (row[4] === null) {
        return [];
      }
      const key = databaseNumber(row[4]);
      const censoredAtAsOf = ((key % 2) + 2) % 2 === 1;
      const seconds = (key - (censoredAtAsOf ? 1 : 0)) / 2;
      return [
        { seconds: Math.max(0, seconds), censored: censoredAtAsOf, count: databaseNumber(row[1]) },
      ];
    });
    const deploymentsByBucket = groupedBy(deploymentCounts, (row) => row.bucket);
    const deployed = sumOf(deploymentCounts, "n");
    const series = buckets.map((bucket): DoraPoint => {
      const inBucket = deploymentsByBucket.get(bucket.localDate) ?? [];
      const count = sumOf(inBucket, "n");
      return {
        bucketStart: bucket.start,
        deployments: count,
        changeFailureRate: wilsonRate(sumOf(inBucket, "failed"), count),
        timeToRestore: summarizeDurations(restoresByBucket.get(bucket.localDate) ?? []),
      };
    });
    return {
      from,
      to,
      asOf,
      deployments: deployed,
      deploymentsPerWeek: deployed / ((to.getTime() - from.getTime()) / 1000 / WEEK_SECONDS),
      changeFailureRate: wilsonRate(sumOf(deploymentCounts, "failed"), deployed),
      reworkRate: wilsonRate(sumOf(deploymentCounts, "rework"), deployed),
      timeToRestore: summarizeDurations(restores),
      failedDeploymentRecoveryTime: summarizeDurations(recoveries),
      series,
    };
  }

  /** The oldest lastSyncedAt of the integrations covered; now when none has synced yet. */
  private async asOf(integrationId: string | null): Promise<Date> {
    const query = this.dataSource
      .getRepository(Integration)
      .createQueryBuilder("integration")
      .select("MIN(integration.lastSyncedAt)", "asOf");
    if (integrationId !== null) {
      query.where("integration.id = :id", { id: integrationId });
    }
    const row = await query.getRawOne<Raw>();
    return databaseTime(row?.asOf) ?? new Date();
  }
}

interface BucketObservation extends DurationObservation {
  readonly bucket: string | null;
}

interface DeploymentCount {
  readonly bucket: string | null;
  readonly n: number;
  readonly failed: number;
  readonly rework: number;
}

const sumOf = (rows: readonly DeploymentCount[], key: "n" | "failed" | "rework"): number =>
  rows.reduce((total, row) => total + row[key], 0);

/** Rows by a key, in first-seen order. */
function groupedBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, [row]);
    } else {
      group.push(row);
    }
  }
  return groups;
}
