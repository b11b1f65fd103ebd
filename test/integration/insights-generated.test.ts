import type { SimRecord } from "../../src/simulator";
import {
  SIM_PASSWORD,
  SIM_USER,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";
import { VIEWER_TOKEN } from "../support/test-gateway";

/**
 * dora and incidentCounts over generated data synced from the simulator, each compared with
 * the metric computed here from the simulator's own records (plain TypeScript, no SQL): two
 * integrations of one instance, one excluding incident.caused_by and the other incident.rfc,
 * weekly buckets across the US daylight-saving change, and a group the cache does not hold.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL names one.
 */

const ZONE = "America/New_York"; // DST from 10 March 2024
const FROM = "2024-01-01T05:00:00.000Z"; // Monday 1 January, midnight in New York
const TO = "2024-06-03T04:00:00.000Z"; // Monday 3 June, midnight in New York
const GHOST_GROUP = "9".repeat(32);

const RATE = "numerator denominator value low95 high95";
const DURATION =
  "count censored meanSeconds medianSeconds p90Seconds survivalMedianSeconds survivalP90Seconds";
const DORA = `
  query Dora($integrationId: ID, $from: DateTime!, $to: DateTime!, $bucket: TimeInterval, $timeZone: String) {
    dora(integrationId: $integrationId, from: $from, to: $to, bucket: $bucket, timeZone: $timeZone) {
      asOf deployments changeFailureRate { ${RATE} } reworkRate { ${RATE} }
      timeToRestore { ${DURATION} } failedDeploymentRecoveryTime { ${DURATION} }
      series { bucketStart deployments changeFailureRate { numerator denominator } timeToRestore { ${DURATION} } }
    }
  }`;
const COUNTS = `
  query Counts($integrationId: ID, $filter: IncidentFilter, $bucket: TimeBucketInput) {
    incidentCounts(integrationId: $integrationId, filter: $filter, groupBy: [ASSIGNMENT_GROUP], bucket: $bucket) {
      keys { dimension value label } bucketStart count
    }
  }`;

interface Duration {
  count: number;
  censored: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  survivalMedianSeconds: number | null;
  survivalP90Seconds: number | null;
}
interface Dora {
  asOf: string;
  deployments: number;
  changeFailureRate: { numerator: number; denominator: number };
  reworkRate: { numerator: number; denominator: number };
  timeToRestore: Duration;
  failedDeploymentRecoveryTime: Duration;
  series: {
    bucketStart: string;
    deployments: number;
    changeFailureRate: { numerator: number; denominator: number };
    timeToRestore: Duration;
  }[];
}

// --- the definitions of the README, written out over the simulator's records -----------------

/** A Glide date-time (UTC, "YYYY-MM-DD HH:MM:SS") in ms; null when empty. */
const timeOf = (value: string | undefined): number | null =>
  value === undefined || value === "" ? null : Date.parse(`${value.replace(" ", "T")}Z`);

const wallClock = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  weekday: "short",
});
function wallOf(ms: number) {
  const parts = Object.fromEntries(
    wallClock.formatToParts(new Date(ms)).map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday),
  };
}
const weekStarts = new Map<number, number>();
/** The UTC instant at which the Monday of `ms`'s week starts in New York, found by search. */
function weekStartOf(ms: number): number {
  let start = weekStarts.get(ms);
  if (start === undefined) {
    start = searchWeekStart(ms);
    weekStarts.set(ms, start);
  }
  return start;
}
function searchWeekStart(ms: number): number {
  const wall = wallOf(ms);
  const monday = Date.UTC(wall.year, wall.month - 1, wall.day - wall.weekday);
  for (let offsetMinutes = -14 * 60; offsetMinutes <= 14 * 60; offsetMinutes += 15) {
    const candidate = monday + offsetMinutes * 60_000;
    const found = wallOf(candidate);
    const date = new Date(monday);
    if (
      found.minutes === 0 &&
      found.day === date.getUTCDate() &&
      found.month === date.getUTCMonth() + 1
    ) {
      return candidate;
    }
  }
  throw new Error(`no local midnight for ${new Date(ms).toISOString()}`);
}

interface Observation {
  seconds: number;
  censored: boolean;
}
const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
const nearestRank = (sorted: number[], p: number) =>
  sorted.length === 0 ? null : sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
/** Kaplan–Meier: at each event time t, S ×= 1 − d/n with n = observations of time ≥ t. */
function survivalQuantile(observations: Observation[], fall: number): number | null {
  const times = ascending(observations.map((o) => o.seconds));
  const eventTimes = ascending([
    ...new Set(observations.filter((o) => !o.censored).map((o) => o.seconds)),
  ]);
  let survival = 1;
  for (const t of eventTimes) {
    const atRisk = times.length - times.findIndex((time) => time >= t);
    const events = observations.filter((o) => !o.censored && o.seconds === t).length;
    survival *= 1 - events / atRisk;
    if (survival <= fall + 1e-12) {
      return t;
    }
  }
  return null;
}
function durationsOf(observations: Observation[]): Duration {
  const resolved = ascending(observations.filter((o) => !o.censored).map((o) => o.seconds));
  return {
    count: observations.length,
    censored: observations.length - resolved.length,
    meanSeconds:
      resolved.length === 0 ? null : resolved.reduce((sum, s) => sum + s, 0) / resolved.length,
    medianSeconds: nearestRank(resolved, 0.5),
    p90Seconds: nearestRank(resolved, 0.9),
    survivalMedianSeconds: survivalQuantile(observations, 0.5),
    survivalP90Seconds: survivalQuantile(observations, 0.1),
  };
}

/** Seconds from `start` to `end`; a link recorded out of order counts as 0 (as the gateway). */
const secondsBetween = (end: number, start: number) =>
  Math.max(0, Math.round((end - start) / 1000));

function expectedDora(
  changes: readonly SimRecord[],
  incidents: readonly SimRecord[],
  options: { asOf: number; excluded: ReadonlySet<string> },
) {
  const from = Date.parse(FROM);
  const to = Date.parse(TO);
  // An excluded field never reaches the cache: the metric sees it as empty.
  const link = (incident: SimRecord, field: string) =>
    options.excluded.has(field) ? "" : (incident[field] ?? "");
  const deployedAt = (change: SimRecord) =>
    timeOf(change.closed_at) ?? timeOf(change.work_end) ?? timeOf(change.end_date);
  const deployments = changes.filter((change) => {
    const at = deployedAt(change);
    return change.state === "3" && at !== null && at >= from && at < to;
  });
  const restoredAt = (incident: SimRecord) =>
    timeOf(incident.resolved_at) ?? timeOf(incident.closed_at);
  const linked = (field: string) => {
    const byChange = new Map<string, SimRecord[]>();
    for (const incident of incidents) {
      const sysId = link(incident, field);
      byChange.set(sysId, [...(byChange.get(sysId) ?? []), incident]);
    }
    return (change: SimRecord) => byChange.get(change.sys_id) ?? [];
  };
  const causedBy = linked("caused_by");
  const rfcOf = linked("rfc");
  const failed = (change: SimRecord) =>
    change.close_code === "unsuccessful" || causedBy(change).length > 0;
  const reworked = (change: SimRecord) => rfcOf(change).length > 0;
  const restores = incidents
    .filter((incident) => {
      const opened = timeOf(incident.opened_at) ?? Number.NaN;
      return opened >= from && opened < to && incident.state !== "8";
    })
    .map((incident) => {
      const opened = timeOf(incident.opened_at) ?? 0;
      const restored = restoredAt(incident);
      return {
        opened,
        seconds: secondsBetween(restored ?? options.asOf, opened),
        censored: restored === null,
      };
    });
  const recoveries = deployments.filter(failed).flatMap((change): Observation[] => {
    const caused = causedBy(change);
    if (caused.length === 0) {
      return [];
    }
    const open = caused.some((incident) => restoredAt(incident) === null);
    const latest = Math.max(...caused.map((incident) => restoredAt(incident) ?? 0));
    return [
      {
        seconds: secondsBetween(open ? options.asOf : latest, deployedAt(change) ?? 0),
        censored: open,
      },
    ];
  });
  const starts: number[] = [];
  for (let start = from; start < to; start = weekStartOf(start + 8 * 86_400_000)) {
    starts.push(start);
  }
  return {
    deployments: deployments.length,
    changeFailureRate: {
      numerator: deployments.filter(failed).length,
      denominator: deployments.length,
    },
    reworkRate: { numerator: deployments.filter(reworked).length, denominator: deployments.length },
    timeToRestore: durationsOf(restores),
    failedDeploymentRecoveryTime: durationsOf(recoveries),
    series: starts.map((start) => {
      const inWeek = (at: number) => weekStartOf(at) === start;
      const deployed = deployments.filter((change) => inWeek(deployedAt(change) ?? 0));
      return {
        bucketStart: new Date(start).toISOString(),
        deployments: deployed.length,
        changeFailureRate: {
          numerator: deployed.filter(failed).length,
          denominator: deployed.length,
        },
        timeToRestore: durationsOf(restores.filter((restore) => inWeek(restore.opened))),
      };
    }),
  };
}

/** Floating-point sums may differ in the last bits between databases and this file. */
function closeDurations(actual: Duration, expected: Duration): void {
  const { meanSeconds, ...exact } = actual;
  const { meanSeconds: expectedMean, ...expectedExact } = expected;
  expect(exact).toEqual(expectedExact);
  if (expectedMean === null) {
    expect(meanSeconds).toBeNull();
  } else {
    expect(meanSeconds).toBeCloseTo(expectedMean, 6);
  }
}

describe("insights over generated data synced from the simulator, computed again from its records", () => {
  let harness: SyncHarness;
  /** Integration excluding incident.caused_by (the harness's own) and one excluding incident.rfc. */
  let withoutCausedBy: string;
  let withoutRfc: string;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: {
        seed: 4242,
        groups: 5,
        users: 40,
        incidents: 900,
        changes: 250,
        approvalsPerChange: 0,
        journalPerRecord: 0,
      },
      excludedFields: [{ table: "incident", fields: ["caused_by"] }],
    });
    // An incident of the window assigned to a group the instance does not have.
    harness.simulator.insert("incident", {
      short_description: "Assigned to a group that was deleted",
      state: "2",
      opened_at: "2024-03-12 15:00:00",
      assignment_group: GHOST_GROUP,
    });
    withoutCausedBy = harness.integrationId;
    const created = await harness.gateway.graphql<{ createIntegration: { id: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "simulated without rfc",
          url: harness.simulatorUrl,
          deployment: "ON_PREM",
          username: SIM_USER,
          password: SIM_PASSWORD,
          excludedFields: [{ table: "incident", fields: ["rfc"] }],
        },
      },
    );
    expect(created.body.errors).toBeUndefined();
    withoutRfc = created.body.data?.createIntegration.id ?? "";
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
    const started = await harness.gateway.graphql(
      `mutation($id: ID!) { syncIntegration(id: $id, full: true) { id } }`,
      { id: withoutRfc },
    );
    expect(started.body.errors).toBeUndefined();
    await harness.gateway.gateway.syncService.waitFor(withoutRfc);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function dora(integrationId: string): Promise<Dora> {
    const { body } = await harness.gateway.graphql<{ dora: Dora }>(
      DORA,
      { integrationId, from: FROM, to: TO, bucket: "WEEK", timeZone: ZONE },
      { token: VIEWER_TOKEN },
    );
    expect(body.errors).toBeUndefined();
    return body.data?.dora as Dora;
  }

  function compare(actual: Dora, excluded: string) {
    const expected = expectedDora(
      harness.simulator.all("change_request"),
      harness.simulator.all("incident"),
      { asOf: Date.parse(actual.asOf), excluded: new Set([excluded]) },
    );
    // Nothing here is vacuous: the window holds deployments, failures and both kinds of restore.
    expect(expected.deployments).toBeGreaterThan(10);
    expect(expected.timeToRestore.censored).toBeGreaterThan(0);
    expect(expected.timeToRestore.count - expected.timeToRestore.censored).toBeGreaterThan(10);
    expect({
      deployments: actual.deployments,
      changeFailureRate: {
        numerator: actual.changeFailureRate.numerator,
        denominator: actual.changeFailureRate.denominator,
      },
      reworkRate: {
        numerator: actual.reworkRate.numerator,
        denominator: actual.reworkRate.denominator,
      },
    }).toEqual({
      deployments: expected.deployments,
      changeFailureRate: expected.changeFailureRate,
      reworkRate: expected.reworkRate,
    });
    closeDurations(actual.timeToRestore, expected.timeToRestore);
    closeDurations(actual.failedDeploymentRecoveryTime, expected.failedDeploymentRecoveryTime);
    // The Mondays of New York, those after 10 March an hour earlier in UTC.
    const starts = actual.series.map((point) => point.bucketStart);
    expect(starts).toEqual(expected.series.map((point) => point.bucketStart));
    expect(starts).toHaveLength(22);
    const change = starts.indexOf("2024-03-04T05:00:00.000Z");
    expect(starts.slice(change, change + 3)).toEqual([
      "2024-03-04T05:00:00.000Z",
      "2024-03-11T04:00:00.000Z",
      "2024-03-18T04:00:00.000Z",
    ]);
    actual.series.forEach((point, index) => {
      expect([point.bucketStart, point.deployments, point.changeFailureRate]).toEqual([
        expected.series[index].bucketStart,
        expected.series[index].deployments,
        expected.series[index].changeFailureRate,
      ]);
      closeDurations(point.timeToRestore, expected.series[index].timeToRestore);
    });
    return expected;
  }

  it("treats an excluded caused_by as absent: failures only from close codes, no recovery times", async () => {
    const actual = await dora(withoutCausedBy);
    const expected = compare(actual, "caused_by");
    expect(actual.failedDeploymentRecoveryTime.count).toBe(0);
    expect(expected.reworkRate.numerator).toBeGreaterThan(0);
  });

  it("treats an excluded rfc as absent: no rework, failures and recovery from caused_by", async () => {
    const actual = await dora(withoutRfc);
    const expected = compare(actual, "rfc");
    expect(actual.reworkRate.numerator).toBe(0);
    expect(expected.failedDeploymentRecoveryTime.count).toBeGreaterThan(0);
    expect(actual.changeFailureRate.numerator).toBeGreaterThan(
      (await dora(withoutCausedBy)).changeFailureRate.numerator,
    );
  });

  it("counts incidents by group per New York week with the groups' names, null for a group not cached", async () => {
    const { body } = await harness.gateway.graphql<{
      incidentCounts: {
        keys: { dimension: string; value: string | null; label: string | null }[];
        bucketStart: string;
        count: number;
      }[];
    }>(
      COUNTS,
      {
        integrationId: withoutCausedBy,
        filter: { openedAt: { from: FROM, to: TO } },
        bucket: { field: "OPENED_AT", interval: "WEEK", timeZone: ZONE },
      },
      { token: VIEWER_TOKEN },
    );
    expect(body.errors).toBeUndefined();
    const names = new Map(
      harness.simulator.all("sys_user_group").map((group) => [group.sys_id, group.name]),
    );
    const expected = new Map<string, number>();
    for (const incident of harness.simulator.all("incident")) {
      const opened = timeOf(incident.opened_at) ?? Number.NaN;
      if (opened >= Date.parse(FROM) && opened < Date.parse(TO)) {
        const group = incident.assignment_group === "" ? null : incident.assignment_group;
        const label = group === null ? null : (names.get(group) ?? null);
        const key = JSON.stringify([group, label, new Date(weekStartOf(opened)).toISOString()]);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
    }
    const actual = new Map(
      (body.data?.incidentCounts ?? []).map((group) => [
        JSON.stringify([group.keys[0].value, group.keys[0].label, group.bucketStart]),
        group.count,
      ]),
    );
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    expect(
      [...actual.keys()].filter((key) =>
        key.startsWith(JSON.stringify([GHOST_GROUP, null]).slice(0, -1)),
      ),
    ).toHaveLength(1);
    expect([...actual.keys()].some((key) => key.startsWith("[null,null,"))).toBe(true);
  });
});
