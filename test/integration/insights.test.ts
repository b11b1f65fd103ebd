import {
  A,
  AS_OF,
  FROM,
  G1,
  GHOST,
  INCIDENTS,
  seedInsightsDataset,
  TO,
  U1,
} from "../support/insights-dataset";
import { startTestGateway, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

interface Group {
  keys: { dimension: string; value: string | null; label: string | null }[];
  bucketStart: string | null;
  count: number;
}

const COUNTS = `
  query Counts($integrationId: ID, $filter: IncidentFilter, $groupBy: [IncidentDimension!]!, $bucket: TimeBucketInput) {
    incidentCounts(integrationId: $integrationId, filter: $filter, groupBy: $groupBy, bucket: $bucket) {
      keys { dimension value label } bucketStart count
    }
  }`;

const CHANGE_COUNTS = `
  query Counts($integrationId: ID, $groupBy: [ChangeRequestDimension!]!, $bucket: TimeBucketInput) {
    changeRequestCounts(integrationId: $integrationId, groupBy: $groupBy, bucket: $bucket) {
      keys { dimension value label } bucketStart count
    }
  }`;

const RATE = "numerator denominator value low95 high95";
const DURATION =
  "count censored meanSeconds medianSeconds p90Seconds survivalMedianSeconds survivalP90Seconds";
const DORA = `
  query Dora($integrationId: ID, $from: DateTime!, $to: DateTime!, $bucket: TimeInterval, $timeZone: String) {
    dora(integrationId: $integrationId, from: $from, to: $to, bucket: $bucket, timeZone: $timeZone) {
      from to asOf deployments deploymentsPerWeek
      changeFailureRate { ${RATE} } reworkRate { ${RATE} }
      timeToRestore { ${DURATION} } failedDeploymentRecoveryTime { ${DURATION} }
      series { bucketStart deployments changeFailureRate { ${RATE} } timeToRestore { ${DURATION} } }
    }
  }`;

const EMPTY_DURATION = {
  count: 0,
  censored: 0,
  meanSeconds: null,
  medianSeconds: null,
  p90Seconds: null,
  survivalMedianSeconds: null,
  survivalP90Seconds: null,
};

describe("insights: incidentCounts, changeRequestCounts and dora over a hand-built dataset", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await seedInsightsDataset(gateway);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function counts(query: string, variables: Record<string, unknown>): Promise<Group[]> {
    const { status, body } = await gateway.graphql<Record<string, Group[]>>(query, variables, {
      token: VIEWER_TOKEN,
    });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return Object.values(body.data ?? {})[0] ?? [];
  }

  it("counts by priority with stored labels, default labels and a null key for no priority", async () => {
    const groups = await counts(COUNTS, { integrationId: A, groupBy: ["PRIORITY"] });
    expect(groups).toEqual([
      {
        keys: [{ dimension: "PRIORITY", value: "1", label: "P1 (custom label)" }],
        bucketStart: null,
        count: 2,
      },
      {
        keys: [{ dimension: "PRIORITY", value: "2", label: "2 - High" }],
        bucketStart: null,
        count: 2,
      },
      {
        keys: [{ dimension: "PRIORITY", value: "3", label: "3 - Moderate" }],
        bucketStart: null,
        count: 2,
      },
      {
        keys: [{ dimension: "PRIORITY", value: "4", label: "4 - Low" }],
        bucketStart: null,
        count: 2,
      },
      { keys: [{ dimension: "PRIORITY", value: null, label: null }], bucketStart: null, count: 1 },
    ]);
    const all = await counts(COUNTS, { groupBy: [] });
    expect(all).toEqual([{ keys: [], bucketStart: null, count: INCIDENTS.length }]);
  });

  it("labels references with the cached record's name, and null for a reference to nothing cached", async () => {
    const groups = await counts(COUNTS, {
      integrationId: A,
      filter: { openedAt: { from: "2024-03-13T00:00:00Z", to: "2024-03-16T00:00:00Z" } },
      groupBy: ["ASSIGNMENT_GROUP", "ASSIGNED_TO"],
    });
    const byAssignee = (group: Group) => group.keys[1].value ?? "";
    expect([...groups].sort((a, b) => byAssignee(a).localeCompare(byAssignee(b)))).toEqual([
      {
        keys: [
          { dimension: "ASSIGNMENT_GROUP", value: null, label: null },
          { dimension: "ASSIGNED_TO", value: null, label: null },
        ],
        bucketStart: null,
        count: 1,
      },
      {
        keys: [
          { dimension: "ASSIGNMENT_GROUP", value: G1, label: "Network" },
          { dimension: "ASSIGNED_TO", value: U1, label: "Alice Example" },
        ],
        bucketStart: null,
        count: 1,
      },
      {
        keys: [
          { dimension: "ASSIGNMENT_GROUP", value: G1, label: "Network" },
          { dimension: "ASSIGNED_TO", value: GHOST, label: null },
        ],
        bucketStart: null,
        count: 1,
      },
    ]);
  });

  it("counts by a dimension that is not a filter (contact type); an empty value is a null key", async () => {
    const groups = await counts(COUNTS, {
      integrationId: A,
      filter: { priority: [1] },
      groupBy: ["CONTACT_TYPE"],
    });
    expect(groups).toEqual([
      {
        keys: [{ dimension: "CONTACT_TYPE", value: "email", label: null }],
        bucketStart: null,
        count: 1,
      },
      {
        keys: [{ dimension: "CONTACT_TYPE", value: null, label: null }],
        bucketStart: null,
        count: 1,
      },
    ]);
  });

  it("buckets weeks from Monday midnight in the zone, across the DST change", async () => {
    const paris = await counts(COUNTS, {
      filter: { priority: [4] },
      groupBy: [],
      bucket: { field: "OPENED_AT", interval: "WEEK", timeZone: "Europe/Paris" },
    });
    expect(paris).toEqual([
      { keys: [], bucketStart: "2024-03-24T23:00:00.000Z", count: 1 },
      { keys: [], bucketStart: "2024-03-31T22:00:00.000Z", count: 1 },
    ]);
    const utc = await counts(COUNTS, {
      filter: { priority: [4] },
      groupBy: [],
      bucket: { field: "OPENED_AT", interval: "WEEK" },
    });
    expect(utc).toEqual([
      { keys: [], bucketStart: "2024-03-18T00:00:00.000Z", count: 1 },
      { keys: [], bucketStart: "2024-03-25T00:00:00.000Z", count: 1 },
    ]);
    const days = await counts(COUNTS, {
      integrationId: A,
      filter: { openedAt: { from: "2024-03-13T00:00:00Z", to: "2024-03-14T00:00:00Z" } },
      groupBy: ["PRIORITY"],
      bucket: { field: "OPENED_AT", interval: "DAY", timeZone: "America/Los_Angeles" },
    });
    // 06:00 UTC is still the 12th in Los Angeles (PDT, −7 h); 12:00 UTC is the 13th.
    expect(days.map((group) => [group.bucketStart, group.keys[0].value, group.count])).toEqual([
      ["2024-03-12T07:00:00.000Z", "3", 1],
      ["2024-03-13T07:00:00.000Z", "1", 1],
    ]);
  });

  it("counts changes by state per month of closed_at; those without one have a null bucket", async () => {
    const groups = await counts(CHANGE_COUNTS, {
      integrationId: A,
      groupBy: ["STATE"],
      bucket: { field: "CLOSED_AT", interval: "MONTH", timeZone: "UTC" },
    });
    expect(groups).toEqual([
      {
        keys: [{ dimension: "STATE", value: "-1", label: "Implement" }],
        bucketStart: "2024-03-01T00:00:00.000Z",
        count: 1,
      },
      {
        keys: [{ dimension: "STATE", value: "3", label: "Closed" }],
        bucketStart: "2024-03-01T00:00:00.000Z",
        count: 3,
      },
      { keys: [{ dimension: "STATE", value: "3", label: "Closed" }], bucketStart: null, count: 2 },
    ]);
    const codes = await counts(CHANGE_COUNTS, {
      integrationId: A,
      groupBy: ["CLOSE_CODE", "APPROVAL"],
    });
    expect(codes.map((group) => [group.keys[0].value, group.keys[1].value, group.count])).toEqual([
      ["successful", null, 4],
      ["unsuccessful", null, 1],
      [null, null, 1],
    ]);
  });

  it("refuses a bad time zone, a bucket field the table lacks and a repeated dimension", async () => {
    const cases = [
      [
        COUNTS,
        { groupBy: [], bucket: { field: "OPENED_AT", interval: "DAY", timeZone: "Mars/Olympus" } },
        "bucket.timeZone",
      ],
      [COUNTS, { groupBy: [], bucket: { field: "START_DATE", interval: "DAY" } }, "bucket.field"],
      [COUNTS, { groupBy: ["PRIORITY", "PRIORITY"] }, "groupBy"],
      [DORA, { from: FROM, to: TO, timeZone: "Nowhere/City" }, "timeZone"],
      [DORA, { from: TO, to: FROM }, "to"],
    ] as const;
    for (const [query, variables, field] of cases) {
      const { body } = await gateway.graphql(query, variables);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
  });

  it("dora: deployments, failure and rework rates, restore and recovery times with censoring", async () => {
    const { body } = await gateway.graphql<{ dora: Record<string, unknown> }>(
      DORA,
      { integrationId: A, from: FROM, to: TO, bucket: "WEEK" },
      { token: VIEWER_TOKEN },
    );
    expect(body.errors).toBeUndefined();
    const dora = body.data?.dora;
    expect(dora).toMatchObject({
      from: FROM,
      to: TO,
      asOf: AS_OF,
      deployments: 4,
      deploymentsPerWeek: 2,
      changeFailureRate: { numerator: 3, denominator: 4, value: 0.75 },
      reworkRate: { numerator: 1, denominator: 4, value: 0.25 },
      // Resolved: 1 h, 3 h, 18 h, 24 h; I3 censored at 17.5 days. KM: 0.8, 0.6, 0.4 at 18 h.
      timeToRestore: {
        count: 5,
        censored: 1,
        meanSeconds: 41400,
        medianSeconds: 10800,
        p90Seconds: 86400,
        survivalMedianSeconds: 64800,
        survivalP90Seconds: null,
      },
      // C1: 4 h to I1's resolution; C4: I3 still open, censored 18 days after; C2 caused none.
      failedDeploymentRecoveryTime: {
        count: 2,
        censored: 1,
        meanSeconds: 14400,
        medianSeconds: 14400,
        p90Seconds: 14400,
        survivalMedianSeconds: 14400,
        survivalP90Seconds: null,
      },
    });
    const rate = dora?.changeFailureRate as { low95: number; high95: number };
    expect(rate.low95).toBeCloseTo(0.300642, 5);
    expect(rate.high95).toBeCloseTo(0.954413, 5);
    const rework = dora?.reworkRate as { low95: number; high95: number };
    expect(rework.low95).toBeCloseTo(0.045587, 5);
    expect(rework.high95).toBeCloseTo(0.699358, 5);
    const series = dora?.series as Array<Record<string, unknown>>;
    expect(series).toMatchObject([
      {
        bucketStart: FROM,
        deployments: 2,
        changeFailureRate: { numerator: 2, denominator: 2, value: 1, high95: 1 },
        timeToRestore: { count: 2, censored: 0, meanSeconds: 48600, medianSeconds: 10800 },
      },
      {
        bucketStart: "2024-03-11T00:00:00.000Z",
        deployments: 2,
        changeFailureRate: { numerator: 1, denominator: 2, value: 0.5 },
        timeToRestore: { count: 3, censored: 1, meanSeconds: 34200, medianSeconds: 3600 },
      },
    ]);
  });

  it("dora over every integration adds B's deployment and restore time", async () => {
    const { body } = await gateway.graphql<{ dora: Record<string, unknown> }>(DORA, {
      from: FROM,
      to: TO,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.dora).toMatchObject({
      asOf: AS_OF,
      deployments: 5,
      changeFailureRate: { numerator: 3, denominator: 5, value: 0.6 },
      reworkRate: { numerator: 1, denominator: 5 },
      timeToRestore: { count: 6, censored: 1, medianSeconds: 10800 },
      series: [],
    });
  });

  it("dora over a window without deployments or incidents: rates are null, series buckets are empty", async () => {
    const { body } = await gateway.graphql<{ dora: Record<string, unknown> }>(DORA, {
      integrationId: A,
      from: "2025-01-01T00:00:00Z",
      to: "2025-01-15T00:00:00Z",
      bucket: "WEEK",
      timeZone: "Europe/Paris",
    });
    expect(body.errors).toBeUndefined();
    const empty = { numerator: 0, denominator: 0, value: null, low95: null, high95: null };
    expect(body.data?.dora).toEqual({
      from: "2025-01-01T00:00:00.000Z",
      to: "2025-01-15T00:00:00.000Z",
      asOf: AS_OF,
      deployments: 0,
      deploymentsPerWeek: 0,
      changeFailureRate: empty,
      reworkRate: empty,
      timeToRestore: EMPTY_DURATION,
      failedDeploymentRecoveryTime: EMPTY_DURATION,
      // Weeks from Monday 30 Dec, 6 Jan and 13 Jan (Paris), the first clipped to the window.
      series: [
        {
          bucketStart: "2025-01-01T00:00:00.000Z",
          deployments: 0,
          changeFailureRate: empty,
          timeToRestore: EMPTY_DURATION,
        },
        {
          bucketStart: "2025-01-05T23:00:00.000Z",
          deployments: 0,
          changeFailureRate: empty,
          timeToRestore: EMPTY_DURATION,
        },
        {
          bucketStart: "2025-01-12T23:00:00.000Z",
          deployments: 0,
          changeFailureRate: empty,
          timeToRestore: EMPTY_DURATION,
        },
      ],
    });
  });
});
