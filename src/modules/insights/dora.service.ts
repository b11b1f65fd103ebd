import type { DataSource } from "typeorm";

import { GatewayError } from "../../common/gateway.error";
import { recordEntityOf } from "../../database/entities";
import type { TableDescriptor } from "../../table-model/table.descriptor";
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
import { bucketsBetween, checkTimeZone, offsetSpans } from "./time-bucket.calendar";

const WEEK_SECONDS = 604_800;
/** A series longer than this is not a chart: ask for a larger bucket. */
export const MAX_SERIES_BUCKETS = 1000;
const UNSUCCESSFUL = "unsuccessful";

type Raw = Record<string, unknown>;

interface Columns {
  (property: string): string;
  readonly table: string;
}

/** Quoted table and column names of a described table, as the naming strategy made them. */
function columnsOf(dataSource: DataSource, table: TableDescriptor, alias: string): Columns {
  const metadata = dataSource.getMetadata(recordEntityOf(table));
  const column = (property: string): string => {
    const found = metadata.findColumnWithPropertyName(property);
    if (found === undefined) {
      throw new RangeError(`${table.name} has no column ${property}`);
    }
    return `${alias}."${found.databaseName}"`;
  };
  return Object.assign(column, { table: `"${metadata.tableName}" ${alias}` });
}

/**
 * DORA metrics in four constant statements: asOf, deployments (with failure and rework flags)
 * per bucket, restore times per bucket and duration, recovery times per duration. Only the
 * rates, percentiles and survival quantiles are computed here, over those reduced rows.
 */
export class DoraService {
  private readonly dialect: InsightDialect;
  private readonly change: Columns;
  private readonly incident: Columns;
  private readonly causing: Columns;

  constructor(private readonly dataSource: DataSource) {
    this.dialect = insightDialectOf(dataSource);
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
        : this.dialect.bucketDate(column, interval, timeZone, spans, params);
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
    const linked = (property: string) =>
      `EXISTS (SELECT 1 FROM ${x.table} WHERE ${this.dialect.unindexed(x("integrationId"))} = ${c("integrationId")} AND ${x(property)} = ${c("sysId")})`;

    const deployments = new SqlParameters();
    const deploymentRows = await this.run(
      `SELECT ${bucketOf(deployedAt, deployments)} AS b, COUNT(*) AS n,
        SUM(CASE WHEN ${c("closeCode")} = ${deployments.add(UNSUCCESSFUL)} OR ${linked("causedBySysId")} THEN 1 ELSE 0 END) AS failed,
        SUM(CASE WHEN ${linked("rfcSysId")} THEN 1 ELSE 0 END) AS rework
       FROM ${c.table} WHERE ${deploymentsWhere(deployments)}${interval === null ? "" : " GROUP BY b"}`,
      deployments,
    );

    const restore = new SqlParameters();
    const restoredAt = `COALESCE(${i("resolvedAt")}, ${i("closedAt")})`;
    const asOfRestore = this.dialect.timestamp(asOf, restore);
    const restoreRows = await this.run(
      `SELECT ${bucketOf(i("openedAt"), restore)} AS b,
        CASE WHEN ${restoredAt} IS NULL THEN 1 ELSE 0 END AS censored,
        ${this.dialect.secondsBetween(`COALESCE(${restoredAt}, ${asOfRestore})`, i("openedAt"))} AS seconds,
        COUNT(*) AS n
       FROM ${i.table}
       WHERE ${i("openedAt")} >= ${this.dialect.timestamp(from, restore)}
         AND ${i("openedAt")} < ${this.dialect.timestamp(to, restore)}
         AND (${i("stateValue")} IS NULL OR ${i("stateValue")} <> ${restore.add(INCIDENT_STATE_VALUES.CANCELED)})
         ${integrationId === null ? "" : `AND ${i("integrationId")} = ${restore.add(integrationId)}`}
       GROUP BY b, censored, seconds`,
      restore,
    );

    const recovery = new SqlParameters();
    const unresolved = `SUM(CASE WHEN ${restoredAt} IS NULL THEN 1 ELSE 0 END)`;
    const recoveryRows = await this.run(
      `SELECT f.censored AS censored, f.seconds AS seconds, COUNT(*) AS n FROM (
         SELECT CASE WHEN ${unresolved} > 0 THEN 1 ELSE 0 END AS censored,
           ${this.dialect.secondsBetween(
             `CASE WHEN ${unresolved} > 0 THEN ${this.dialect.timestamp(asOf, recovery)} ELSE MAX(${restoredAt}) END`,
             `MIN(${deployedAt})`,
           )} AS seconds
         FROM ${c.table} JOIN ${i.table}
           ON ${this.dialect.unindexed(i("integrationId"))} = ${c("integrationId")} AND ${i("causedBySysId")} = ${c("sysId")}
         WHERE ${deploymentsWhere(recovery)}
         GROUP BY ${c("id")}
       ) f GROUP BY f.censored, f.seconds`,
      recovery,
    );

    const observationOf = (row: Raw): DurationObservation => ({
      seconds: Math.max(0, databaseNumber(row.seconds)),
      censored: databaseNumber(row.censored) === 1,
      count: databaseNumber(row.n),
    });
    const total = (rows: readonly Raw[], key: string) =>
      rows.reduce((sum, row) => sum + databaseNumber(row[key]), 0);
    const deployed = total(deploymentRows, "n");
    const series = buckets.map((bucket): DoraPoint => {
      const inBucket = deploymentRows.filter((row) => row.b === bucket.localDate);
      const count = total(inBucket, "n");
      return {
        bucketStart: bucket.start,
        deployments: count,
        changeFailureRate: wilsonRate(total(inBucket, "failed"), count),
        timeToRestore: summarizeDurations(
          restoreRows.filter((row) => row.b === bucket.localDate).map(observationOf),
        ),
      };
    });
    return {
      from,
      to,
      asOf,
      deployments: deployed,
      deploymentsPerWeek: deployed / ((to.getTime() - from.getTime()) / 1000 / WEEK_SECONDS),
      changeFailureRate: wilsonRate(total(deploymentRows, "failed"), deployed),
      reworkRate: wilsonRate(total(deploymentRows, "rework"), deployed),
      timeToRestore: summarizeDurations(restoreRows.map(observationOf)),
      failedDeploymentRecoveryTime: summarizeDurations(recoveryRows.map(observationOf)),
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

  private async run(sql: string, params: SqlParameters): Promise<Raw[]> {
    const [statement, bound] = this.dataSource.driver.escapeQueryWithParameters(sql, params.values);
    const rows: unknown = await this.dataSource.query(statement, bound);
    return Array.isArray(rows)
      ? rows.filter((row): row is Raw => typeof row === "object" && row !== null)
      : [];
  }
}
