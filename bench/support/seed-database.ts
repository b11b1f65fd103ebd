import fs from "node:fs";

import Database from "better-sqlite3";

import { openDataSource } from "../../src/database/data-source";
import { Integration } from "../../src/modules/integrations/integration.entity";
import {
  AuthMethod,
  Deployment,
  IntegrationStatus,
} from "../../src/modules/integrations/integration.enums";
import { mulberry32 } from "../../src/simulator/simulator.generator";

/**
 * A SQLite database as a sync would leave it, built fast: the schema comes from the product's
 * migrations (TypeORM), the rows from prepared INSERTs in one transaction with the secondary
 * indexes dropped and rebuilt afterwards. Values are stored as TypeORM stores them (UTC
 * `YYYY-MM-DD HH:MM:SS.SSS` datetimes, 0/1 booleans, JSON text), and the distributions follow
 * the simulator's generator (priority from impact × urgency, states, assignees, groups).
 */

export const BENCH_INTEGRATION_ID = "be9c4000-0000-4000-8000-000000000001";

export interface SeedSizes {
  readonly incidents: number;
  readonly users: number;
  readonly groups: number;
  readonly journalPerIncident: number;
  /** Closed and open change requests; a tenth of the incidents are caused_by one, 5% its rfc. */
  readonly changes?: number;
  readonly seed?: number;
}

const SEEDED_TABLES = ["incident", "journal_entry", "sn_user", "sn_user_group", "change_request"];
const START = Date.UTC(2024, 0, 1);
const YEAR = 366 * 24 * 3_600_000;
const HOUR = 3_600_000;
const STATE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["1", 10],
  ["2", 15],
  ["3", 5],
  ["6", 20],
  ["7", 45],
  ["8", 5],
];
const STATE_LABELS: Readonly<Record<string, string>> = {
  "1": "New",
  "2": "In Progress",
  "3": "On Hold",
  "6": "Resolved",
  "7": "Closed",
  "8": "Canceled",
};
const PRIORITY_LABELS = ["", "1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"];
const LEVEL_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [2, 3],
  [3, 6],
];
const LEVEL_LABELS = ["", "1 - High", "2 - Medium", "3 - Low"];
const CATEGORIES = ["inquiry", "software", "hardware", "network", "database"];
const SUBJECTS = [
  "Cannot connect to VPN",
  "Outlook keeps crashing",
  "Laptop will not boot",
  "Oracle database slow",
  "How do I reset my password?",
  "Wireless drops every few minutes",
];
const JOURNAL_TEXTS = [
  "Called the user, no answer. Will try again later.",
  "User confirmed the issue is still happening.",
  "Escalated to the second line team.",
  "Applied the documented workaround.",
  "Restarted the service, monitoring.",
];
const NAMES = ["Ada", "Beth", "Chen", "Dina", "Elif", "Hiro", "Ines", "Jamal", "Kara", "Luis"];

/** UTC datetime as TypeORM writes it to SQLite. */
export function sqliteDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function createRandom(seed: number) {
  const next = mulberry32(seed);
  const word = () => Math.floor(next() * 0x1_0000_0000);
  return {
    float: next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
      const total = items.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= weight;
        if (roll < 0) {
          return item;
        }
      }
      return items[items.length - 1][0];
    },
    sysId: () =>
      [word(), word(), word(), word()].map((w) => w.toString(16).padStart(8, "0")).join(""),
  };
}

function insertStatement(db: Database.Database, table: string, columns: readonly string[]) {
  return db.prepare(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
}

/** Creates (or replaces) `file` with the product's schema and the seeded rows. */
export async function seedDatabase(file: string, sizes: SeedSizes): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) {
    fs.rmSync(`${file}${suffix}`, { force: true });
  }
  const dataSource = await openDataSource({ kind: "sqlite", path: file });
  await dataSource.getRepository(Integration).insert({
    id: BENCH_INTEGRATION_ID,
    name: "Benchmark instance",
    url: "https://bench.service-now.com",
    deployment: Deployment.CLOUD,
    authMethod: AuthMethod.BASIC,
    tags: [],
    excludedFields: [],
    status: IntegrationStatus.CONNECTED,
  });
  await dataSource.destroy();

  const db = new Database(file);
  try {
    db.pragma("journal_mode = DELETE");
    db.pragma("synchronous = OFF");
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${SEEDED_TABLES.map(() => "?").join(", ")})`,
      )
      .all(...SEEDED_TABLES) as Array<{ name: string; sql: string }>;
    for (const index of indexes) {
      db.exec(`DROP INDEX "${index.name}"`);
    }
    db.transaction(() => insertRows(db, sizes))();
    for (const index of indexes) {
      db.exec(index.sql);
    }
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

function insertRows(db: Database.Database, sizes: SeedSizes): void {
  const random = createRandom(sizes.seed ?? 20240101);
  const integrationId = BENCH_INTEGRATION_ID;
  const syncedAt = sqliteDateTime(START + YEAR);
  const before = sqliteDateTime(START - 30 * 24 * HOUR);

  const users: Array<{ sysId: string; userName: string; name: string }> = [];
  const insertUser = insertStatement(db, "sn_user", [
    "integration_id",
    "sys_id",
    "sys_created_on",
    "sys_updated_on",
    "attributes",
    "synced_at",
    "user_name",
    "name",
    "first_name",
    "last_name",
    "email",
    "employee_number",
    "title",
    "department_sys_id",
    "manager_sys_id",
    "active",
    "locked_out",
    "time_zone",
  ]);
  for (let k = 0; k < sizes.users; k += 1) {
    const first = random.pick(NAMES);
    const last = `${random.pick(NAMES)}son`;
    const userName = `${first}.${last}${k}`.toLowerCase();
    const user = { sysId: random.sysId(), userName, name: `${first} ${last}` };
    const manager = k >= 5 ? users[random.int(0, Math.min(k, 20) - 1)] : undefined;
    insertUser.run(
      integrationId,
      user.sysId,
      before,
      before,
      JSON.stringify({
        "department.display": "IT",
        ...(manager ? { "manager.display": manager.name } : {}),
        web_service_access_only: "false",
      }),
      syncedAt,
      userName,
      user.name,
      first,
      last,
      `${userName}@example.com`,
      String(100000 + k),
      "Service Desk Analyst",
      random.sysId(),
      manager?.sysId ?? null,
      random.chance(0.95) ? 1 : 0,
      0,
      "Europe/Berlin",
    );
    users.push(user);
  }

  const groups: Array<{ sysId: string; name: string }> = [];
  const insertGroup = insertStatement(db, "sn_user_group", [
    "integration_id",
    "sys_id",
    "sys_created_on",
    "sys_updated_on",
    "attributes",
    "synced_at",
    "name",
    "description",
    "email",
    "manager_sys_id",
    "active",
  ]);
  for (let k = 0; k < sizes.groups; k += 1) {
    const group = { sysId: random.sysId(), name: `Support group ${k + 1}` };
    const manager = random.pick(users);
    insertGroup.run(
      integrationId,
      group.sysId,
      before,
      before,
      JSON.stringify({ "manager.display": manager.name }),
      syncedAt,
      group.name,
      `${group.name} team`,
      `group${k + 1}@example.com`,
      manager.sysId,
      1,
    );
    groups.push(group);
  }

  const changes = insertChanges(db, sizes, syncedAt);
  // Their own generator: the incidents' other values stay those of a seed without changes.
  const links = createRandom((sizes.seed ?? 20240101) + 1);
  const insertIncident = insertStatement(db, "incident", [
    "integration_id",
    "sys_id",
    "sys_created_on",
    "sys_updated_on",
    "attributes",
    "synced_at",
    "number",
    "short_description",
    "description",
    "state_value",
    "state_label",
    "priority",
    "priority_label",
    "impact",
    "urgency",
    "severity",
    "category",
    "contact_type",
    "caller_sys_id",
    "opened_by_sys_id",
    "opened_at",
    "assignment_group_sys_id",
    "assigned_to_sys_id",
    "reassignment_count",
    "reopen_count",
    "resolved_at",
    "resolved_by_sys_id",
    "closed_at",
    "closed_by_sys_id",
    "sla_due",
    "close_code",
    "close_notes",
    "active",
    "sys_mod_count",
    "caused_by_sys_id",
    "rfc_sys_id",
  ]);
  const insertJournal = insertStatement(db, "journal_entry", [
    "integration_id",
    "sys_id",
    "sys_created_on",
    "sys_updated_on",
    "attributes",
    "synced_at",
    "element_sys_id",
    "table_name",
    "element",
    "value",
    "created_by",
  ]);
  // Openings in time order, as a keyset sync on sys_updated_on roughly inserts them.
  const step = (YEAR * 0.98) / Math.max(1, sizes.incidents);
  for (let k = 0; k < sizes.incidents; k += 1) {
    const opened = Math.floor((START + k * step + random.float() * step) / 1000) * 1000;
    const impact = random.weighted(LEVEL_WEIGHTS);
    const urgency = random.weighted(LEVEL_WEIGHTS);
    const priority = impact + urgency - 1;
    const state = random.weighted(STATE_WEIGHTS);
    const active = state === "1" || state === "2" || state === "3";
    const caller = random.pick(users);
    const assignee = state !== "1" || random.chance(0.5) ? random.pick(users) : null;
    const group = assignee || random.chance(0.5) ? random.pick(groups) : null;
    const resolved = state === "6" || state === "7" ? opened + random.int(1, 240) * HOUR : null;
    const closed =
      state === "7" && resolved !== null ? resolved + random.int(24, 168) * HOUR : null;
    const updated = Math.max(opened, resolved ?? 0, closed ?? 0) + random.int(0, 600) * 60_000;
    const category = random.pick(CATEGORIES);
    const sysId = random.sysId();
    const attributes: Record<string, string> = {
      "caller_id.display": caller.name,
      "opened_by.display": caller.name,
      "category.display": category[0].toUpperCase() + category.slice(1),
      "impact.display": LEVEL_LABELS[impact],
      "urgency.display": LEVEL_LABELS[urgency],
      "severity.display": "3 - Low",
      "contact_type.display": "Email",
      incident_state: state,
      sys_created_by: caller.userName,
      sys_updated_by: assignee?.userName ?? caller.userName,
    };
    if (assignee) {
      attributes["assigned_to.display"] = assignee.name;
    }
    if (group) {
      attributes["assignment_group.display"] = group.name;
    }
    insertIncident.run(
      integrationId,
      sysId,
      sqliteDateTime(opened),
      sqliteDateTime(updated),
      JSON.stringify(attributes),
      syncedAt,
      `INC${String(10001 + k).padStart(7, "0")}`,
      random.pick(SUBJECTS),
      "Reported by the caller; details in the comments.",
      state,
      STATE_LABELS[state],
      priority,
      PRIORITY_LABELS[priority],
      impact,
      urgency,
      3,
      category,
      "email",
      caller.sysId,
      caller.sysId,
      sqliteDateTime(opened),
      group?.sysId ?? null,
      assignee?.sysId ?? null,
      assignee ? random.int(0, 2) : 0,
      0,
      resolved === null ? null : sqliteDateTime(resolved),
      resolved === null ? null : (assignee ?? caller).sysId,
      closed === null ? null : sqliteDateTime(closed),
      closed === null ? null : (assignee ?? caller).sysId,
      sqliteDateTime(opened + [4, 8, 24, 72, 168][priority - 1] * HOUR),
      resolved === null ? null : "Solution provided",
      resolved === null ? null : "Resolved; the caller confirmed.",
      active ? 1 : 0,
      random.int(0, 12),
      changes.length > 0 && links.chance(0.1) ? links.pick(changes) : null,
      changes.length > 0 && links.chance(0.05) ? links.pick(changes) : null,
    );
    for (let j = 0; j < sizes.journalPerIncident; j += 1) {
      const created = sqliteDateTime(
        Math.floor((opened + random.float() * (updated - opened)) / 1000) * 1000,
      );
      insertJournal.run(
        integrationId,
        random.sysId(),
        created,
        created,
        "{}",
        syncedAt,
        sysId,
        "incident",
        random.chance(0.5) ? "comments" : "work_notes",
        random.pick(JOURNAL_TEXTS),
        random.pick(users).userName,
      );
    }
  }
}

/** Change requests over the year: 80% closed (5% of those unsuccessful), the rest in progress. */
function insertChanges(db: Database.Database, sizes: SeedSizes, syncedAt: string): string[] {
  const count = sizes.changes ?? 0;
  const random = createRandom((sizes.seed ?? 20240101) + 2);
  const insert = insertStatement(db, "change_request", [
    "integration_id",
    "sys_id",
    "sys_created_on",
    "sys_updated_on",
    "attributes",
    "synced_at",
    "number",
    "short_description",
    "type",
    "state_value",
    "state_label",
    "priority",
    "impact",
    "risk",
    "planned_start_at",
    "planned_end_at",
    "work_start_at",
    "work_end_at",
    "closed_at",
    "close_code",
    "active",
  ]);
  const sysIds: string[] = [];
  const step = (YEAR * 0.98) / Math.max(1, count);
  for (let k = 0; k < count; k += 1) {
    const created = Math.floor((START + k * step + random.float() * step) / 1000) * 1000;
    const closed = random.chance(0.8);
    const start = created + random.int(24, 240) * HOUR;
    const end = start + random.int(1, 8) * HOUR;
    const sysId = random.sysId();
    insert.run(
      BENCH_INTEGRATION_ID,
      sysId,
      sqliteDateTime(created),
      sqliteDateTime(closed ? end + HOUR : created),
      "{}",
      syncedAt,
      `CHG${String(30001 + k).padStart(7, "0")}`,
      "Patch the application servers",
      random.pick(["normal", "standard", "emergency"]),
      closed ? "3" : "-2",
      closed ? "Closed" : "Scheduled",
      random.int(1, 4),
      random.int(1, 3),
      random.int(1, 4),
      sqliteDateTime(start),
      sqliteDateTime(end),
      closed ? sqliteDateTime(start) : null,
      closed ? sqliteDateTime(end) : null,
      closed ? sqliteDateTime(end + HOUR) : null,
      closed ? (random.chance(0.05) ? "unsuccessful" : "successful") : null,
      closed ? 0 : 1,
    );
    sysIds.push(sysId);
  }
  return sysIds;
}
