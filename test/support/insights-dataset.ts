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
import { INTEGRATION_IDS, saveAll, sysIdOf } from "./seed";
import type { TestGateway } from "./test-gateway";

/**
 * A dataset small enough to compute every answer by hand (see the comments beside the rows).
 * The insights tests run on SQLite, and on PostgreSQL when DATABASE_URL names one.
 */
export const [A, B] = INTEGRATION_IDS;
export const AS_OF = "2024-03-31T00:00:00.000Z";
export const FROM = "2024-03-04T00:00:00.000Z"; // a Monday
export const TO = "2024-03-18T00:00:00.000Z"; // two weeks later
export const U1 = sysIdOf("sys_user", "insights", 1);
export const G1 = sysIdOf("sys_user_group", "insights", 1);
export const GHOST = "f".repeat(32); // a user the cache does not hold
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
export const CHANGES: readonly ChangeRow[] = [
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
export const INCIDENTS: readonly IncidentRow[] = [
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

export async function seedInsightsDataset(gateway: TestGateway): Promise<void> {
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
