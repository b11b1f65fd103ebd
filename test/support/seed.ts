import { createHash } from "node:crypto";

import type { DataSource, DeepPartial, ObjectLiteral } from "typeorm";

import { Approval } from "../../src/modules/approvals/approval.entity";
import { ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { Integration } from "../../src/modules/integrations/integration.entity";
import {
  AuthMethod,
  Deployment,
  IntegrationStatus,
} from "../../src/modules/integrations/integration.enums";
import { JournalEntry } from "../../src/modules/journal-entries/journal-entry.entity";
import { UserGroup } from "../../src/modules/user-groups/user-group.entity";
import { User } from "../../src/modules/users/user.entity";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncMode, SyncRunStatus, SyncTrigger } from "../../src/sync/sync-run.enums";

/** Two fixed integration ids, so failures name the same rows run after run. */
export const INTEGRATION_IDS = [
  "0a1b2c3d-0000-4000-8000-0000000000aa",
  "0a1b2c3d-0000-4000-8000-0000000000bb",
] as const;

export const BASE_TIME = Date.UTC(2024, 0, 1);
export const HOUR = 3_600_000;

export const INCIDENT_STATES = ["1", "2", "3", "6", "7", "8", "101"] as const;
export const CHANGE_STATES = ["-5", "-4", "-3", "-2", "-1", "0", "3", "4", "-40"] as const;
export const CATEGORIES = ["network", "software", "hardware", "inquiry", null] as const;
export const CHANGE_TYPES = ["normal", "standard", "emergency", null] as const;
export const CLOSE_CODES = ["successful", "unsuccessful", null] as const;

export interface SeedOptions {
  /** Incidents across both integrations (about two thirds in the first). */
  readonly incidents: number;
  readonly changeRequests?: number;
  readonly usersPerIntegration?: number;
  readonly groupsPerIntegration?: number;
  /** Share of incidents with approvals (change requests get 0–3 each anyway). */
  readonly incidentApprovalRatio?: number;
  /** Journal entries per record: 0..max (1..max when everyIncidentRelated). */
  readonly journalPerRecordMax?: number;
  /** Every incident gets an assignee, a group, approvals and updates (statement-count tests). */
  readonly everyIncidentRelated?: boolean;
  readonly seed?: number;
}

export interface SeededData {
  readonly integrations: readonly Integration[];
  readonly users: User[];
  readonly groups: UserGroup[];
  readonly incidents: Incident[];
  readonly changeRequests: ChangeRequest[];
  readonly approvals: Approval[];
  readonly journalEntries: JournalEntry[];
  readonly syncRuns: SyncRun[];
  /** The three department sys_ids users belong to (some have none). */
  readonly departments: readonly string[];
}

/** A deterministic 32-hex sys_id for (table, scope, index). */
export function sysIdOf(table: string, scope: string | number, index: number): string {
  return createHash("md5").update(`${table}:${scope}:${index}`).digest("hex");
}

/** mulberry32: a small seeded PRNG, so every run seeds the same rows. */
export function createRandom(seed: number): {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
} {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");
const at = (hours: number): Date => new Date(BASE_TIME + hours * HOUR);

/** Which integration the i-th seeded record of a table belongs to: two in three go to the first. */
export const integrationIndexOf = (index: number): 0 | 1 => (index % 3 === 2 ? 1 : 0);

/** Saves in chunks; `save` fills the generated ids, which tests need as the last sort key. */
export async function saveAll<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: new () => T,
  rows: DeepPartial<T>[],
): Promise<T[]> {
  const repository = dataSource.getRepository(entity);
  const saved: T[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = repository.create(rows.slice(start, start + 500));
    saved.push(...(await repository.save(chunk)));
  }
  return saved;
}

/**
 * Seeds two integrations with users, groups, change requests, incidents, approvals, journal
 * entries and sync runs. The same options always produce the same rows (ids aside, which the
 * database assigns in insertion order).
 */
export async function seedDataset(
  dataSource: DataSource,
  options: SeedOptions,
): Promise<SeededData> {
  const random = createRandom(options.seed ?? 20240101);
  const usersPer = options.usersPerIntegration ?? 40;
  const groupsPer = options.groupsPerIntegration ?? 6;
  const changeCount = options.changeRequests ?? 60;
  const journalMax = options.journalPerRecordMax ?? 4;
  const related = options.everyIncidentRelated ?? false;
  const syncedAt = new Date(BASE_TIME + 5000 * HOUR);

  await dataSource.getRepository(Integration).insert(
    INTEGRATION_IDS.map((id, index) => ({
      id,
      name: `Instance ${"AB"[index]}`,
      url: `https://instance-${"ab"[index]}.service-now.com`,
      deployment: Deployment.CLOUD,
      authMethod: AuthMethod.BASIC,
      tags: [],
      excludedFields: [],
      status: IntegrationStatus.CONNECTED,
      lastSyncedAt: index === 0 ? syncedAt : null,
    })),
  );
  const integrations = await dataSource.getRepository(Integration).find({ order: { name: "ASC" } });

  const departments = [0, 1, 2].map((index) => sysIdOf("cmn_department", "all", index));

  // Users: user 0 of both integrations is the same cloned "admin" (shared sys_id and user name).
  const userRows: DeepPartial<User>[] = [];
  for (const [ii, integrationId] of INTEGRATION_IDS.entries()) {
    for (let k = 0; k < usersPer; k += 1) {
      const sysId = k === 0 ? sysIdOf("sys_user", "shared", 0) : sysIdOf("sys_user", ii, k);
      const userName = k === 0 ? "admin" : `${"ab"[ii]}.user${pad(k, 4)}`;
      let name: string | null = k === 0 ? `Admin ${"AB"[ii]}` : `Person ${pad((k * 37) % 1000, 4)}`;
      if (k % 7 === 3) {
        name = null;
      } else if (k % 10 === 5) {
        name = userRows.at(-1)?.name ?? name;
      }
      userRows.push({
        integrationId,
        sysId,
        sysCreatedOn: at(k),
        sysUpdatedOn: at(k + 1),
        attributes: { u_badge: `B-${ii}-${k}` },
        syncedAt,
        userName,
        name,
        firstName: `First${k}`,
        lastName: `Last${k}`,
        email: k % 9 === 4 ? null : `${userName}@example.com`,
        employeeNumber: `E${ii}${pad(k, 4)}`,
        title: k % 2 === 0 ? "Engineer" : "Analyst",
        departmentSysId: k % 4 === 3 ? null : departments[k % 4],
        managerSysId: k >= 5 ? sysIdOf("sys_user", ii, 1 + (k % 4)) : null,
        active: k % 13 === 12 ? null : k % 11 !== 10,
        lockedOut: false,
        timeZone: "Europe/Paris",
      });
    }
  }
  const users = await saveAll(dataSource, User, userRows);
  const usersOf = (ii: number) =>
    users.filter((user) => user.integrationId === INTEGRATION_IDS[ii]);

  const groupRows: DeepPartial<UserGroup>[] = [];
  for (const [ii, integrationId] of INTEGRATION_IDS.entries()) {
    for (let k = 0; k < groupsPer; k += 1) {
      groupRows.push({
        integrationId,
        sysId: sysIdOf("sys_user_group", ii, k),
        sysCreatedOn: at(k),
        sysUpdatedOn: at(k),
        attributes: {},
        syncedAt,
        name: `Group ${"AB"[ii]}${pad(k, 2)}`,
        description: `Support group ${k}`,
        email: `group${k}@example.com`,
        managerSysId: usersOf(ii)[(k + 1) % usersPer].sysId,
        active: k !== groupsPer - 1,
      });
    }
  }
  const groups = await saveAll(dataSource, UserGroup, groupRows);
  const groupsOf = (ii: number) =>
    groups.filter((group) => group.integrationId === INTEGRATION_IDS[ii]);

  const changeRows: DeepPartial<ChangeRequest>[] = [];
  const changeCounters = [0, 0];
  for (let i = 0; i < changeCount; i += 1) {
    const ii = integrationIndexOf(i);
    const k = changeCounters[ii]++;
    const created = random.int(0, Math.max(1, Math.floor(changeCount / 2)));
    const plannedStart = random.chance(0.25) ? null : at(100 + random.int(0, 20) * 24);
    const stateValue = random.pick(CHANGE_STATES);
    changeRows.push({
      integrationId: INTEGRATION_IDS[ii],
      sysId: sysIdOf("change_request", ii, k),
      sysCreatedOn: at(created),
      sysUpdatedOn: at(created + random.int(0, 48)),
      attributes: { u_source: "seed" },
      syncedAt,
      number: `CHG${pad(30001 + k, 7)}`,
      shortDescription: random.pick([
        "Upgrade database cluster",
        "Patch web servers",
        "Rotate TLS certificates",
        "Migrate mail relay",
      ]),
      description: `Change ${k}`,
      type: random.pick(CHANGE_TYPES),
      stateValue,
      stateLabel: `State ${stateValue}`,
      priority: random.chance(0.1) ? null : random.int(1, 4),
      impact: random.int(1, 3),
      risk: random.chance(0.1) ? null : random.int(1, 4),
      category: random.pick(["Hardware", "Software", "Network"]),
      assignmentGroupSysId: random.chance(0.2) ? null : random.pick(groupsOf(ii)).sysId,
      assignedToSysId: random.chance(0.2) ? null : random.pick(usersOf(ii)).sysId,
      requestedBySysId: random.pick(usersOf(ii)).sysId,
      plannedStartAt: plannedStart,
      plannedEndAt: plannedStart ? new Date(plannedStart.getTime() + 4 * HOUR) : null,
      approval: random.pick(["requested", "approved", "rejected", "not yet requested"]),
      closeCode: random.pick(CLOSE_CODES),
      closeNotes: null,
      active: random.chance(0.1) ? null : random.chance(0.6),
      sysModCount: random.int(0, 9),
    });
  }
  const changeRequests = await saveAll(dataSource, ChangeRequest, changeRows);
  const changesOf = (ii: number) =>
    changeRequests.filter((change) => change.integrationId === INTEGRATION_IDS[ii]);

  const incidentRows: DeepPartial<Incident>[] = [];
  const incidentCounters = [0, 0];
  const distinctOpenedHours = Math.max(1, Math.floor(options.incidents / 2));
  const resolvedHours = [200, 300, 400, 500, 600, 700, 800, 900];
  for (let i = 0; i < options.incidents; i += 1) {
    const ii = integrationIndexOf(i);
    const k = incidentCounters[ii]++;
    // The first incident of both integrations is the same cloned record (shared sys_id).
    const sysId = k === 0 ? sysIdOf("incident", "shared", 0) : sysIdOf("incident", ii, k);
    const openedAt = random.chance(0.03) ? null : at(random.int(0, distinctOpenedHours));
    const stateValue = random.pick(INCIDENT_STATES);
    const resolved = stateValue === "6" || stateValue === "7";
    // Few distinct values: many incidents share one resolvedAt, the others have none.
    const resolvedAt = resolved ? at(random.pick(resolvedHours)) : null;
    const closedAt =
      stateValue === "7" && resolvedAt ? new Date(resolvedAt.getTime() + HOUR) : null;
    const created = openedAt ?? at(random.int(0, distinctOpenedHours));
    const descriptions = [
      `Email outage in building ${k % 5}`,
      `VPN drops every ${k % 30} minutes`,
      `Printer jam on floor ${k % 4}`,
      "Disk 100% full on db_01",
      "Disk 1000 full on dbx01",
      `Password reset for user ${k}`,
    ];
    incidentRows.push({
      integrationId: INTEGRATION_IDS[ii],
      sysId,
      sysCreatedOn: created,
      sysUpdatedOn: new Date(created.getTime() + random.int(0, 72) * HOUR),
      attributes: { u_region: random.pick(["emea", "amer", "apac"]) },
      syncedAt,
      number: `INC${pad(10001 + k, 7)}`,
      shortDescription: random.chance(0.02) ? null : random.pick(descriptions),
      description: `Incident ${k} of instance ${"AB"[ii]}`,
      stateValue,
      stateLabel: `State ${stateValue}`,
      priority: random.chance(0.05) ? null : random.int(1, 5),
      priorityLabel: null,
      impact: random.int(1, 3),
      urgency: random.int(1, 3),
      severity: random.int(1, 3),
      category: random.pick(CATEGORIES),
      subcategory: null,
      contactType: random.pick(["email", "phone", "self-service"]),
      callerSysId: random.chance(0.1) ? null : random.pick(usersOf(ii)).sysId,
      openedBySysId: random.pick(usersOf(ii)).sysId,
      openedAt,
      assignmentGroupSysId: related || random.chance(0.8) ? random.pick(groupsOf(ii)).sysId : null,
      assignedToSysId: related || random.chance(0.7) ? random.pick(usersOf(ii)).sysId : null,
      reassignmentCount: random.int(0, 3),
      reopenCount: 0,
      resolvedAt,
      resolvedBySysId: resolved ? random.pick(usersOf(ii)).sysId : null,
      closedAt,
      closedBySysId: closedAt ? random.pick(usersOf(ii)).sysId : null,
      causedBySysId:
        changesOf(ii).length > 0 && random.chance(0.15) ? random.pick(changesOf(ii)).sysId : null,
      rfcSysId:
        changesOf(ii).length > 0 && random.chance(0.1) ? random.pick(changesOf(ii)).sysId : null,
      // Every seventh incident has one of three problems (no draw: the other values stay put).
      problemSysId: k % 7 === 3 ? sysIdOf("problem", ii, k % 3) : null,
      active: random.chance(0.05) ? null : !resolved,
      sysModCount: random.int(0, 20),
    });
  }
  const incidents = await saveAll(dataSource, Incident, incidentRows);

  const approvalRows: DeepPartial<Approval>[] = [];
  const addApprovals = (record: Incident | ChangeRequest, table: string, count: number) => {
    const ii = INTEGRATION_IDS.indexOf(record.integrationId as (typeof INTEGRATION_IDS)[number]);
    for (let j = 0; j < count; j += 1) {
      approvalRows.push({
        integrationId: record.integrationId,
        sysId: sysIdOf("sysapproval_approver", `${ii}:${record.sysId}`, j),
        // Newer approvals are saved first, so ordering by time differs from insertion order.
        sysCreatedOn: new Date(record.sysCreatedOn.getTime() + (count - j) * HOUR),
        sysUpdatedOn: new Date(record.sysCreatedOn.getTime() + (count - j) * HOUR),
        attributes: {},
        syncedAt,
        approverSysId: random.pick(usersOf(ii)).sysId,
        state: random.pick(["requested", "approved", "rejected"]),
        documentSysId: record.sysId,
        sourceTable: table,
        comments: `Approval ${j}`,
      });
    }
  };
  for (const change of changeRequests) {
    addApprovals(change, "change_request", random.int(0, 3));
  }
  for (const incident of incidents) {
    if (related || random.chance(options.incidentApprovalRatio ?? 0.25)) {
      addApprovals(incident, "incident", random.int(1, 2));
    }
  }
  const approvals = await saveAll(dataSource, Approval, approvalRows);

  const journalRows: DeepPartial<JournalEntry>[] = [];
  const addJournal = (record: Incident | ChangeRequest, table: string, count: number) => {
    const ii = INTEGRATION_IDS.indexOf(record.integrationId as (typeof INTEGRATION_IDS)[number]);
    for (let j = 0; j < count; j += 1) {
      // Few distinct hours: entries of one record often share a timestamp (ties by id).
      const created = new Date(record.sysCreatedOn.getTime() + random.int(0, 4) * HOUR);
      journalRows.push({
        integrationId: record.integrationId,
        sysId: sysIdOf("sys_journal_field", `${ii}:${record.sysId}`, j),
        sysCreatedOn: created,
        sysUpdatedOn: created,
        attributes: {},
        syncedAt,
        elementSysId: record.sysId,
        tableName: table,
        element: random.pick(["comments", "work_notes"]),
        value: `Note ${j} on ${record.number ?? record.sysId}`,
        createdBy: random.pick(usersOf(ii)).userName,
      });
    }
  };
  for (const incident of incidents) {
    addJournal(
      incident,
      "incident",
      related ? random.int(1, journalMax) : random.int(0, journalMax),
    );
  }
  for (const change of changeRequests) {
    addJournal(change, "change_request", random.int(0, 2));
  }
  const journalEntries = await saveAll(dataSource, JournalEntry, journalRows);

  // Sync runs of the first integration only, saved out of time order; the second has none.
  const runHours = [5011, 5012, 5010];
  const syncRuns = runHours.map((hour, index) =>
    dataSource.getRepository(SyncRun).create({
      id: `0a1b2c3d-0000-4000-9000-00000000000${index}`,
      integrationId: INTEGRATION_IDS[0],
      status: hour === 5012 ? SyncRunStatus.FAILED : SyncRunStatus.SUCCEEDED,
      trigger: SyncTrigger.SCHEDULE,
      mode: SyncMode.INCREMENTAL,
      startedAt: at(hour),
      finishedAt: at(hour + 0.5),
      durationMs: 1_800_000,
      error: hour === 5012 ? "ServiceNow answered 503 three times" : null,
      errorCode: hour === 5012 ? "UPSTREAM_UNAVAILABLE" : null,
      tables: [{ table: "incident", fetched: 10, upserted: 10, deleted: 0 }],
    }),
  );
  await dataSource.getRepository(SyncRun).insert(syncRuns);

  return {
    integrations,
    users,
    groups,
    incidents,
    changeRequests,
    approvals,
    journalEntries,
    syncRuns,
    departments,
  };
}
