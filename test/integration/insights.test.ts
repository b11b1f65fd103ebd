import type { DeepPartial } from "typeorm";

import { ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { Integration } from "../../src/modules/integrations/integration.entity";
import {
  AuthMethod,
  Deployment,
  IntegrationStatus,
} from "../../src/modules/integrations/integration.enums";
import { UserGroup } from "../../src/modules/user-groups/user-group.entity";
import { User } from "../../src/modules/users/user.entity";
import { INTEGRATION_IDS, saveAll, sysIdOf } from "../support/seed";
import { startTestGateway, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

/**
 * A dataset small enough to compute every answer by hand (see the comments beside the rows).
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL names one: the answers are the same.
 */
const [A, B] = INTEGRATION_IDS;
const AS_OF = "2024-03-31T00:00:00.000Z";
const FROM = "2024-03-04T00:00:00.000Z"; // a Monday
const TO = "2024-03-18T00:00:00.000Z"; // two weeks later
const U1 = sysIdOf("sys_user", "insights", 1);
const G1 = sysIdOf("sys_user_group", "insights", 1);
const GHOST = "f".repeat(32); // a user the cache does not hold
const change = (n: number) => sysIdOf("change_request", "insights", n);
const t = (iso: string) => new Date(iso);

interface ChangeRow {
  readonly n: number;
  readonly integrationId?: string;
  readonly state: string;
  readonly closedAt?: string;
  readonly workEndAt?: string;
  readonly plannedEndAt?: string;
  readonly closeCode?: string;
}

// Deployments of A in the window: C1, C2, C3, C4. Failed: C1 (caused I1), C2 (unsuccessful),
// C4 (caused I3, I4). Rework: C3 (the rfc of I2). C5 is not closed, C6 lies after the window,
// C7 belongs to B.
const CHANGES: readonly ChangeRow[] = [
  { n: 1, state: "3", closedAt: "2024-03-05T10:00:00Z", closeCode: "successful" },
  { n: 2, state: "3", workEndAt: "2024-03-06T00:00:00Z", closeCode: "unsuccessful" },
  { n: 3, state: "3", plannedEndAt: "2024-03-12T00:00:00Z", closeCode: "successful" },
  { n: 4, state: "3", closedAt: "2024-03-13T00:00:00Z", closeCode: "successful" },
  { n: 5, state: "-1", closedAt: "2024-03-07T00:00:00Z" },
  { n: 6, state: "3", closedAt: "2024-03-20T00:00:00Z", closeCode: "successful" },
  { n: 7, integrationId: B, state: "3", closedAt: "2024-03-08T00:00:00Z", closeCode: "successful" },
];

interface IncidentRow {
  readonly n: number;
  readonly integrationId?: string;
  readonly state: string;
  readonly priority: number | null;
  readonly priorityLabel?: string;
  readonly openedAt: string;
  readonly resolvedAt?: string;
  readonly closedAt?: string;
  readonly causedBy?: number;
  readonly rfc?: number;
  readonly group?: string;
  readonly assignee?: string;
  readonly contactType?: string;
}

// Time to restore over A's window: I1 3 h, I2 24 h (closed, not resolved), I3 open (censored
// at asOf after 17.5 days), I4 18 h, I6 1 h; I5 is canceled, I7 opened before the window.
const INCIDENTS: readonly IncidentRow[] = [
  {
    n: 1,
    state: "6",
    priority: 1,
    openedAt: "2024-03-05T11:00:00Z",
    resolvedAt: "2024-03-05T14:00:00Z",
    causedBy: 1,
    contactType: "email",
  },
  {
    n: 2,
    state: "7",
    priority: 2,
    openedAt: "2024-03-06T00:00:00Z",
    closedAt: "2024-03-07T00:00:00Z",
    rfc: 3,
  },
  {
    n: 3,
    state: "2",
    priority: 1,
    priorityLabel: "P1 (custom label)",
    openedAt: "2024-03-13T12:00:00Z",
    causedBy: 4,
    contactType: "",
  },
  {
    n: 4,
    state: "6",
    priority: 3,
    openedAt: "2024-03-13T06:00:00Z",
    resolvedAt: "2024-03-14T00:00:00Z",
    causedBy: 4,
    group: G1,
    assignee: GHOST,
  },
  { n: 5, state: "8", priority: 3, openedAt: "2024-03-08T00:00:00Z" },
  {
    n: 6,
    state: "6",
    priority: null,
    openedAt: "2024-03-15T00:00:00Z",
    resolvedAt: "2024-03-15T01:00:00Z",
    group: G1,
    assignee: U1,
  },
  {
    n: 7,
    state: "6",
    priority: 2,
    openedAt: "2024-03-01T00:00:00Z",
    resolvedAt: "2024-03-01T05:00:00Z",
  },
  // Monday 25 March 00:30 in Paris (CET), Sunday 24 March in UTC.
  { n: 9, state: "1", priority: 4, openedAt: "2024-03-24T23:30:00Z" },
  // Monday 1 April 00:30 in Paris (CEST, after the change), still Sunday 31 March in UTC.
  { n: 10, state: "1", priority: 4, openedAt: "2024-03-31T22:30:00Z" },
  {
    n: 8,
    integrationId: B,
    state: "6",
    priority: 5,
    openedAt: "2024-03-10T00:00:00Z",
    resolvedAt: "2024-03-10T02:00:00Z",
  },
];

async function seed(gateway: TestGateway): Promise<void> {
  const dataSource = gateway.gateway.dataSource;
  await dataSource.getRepository(Integration).insert(
    INTEGRATION_IDS.map((id, index) => ({
      id,
      name: `Insights ${"AB"[index]}`,
      url: `https://insights-${"ab"[index]}.service-now.com`,
      deployment: Deployment.CLOUD,
      authMethod: AuthMethod.BASIC,
      tags: [],
      excludedFields: [],
      status: IntegrationStatus.CONNECTED,
      // B never synced: the oldest lastSyncedAt of those covered is A's.
      lastSyncedAt: index === 0 ? t(AS_OF) : null,
    })),
  );
  const base = {
    sysCreatedOn: t("2024-01-01T00:00:00Z"),
    sysUpdatedOn: t("2024-01-01T00:00:00Z"),
    attributes: {},
    syncedAt: t(AS_OF),
  };
  await saveAll(dataSource, User, [
    { ...base, integrationId: A, sysId: U1, userName: "alice", name: "Alice Example" },
  ] as DeepPartial<User>[]);
  await saveAll(dataSource, UserGroup, [
    { ...base, integrationId: A, sysId: G1, name: "Network" },
  ] as DeepPartial<UserGroup>[]);
  await saveAll(
    dataSource,
    ChangeRequest,
    CHANGES.map((row) => ({
      ...base,
      integrationId: row.integrationId ?? A,
      sysId: change(row.n),
      number: `CHG${String(row.n).padStart(7, "0")}`,
      stateValue: row.state,
      closedAt: row.closedAt ? t(row.closedAt) : null,
      workEndAt: row.workEndAt ? t(row.workEndAt) : null,
      plannedEndAt: row.plannedEndAt ? t(row.plannedEndAt) : null,
      closeCode: row.closeCode ?? null,
    })) as DeepPartial<ChangeRequest>[],
  );
  await saveAll(
    dataSource,
    Incident,
    INCIDENTS.map((row) => ({
      ...base,
      integrationId: row.integrationId ?? A,
      sysId: sysIdOf("incident", "insights", row.n),
      number: `INC${String(row.n).padStart(7, "0")}`,
      stateValue: row.state,
      priority: row.priority,
      priorityLabel: row.priorityLabel ?? null,
      openedAt: t(row.openedAt),
      resolvedAt: row.resolvedAt ? t(row.resolvedAt) : null,
      closedAt: row.closedAt ? t(row.closedAt) : null,
      causedBySysId: row.causedBy ? change(row.causedBy) : null,
      rfcSysId: row.rfc ? change(row.rfc) : null,
      assignmentGroupSysId: row.group ?? null,
      assignedToSysId: row.assignee ?? null,
      contactType: row.contactType ?? null,
    })) as DeepPartial<Incident>[],
  );
}

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
    await seed(gateway);
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
