import { JOURNAL_ENTRY_TABLE } from "../modules/journal-entries/journal-entry.table";
import type { ColumnDescriptor, TableDescriptor } from "../table-model/table.descriptor";
import { TABLES } from "../tables";
import { SimulatorError } from "./simulator.errors";
import type { FieldInput, FieldsInput, SimRecord } from "./simulator.store";
import { formatGlideDateTime, parseWallClock } from "./simulator.time";

/**
 * A seeded, realistic dataset: groups with managers, users across departments and time zones,
 * changes with planned and actual windows and their approvals, incidents across states with
 * consistent timestamps (opened < resolved < closed), and journal entries. Every other table
 * of `TABLES` is generated from its descriptor (values by column type, choice values, references
 * to generated records, journal entries for its journal fields), in `TABLES` order, so a new
 * table gets data without an edit here; a column added to one of the realistic tables' descriptors
 * is filled the same way. Same seed, same data, sys_ids included; a new table or column draws
 * from its own stream and changes no other value.
 */

export interface DatasetOptions {
  readonly seed: number;
  readonly groups?: number;
  readonly users?: number;
  readonly incidents?: number;
  readonly changes?: number;
  /** Approvers per change that goes through approval (standard changes are pre-approved). */
  readonly approvalsPerChange?: number;
  /** Journal entries (comments, work notes) per incident, per change, per record of a journaled table. */
  readonly journalPerRecord?: number;
  /** Records of each table generated from its descriptor alone (by table name). */
  readonly records?: Readonly<Record<string, number>>;
  /** Records are created and updated within [start, end). */
  readonly start?: Date;
  readonly end?: Date;
}

export interface DatasetSummary {
  readonly counts: Readonly<Record<string, number>>;
  readonly start: string;
  readonly end: string;
}

/** Anything records can be inserted into: a simulator or its store. */
export interface RecordSink {
  insert(table: string, fields: FieldsInput): SimRecord;
}

export const DATASET_DEFAULTS = {
  groups: 10,
  users: 100,
  incidents: 1000,
  changes: 100,
  approvalsPerChange: 2,
  journalPerRecord: 2,
  /** Records of a table generated from its descriptor, unless `records` says otherwise. */
  recordsPerTable: 100,
  start: new Date("2024-01-01T00:00:00Z"),
  end: new Date("2025-01-01T00:00:00Z"),
} as const;

/** mulberry32: tiny, fast, and good enough for test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) {
        return item;
      }
    }
    return items[items.length - 1][0];
  }

  sysId(): string {
    let id = "";
    for (let i = 0; i < 4; i++) {
      const word = Math.floor(this.next() * 0x100000000);
      id +=
        HEX[word >>> 24] + HEX[(word >>> 16) & 0xff] + HEX[(word >>> 8) & 0xff] + HEX[word & 0xff];
    }
    return id;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const FIRST_NAMES = [
  "Abel",
  "Ada",
  "Beth",
  "Bow",
  "Carla",
  "Chen",
  "David",
  "Dina",
  "Elif",
  "Fred",
  "Grace",
  "Hiro",
  "Ines",
  "Jamal",
  "Joe",
  "Kara",
  "Luis",
  "Maya",
  "Nina",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sam",
  "Tariq",
  "Uma",
  "Vera",
  "Wei",
  "Yuki",
  "Zoe",
];
const LAST_NAMES = [
  "Tuter",
  "Loo",
  "Ruggeri",
  "Luddy",
  "Goodliffe",
  "Schmidt",
  "Nakamura",
  "Okafor",
  "Silva",
  "Kowalski",
  "Haddad",
  "Larsen",
  "Moreau",
  "Patel",
  "Rossi",
  "Svensson",
  "Tanaka",
  "Novak",
  "Garcia",
  "Müller",
  "Nguyen",
  "Owens",
  "Quiroga",
  "Reyes",
  "Singh",
  "Tremblay",
  "Ueda",
];
const TITLES = [
  "Service Desk Analyst",
  "Network Engineer",
  "Database Administrator",
  "System Administrator",
  "Change Manager",
  "Software Engineer",
  "IT Manager",
  "Security Analyst",
  "Sales Manager",
  "Accountant",
  "HR Partner",
];
const DEPARTMENTS = [
  "IT",
  "Finance",
  "Sales",
  "Human Resources",
  "Customer Support",
  "Engineering",
  "Product Management",
  "Facilities",
];
const TIME_ZONES = [
  ["", 8],
  ["America/Los_Angeles", 3],
  ["America/New_York", 3],
  ["America/Chicago", 1],
  ["Europe/London", 2],
  ["Europe/Berlin", 2],
  ["Asia/Kolkata", 2],
  ["Asia/Tokyo", 1],
  ["Australia/Sydney", 1],
] as const;
const GROUP_NAMES = [
  "Service Desk",
  "Network",
  "Database",
  "Hardware",
  "Software",
  "Application Development",
  "Change Management",
  "CAB Approval",
  "IT Securities",
  "Openspace",
  "Help Desk",
  "Cloud Operations",
];
const SERVICES = [
  "Email",
  "SAP Sales and Distribution",
  "Electronic Messaging",
  "Retail Adding Points",
  "Blackberry",
  "Bond Trading",
  "IT Services",
  "Client Services",
];
const CIS = [
  "Sales Force Automation",
  "EXCH-SD-05",
  "lnux100",
  "lnux101",
  "ApplicationServerPeopleSoft",
  "FileServerFloor2",
  "IBM-T42-DLG",
  "MailServerUS",
  "Oracle FLX",
  "SAP AppSRV01",
  "PS LinuxApp01",
  "Storage Area Network 001",
  "WebServer100",
  "*JEMPLOYEE-IBM",
  "DatabaseServer2",
];
const INCIDENT_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  inquiry: ["antivirus", "email", "internal application"],
  software: ["email", "os", "internal application"],
  hardware: ["cpu", "disk", "keyboard", "memory", "monitor", "mouse"],
  network: ["dhcp", "dns", "vpn", "wireless"],
  database: ["db2", "oracle", "sql server"],
};
const INCIDENT_SUBJECTS: Readonly<Record<string, readonly string[]>> = {
  inquiry: [
    "How do I reset my password?",
    "Request for information on VPN",
    "Question about email quota",
  ],
  software: ["Can't access SFA software", "Outlook keeps crashing", "Application error on login"],
  hardware: ["Laptop will not boot", "Monitor flickering", "Keyboard keys not working"],
  network: ["Cannot connect to VPN", "Wireless drops every few minutes", "DNS lookups failing"],
  database: ["Oracle database slow", "SQL Server login failed", "DB2 job stuck"],
};
const CHANGE_SUBJECTS = [
  "Rollback Oracle Version",
  "Upgrade mail server",
  "Patch web servers",
  "Replace core switch",
  "Migrate file shares",
  "Decommission legacy app",
  "Add storage to SAN",
  "Rotate TLS certificates",
];
const INCIDENT_CLOSE_CODES = [
  "Solution provided",
  "Workaround provided",
  "Resolved by caller",
  "Resolved by change",
  "Duplicate",
  "No resolution provided",
  "User error",
  "Known error",
];
const JOURNAL_TEXTS = [
  "Called the user, no answer. Will try again later.",
  "User confirmed the issue is still happening.",
  "Escalated to the second line team.",
  "Applied the documented workaround.",
  "Waiting for the vendor to reply.",
  "Restarted the service, monitoring.",
  "Please try again and let us know.",
  "Root cause identified, fix scheduled.",
];

function at(ms: number): string {
  return formatGlideDateTime(ms);
}

function count(value: number | undefined, fallback: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0) {
    throw new SimulatorError("INVALID_INPUT", `${name} must be a non-negative integer`);
  }
  return n;
}

interface Created {
  readonly sysId: string;
  readonly created: number;
  readonly updated: number;
}

/** Inserts the dataset into the sink; returns how many records of each table it wrote. */
export function generateDataset(sink: RecordSink, options: DatasetOptions): DatasetSummary {
  const rng = new Random(options.seed);
  const groupCount = count(options.groups, DATASET_DEFAULTS.groups, "groups");
  const userCount = Math.max(1, count(options.users, DATASET_DEFAULTS.users, "users"));
  const incidentCount = count(options.incidents, DATASET_DEFAULTS.incidents, "incidents");
  const changeCount = count(options.changes, DATASET_DEFAULTS.changes, "changes");
  const approvals = count(
    options.approvalsPerChange,
    DATASET_DEFAULTS.approvalsPerChange,
    "approvalsPerChange",
  );
  const journals = count(
    options.journalPerRecord,
    DATASET_DEFAULTS.journalPerRecord,
    "journalPerRecord",
  );
  const start = (options.start ?? DATASET_DEFAULTS.start).getTime();
  const end = (options.end ?? DATASET_DEFAULTS.end).getTime();
  if (!(end > start)) {
    throw new SimulatorError("INVALID_INPUT", "end must be after start");
  }
  const span = end - start;
  const last = end - 1000;
  const counts: Record<string, number> = {};
  // sys_ids generated so far, by table, in insertion order: what a reference may point to.
  const pools = new Map<string, string[]>();
  const users: GeneratedUser[] = [];
  const complete = completer(options.seed, pools, users);
  const insert: Insert = (table, fields) => {
    const index = counts[table] ?? 0;
    counts[table] = index + 1;
    const record = sink.insert(table, complete(table, fields, index));
    const pool = pools.get(table);
    if (pool) {
      pool.push(record.sys_id);
    } else {
      pools.set(table, [record.sys_id]);
    }
    return record;
  };
  const within = (ms: number): number => Math.min(Math.floor(ms / 1000) * 1000, last);

  // Configuration items and departments exist before the range starts.
  const before = (): number => start - rng.int(30, 700) * DAY;
  const departments = DEPARTMENTS.map((name) => {
    const created = before();
    return insert("cmn_department", {
      sys_id: rng.sysId(),
      name,
      sys_created_on: at(created),
      sys_updated_on: at(created),
    }).sys_id;
  });
  const services = SERVICES.map((name) => {
    const created = before();
    return insert("cmdb_ci_service", {
      sys_id: rng.sysId(),
      name,
      sys_created_on: at(created),
      sys_updated_on: at(created),
    }).sys_id;
  });
  const cis = CIS.map((name) => {
    const created = before();
    return insert("cmdb_ci", {
      sys_id: rng.sysId(),
      name,
      sys_created_on: at(created),
      sys_updated_on: at(created),
    }).sys_id;
  });

  const anyUser = (): GeneratedUser => rng.pick(users);
  const groups: string[] = [];
  const anyGroup = (): string => (groups.length > 0 ? rng.pick(groups) : "");
  // Opening times are drawn first and sorted so numbers grow with time, as on an instance.
  const openings = (n: number): number[] =>
    Array.from(
      { length: n },
      () => Math.floor((start + rng.float() * span * 0.98) / 1000) * 1000,
    ).sort((a, b) => a - b);
  const journal: JournalWriter = (rand, table, records) => {
    writeJournal(rand, insert, table, records, journals, users);
  };

  // Users, created before the range and some updated within it; then groups, managed by users.
  const people = (): void => {
    const userNames = new Set<string>();
    for (let i = 0; i < userCount; i++) {
      const first = rng.pick(FIRST_NAMES);
      const lastName = rng.pick(LAST_NAMES);
      const base = `${first}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, "");
      let userName = base;
      for (let n = 2; userNames.has(userName); n++) {
        userName = `${base}${n}`;
      }
      userNames.add(userName);
      const created = before();
      const updated = rng.chance(0.3) ? within(start + rng.float() * span) : created;
      const record = insert("sys_user", {
        sys_id: rng.sysId(),
        user_name: userName,
        name: `${first} ${lastName}`,
        first_name: first,
        last_name: lastName,
        email: `${userName}@example.com`,
        employee_number: String(100000 + i),
        title: rng.pick(TITLES),
        department: rng.pick(departments),
        manager: i >= 5 ? users[rng.int(0, Math.min(i, 20) - 1)].sysId : "",
        active: rng.chance(0.95),
        locked_out: rng.chance(0.01),
        time_zone: rng.weighted(TIME_ZONES),
        web_service_access_only: false,
        sys_created_on: at(created),
        sys_updated_on: at(updated),
        sys_mod_count: updated === created ? 0 : rng.int(1, 5),
      });
      users.push({ sysId: record.sys_id, userName });
    }

    for (let i = 0; i < groupCount; i++) {
      const name = i < GROUP_NAMES.length ? GROUP_NAMES[i] : `${rng.pick(GROUP_NAMES)} ${i + 1}`;
      const created = before();
      groups.push(
        insert("sys_user_group", {
          sys_id: rng.sysId(),
          name,
          description: `${name} team`,
          manager: anyUser().sysId,
          email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@example.com`,
          active: true,
          sys_created_on: at(created),
          sys_updated_on: at(created),
        }).sys_id,
      );
    }
  };

  // Changes and their approvals, then incidents (caused or fixed by an earlier change), then
  // the journal entries of both.
  const work = (): void => {
    const changes: Created[] = [];
    for (const created of openings(changeCount)) {
      const change = generateChange(rng, created, last);
      const requester = anyUser();
      const assignee = anyUser();
      const record = insert("change_request", {
        sys_id: rng.sysId(),
        short_description: rng.pick(CHANGE_SUBJECTS),
        description: "Planned work; see the implementation and backout plans.",
        type: change.type,
        state: change.state,
        priority: change.impact + 1 > 4 ? 4 : change.impact + 1,
        impact: change.impact,
        urgency: change.impact,
        risk: change.risk,
        category: rng.pick(["Hardware", "Software", "Service", "Network", "Other"]),
        assignment_group: anyGroup(),
        assigned_to: assignee.sysId,
        requested_by: requester.sysId,
        opened_by: requester.sysId,
        opened_at: at(created),
        approval: change.approval,
        start_date: at(change.plannedStart),
        end_date: at(change.plannedEnd),
        work_start: change.workStart === null ? "" : at(change.workStart),
        work_end: change.workEnd === null ? "" : at(change.workEnd),
        close_code: change.closeCode,
        close_notes: change.closeCode ? "Implemented as planned." : "",
        closed_at: change.closedAt === null ? "" : at(change.closedAt),
        closed_by: change.closedAt === null ? "" : assignee.sysId,
        business_service: rng.chance(0.7) ? rng.pick(services) : "",
        cmdb_ci: rng.chance(0.8) ? rng.pick(cis) : "",
        active: change.state !== "3" && change.state !== "4",
        backout_plan: "Restore the snapshot taken before the change.",
        implementation_plan: "Follow the runbook.",
        test_plan: "Smoke test after the change.",
        sys_created_on: at(created),
        sys_updated_on: at(change.updated),
        sys_created_by: requester.userName,
        sys_updated_by: assignee.userName,
        sys_mod_count: change.modCount,
      });
      changes.push({ sysId: record.sys_id, created, updated: change.updated });

      if (change.approval !== "not requested" && change.type !== "standard") {
        const approvers = new Set<string>();
        for (let k = 0; k < approvals && approvers.size < users.length; k++) {
          let approver = anyUser();
          while (approvers.has(approver.sysId)) {
            approver = anyUser();
          }
          approvers.add(approver.sysId);
          const requested = Math.min(created + rng.int(1, 120) * MINUTE, change.updated);
          const state =
            change.approval === "approved"
              ? "approved"
              : change.approval === "rejected"
                ? k === 0
                  ? "rejected"
                  : "not_required"
                : rng.chance(0.4)
                  ? "approved"
                  : "requested";
          const decided =
            state === "requested"
              ? requested
              : Math.min(requested + rng.int(10, 2880) * MINUTE, last);
          insert("sysapproval_approver", {
            sys_id: rng.sysId(),
            approver: approver.sysId,
            state,
            sysapproval: record.sys_id,
            document_id: record.sys_id,
            source_table: "change_request",
            comments:
              state === "approved" ? "Approved." : state === "rejected" ? "Risk too high." : "",
            sys_created_on: at(requested),
            sys_updated_on: at(decided),
            sys_mod_count: state === "requested" ? 0 : 1,
          });
        }
      }
    }
    const changesByCreated = changes; // already in creation order

    const incidents: Created[] = [];
    for (const opened of openings(incidentCount)) {
      const category = rng.pick(Object.keys(INCIDENT_CATEGORIES));
      const impact = rng.weighted([
        [1, 1],
        [2, 3],
        [3, 6],
      ] as const);
      const urgency = rng.weighted([
        [1, 1],
        [2, 3],
        [3, 6],
      ] as const);
      const priority = impact + urgency - 1;
      let state = rng.weighted([
        ["1", 10],
        ["2", 15],
        ["3", 5],
        ["6", 20],
        ["7", 45],
        ["8", 5],
      ] as const) as string;
      const caller = anyUser();
      const assignee = anyUser();
      const assigned = state !== "1" || rng.chance(0.5);
      let resolvedAt: number | null = null;
      let closedAt: number | null = null;
      if (state === "6" || state === "7") {
        resolvedAt = opened + rng.int(30, 14_400) * MINUTE;
        if (state === "7") {
          closedAt = resolvedAt + rng.int(1, 7) * DAY;
        }
      } else if (state === "8") {
        closedAt = opened + rng.int(10, 4_000) * MINUTE;
      }
      // Nothing happens after the range ends: the incident is caught in an earlier state.
      if (closedAt !== null && closedAt > last) {
        closedAt = null;
        state = state === "8" ? "2" : "6";
      }
      if (resolvedAt !== null && resolvedAt > last) {
        resolvedAt = null;
        state = "2";
      }
      const events = [opened, resolvedAt ?? opened, closedAt ?? opened];
      const lastEvent = Math.max(...events);
      const updated =
        state === "1" ? opened : within(Math.max(lastEvent, opened + rng.int(1, 600) * MINUTE));
      const active = state === "1" || state === "2" || state === "3";
      let causedBy = "";
      let rfc = "";
      if (changesByCreated.length > 0 && rng.chance(0.08)) {
        const candidate = rng.pick(changesByCreated);
        if (candidate.created < opened) {
          if (rng.chance(0.5)) {
            causedBy = candidate.sysId;
          } else {
            rfc = candidate.sysId;
          }
        }
      }
      const resolver = assigned ? assignee : caller;
      const record = insert("incident", {
        sys_id: rng.sysId(),
        short_description: rng.pick(INCIDENT_SUBJECTS[category]),
        description: "Reported by the caller; details in the comments.",
        state,
        incident_state: state,
        priority,
        impact,
        urgency,
        severity: 3,
        category,
        subcategory: rng.pick(INCIDENT_CATEGORIES[category]),
        contact_type: rng.weighted([
          ["email", 4],
          ["phone", 3],
          ["self-service", 2],
          ["walk-in", 1],
        ] as const),
        caller_id: caller.sysId,
        opened_by: rng.chance(0.6) ? caller.sysId : assignee.sysId,
        opened_at: at(opened),
        assignment_group: assigned || rng.chance(0.5) ? anyGroup() : "",
        assigned_to: assigned ? assignee.sysId : "",
        reassignment_count: assigned
          ? rng.weighted([
              [0, 6],
              [1, 3],
              [2, 1],
            ] as const)
          : 0,
        reopen_count: rng.chance(0.03) ? 1 : 0,
        hold_reason: state === "3" ? rng.pick(["1", "3", "4", "5"]) : "",
        resolved_at: resolvedAt === null ? "" : at(resolvedAt),
        resolved_by: resolvedAt === null ? "" : resolver.sysId,
        closed_at: closedAt === null ? "" : at(closedAt),
        closed_by: closedAt === null ? "" : resolver.sysId,
        sla_due: at(opened + [4, 8, 24, 72, 168][priority - 1] * HOUR),
        close_code: resolvedAt === null ? "" : rng.pick(INCIDENT_CLOSE_CODES),
        close_notes: resolvedAt === null ? "" : "Resolved; the caller confirmed.",
        caused_by: causedBy,
        rfc,
        business_service: rng.chance(0.6) ? rng.pick(services) : "",
        cmdb_ci: rng.chance(0.7) ? rng.pick(cis) : "",
        business_stc: resolvedAt === null ? "" : Math.round((resolvedAt - opened) / 1000 / 3),
        calendar_stc: resolvedAt === null ? "" : Math.round((resolvedAt - opened) / 1000),
        active,
        sys_created_on: at(opened),
        sys_updated_on: at(updated),
        sys_created_by: caller.userName,
        sys_updated_by: resolver.userName,
        sys_mod_count: updated === opened ? 0 : rng.int(1, 12),
      });
      incidents.push({ sysId: record.sys_id, created: opened, updated });
    }

    journal(rng, INCIDENT, incidents);
    journal(rng, CHANGE_REQUEST, changes);
  };

  // TABLES order, so a table generated from its descriptor exists before the realistic tables
  // listed after it. The realistic steps draw from one stream, always in the same order (a step
  // runs the steps before it first); every described table has its own stream.
  const steps = [people, work];
  let stepsRun = 0;
  const runSteps = (through: number): void => {
    for (; stepsRun <= through; stepsRun++) {
      steps[stepsRun]();
    }
  };
  for (const table of TABLES) {
    const step = REALISTIC_STEPS.findIndex((tables) => tables.includes(table.name));
    if (step >= 0) {
      runSteps(step);
      continue;
    }
    generateDescribed(table, {
      rng: new Random(options.seed ^ hashOf(table.name)),
      insert,
      count: count(
        options.records?.[table.name],
        DATASET_DEFAULTS.recordsPerTable,
        `records.${table.name}`,
      ),
      start,
      span,
      last,
      pools,
      users,
      journal,
      linkShare: DESCRIBED_LINK_SHARE,
    });
  }
  runSteps(steps.length - 1);

  return { counts, start: at(start), end: at(end) };
}

const INCIDENT = "incident";
const CHANGE_REQUEST = "change_request";

/**
 * Tables the generator knows well enough to fill realistically (states, timestamps, relations
 * and approvals consistent with each other), by step: the tables each realistic step of
 * generateDataset writes. The others are generated from their descriptors. A described table
 * listed between two tables of one step is generated after the whole step.
 */
const REALISTIC_STEPS: readonly (readonly string[])[] = [
  ["sys_user_group", "sys_user"],
  [INCIDENT, CHANGE_REQUEST, "sysapproval_approver", JOURNAL_ENTRY_TABLE.name],
];

/** Share of a described table's optional references that point to a record. */
const DESCRIBED_LINK_SHARE = 0.8;
/**
 * Share of a realistic table's optional references, in columns its generator does not know,
 * that point to a record: a link added to a table, such as an incident's problem, is the
 * exception there.
 */
const ADDED_LINK_SHARE = 0.3;

interface GeneratedUser {
  readonly sysId: string;
  readonly userName: string;
}

type Insert = (table: string, fields: FieldsInput) => SimRecord;
type JournalWriter = (rng: Random, table: string, records: readonly Created[]) => void;

/**
 * Journal entries of a table's records, for each of its journal fields (comments, work notes),
 * between each record's creation and its last update.
 */
function writeJournal(
  rng: Random,
  insert: Insert,
  table: string,
  records: readonly Created[],
  perRecord: number,
  users: readonly GeneratedUser[],
): void {
  const elements = TABLES.find((candidate) => candidate.name === table)?.journalFields ?? [];
  if (elements.length === 0) {
    return;
  }
  for (const record of records) {
    for (let k = 0; k < perRecord; k++) {
      const when = record.created + Math.floor(rng.float() * (record.updated - record.created + 1));
      insert(JOURNAL_ENTRY_TABLE.name, {
        sys_id: rng.sysId(),
        element_id: record.sysId,
        name: table,
        element: rng.pick(elements),
        value: rng.pick(JOURNAL_TEXTS),
        // A described table listed before the users is journaled before there are any.
        sys_created_by: users.length > 0 ? rng.pick(users).userName : "system",
        sys_created_on: at(Math.floor(when / 1000) * 1000),
      });
    }
  }
}

/** A stable 32-bit hash of a table name, to seed its own stream. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/** What a column's generated value may draw on. */
interface ColumnContext {
  readonly rng: Random;
  /** sys_ids generated so far, by table: what a reference column may point to. */
  readonly pools: ReadonlyMap<string, readonly string[]>;
  readonly users: readonly GeneratedUser[];
  /** Share of optional references that point to a record (when there is one). */
  readonly linkShare: number;
}

interface DescribedContext extends ColumnContext {
  readonly insert: Insert;
  readonly count: number;
  readonly start: number;
  readonly span: number;
  readonly last: number;
  readonly journal: JournalWriter;
}

/** Properties every record gets from its timestamps, whatever its columns say. */
const RECORD_PROPERTIES: ReadonlySet<string> = new Set(["sysId", "sysCreatedOn", "sysUpdatedOn"]);

/**
 * Fills in, on a realistically generated record, every column of its table's descriptor its
 * generator did not set (a column added to the descriptor since), with a value of the column's
 * type as a described table gets. Each such column draws from its own stream, so the fields
 * the generator set, the other added columns and every other table stay as they were.
 */
function completer(
  seed: number,
  pools: ReadonlyMap<string, readonly string[]>,
  users: readonly GeneratedUser[],
): (table: string, fields: FieldsInput, index: number) => FieldsInput {
  const streams = new Map<string, Random>();
  return (name, fields, index) => {
    // Described tables set every column they can already.
    const table = REALISTIC_STEPS.some((tables) => tables.includes(name))
      ? TABLES.find((candidate) => candidate.name === name)
      : undefined;
    const missing = (table?.columns ?? []).filter(
      (column) => !RECORD_PROPERTIES.has(column.property) && !Object.hasOwn(fields, column.field),
    );
    if (table === undefined || missing.length === 0) {
      return fields;
    }
    const opened = timeOf(fields.sys_created_on) ?? 0;
    const updated = timeOf(fields.sys_updated_on) ?? opened;
    const completed: Record<string, FieldInput> = { ...fields };
    for (const column of missing) {
      // One stream per column: adding a column changes no other column's values.
      const key = `${name}.${column.field}`;
      let rng = streams.get(key);
      if (rng === undefined) {
        rng = new Random(seed ^ hashOf(`${key}:added`));
        streams.set(key, rng);
      }
      const context = {
        rng,
        pools,
        users,
        linkShare: ADDED_LINK_SHARE,
        table,
        index,
        opened,
        updated,
      };
      const value = valueOf(column, context);
      if (value !== null) {
        completed[column.field] = value;
        if (column.fallback !== undefined && !Object.hasOwn(fields, column.fallback.field)) {
          completed[column.fallback.field] = value;
        }
      }
    }
    return completed;
  };
}

function timeOf(value: FieldInput): number | null {
  return typeof value === "string" ? parseWallClock(value) : null;
}

/**
 * Records of a table from its descriptor alone: each column a value of its type (a choice one
 * of its values, a reference one of the generated records of its table), its `scope` conditions
 * met so the sync reads it, a number assigned by the store, and journal entries for its journal
 * fields.
 */
function generateDescribed(table: TableDescriptor, context: DescribedContext): void {
  const { rng, start, span, last } = context;
  const writeOnce = table.cursorField === "sys_created_on";
  const columns = table.columns.filter((column) => !RECORD_PROPERTIES.has(column.property));
  const created = Array.from(
    { length: context.count },
    () => Math.floor((start + rng.float() * span * 0.98) / 1000) * 1000,
  ).sort((a, b) => a - b);
  const records: Created[] = [];
  for (const [index, opened] of created.entries()) {
    const updated = writeOnce ? opened : Math.min(opened + rng.int(0, 30 * 24 * 60) * MINUTE, last);
    const fields: Record<string, string> = {
      sys_id: rng.sysId(),
      sys_created_on: at(opened),
      ...(writeOnce ? {} : { sys_updated_on: at(updated) }),
    };
    for (const column of columns) {
      const value = valueOf(column, { ...context, index, opened, updated, table });
      if (value !== null) {
        fields[column.field] = value;
        if (column.fallback !== undefined) {
          fields[column.fallback.field] = value;
        }
      }
    }
    Object.assign(fields, table.scope ?? {});
    const record = context.insert(table.name, fields);
    records.push({ sysId: record.sys_id, created: opened, updated });
  }
  context.journal(rng, table.name, records);
}

interface ValueContext extends ColumnContext {
  readonly table: TableDescriptor;
  readonly index: number;
  readonly opened: number;
  readonly updated: number;
}

/** A column's value in a generated record; null to leave it to the store (a number, a default). */
function valueOf(column: ColumnDescriptor, context: ValueContext): string | null {
  const { rng } = context;
  switch (column.type) {
    case "reference": {
      const pool = context.pools.get(column.references ?? "") ?? [];
      return pool.length > 0 && (column.required || rng.chance(context.linkShare))
        ? rng.pick(pool)
        : "";
    }
    case "choice": {
      const values = Object.values(column.choice?.values ?? {});
      return values.length > 0 ? rng.pick(values) : "";
    }
    case "integer": {
      const labelled = Object.keys(column.label?.defaults ?? {});
      return labelled.length > 0 ? rng.pick(labelled) : String(rng.int(0, 10));
    }
    case "boolean":
      return String(rng.chance(0.8));
    case "dateTime":
      return column.required || rng.chance(0.7)
        ? at(context.opened + Math.floor(rng.float() * (context.updated - context.opened + 1)))
        : "";
    case "text":
      return textOf(column, context);
  }
}

/** Text that reads as what the field holds: a user for `*_by`, an address for an email. */
function textOf(column: ColumnDescriptor, context: ValueContext): string | null {
  const { field } = column;
  const n = context.index + 1;
  if (field === "number") {
    return null;
  }
  let text: string;
  if (field.endsWith("_by") && context.users.length > 0) {
    text = context.rng.pick(context.users).userName;
  } else if (field === "email" || field.endsWith("_email")) {
    text = `${context.table.name.replace(/_/g, ".")}.${n}@example.com`;
  } else if (field === "name") {
    text = `${context.table.typeName} ${n}`;
  } else {
    const words = field.replace(/_/g, " ");
    text = `${words.charAt(0).toUpperCase()}${words.slice(1)} ${n}`;
  }
  return column.length === undefined ? text : text.slice(0, column.length);
}

interface GeneratedChange {
  readonly type: string;
  readonly state: string;
  readonly impact: number;
  readonly risk: number;
  readonly approval: string;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  readonly workStart: number | null;
  readonly workEnd: number | null;
  readonly closedAt: number | null;
  readonly closeCode: string;
  readonly updated: number;
  readonly modCount: number;
}

const CHANGE_STATES = ["-5", "-4", "-3", "-2", "-1", "0", "3"] as const;

function generateChange(rng: Random, created: number, last: number): GeneratedChange {
  const type = rng.weighted([
    ["normal", 6],
    ["standard", 3],
    ["emergency", 1],
  ] as const);
  let state: string = rng.weighted([
    ["-5", 8],
    ["-4", 7],
    ["-3", 7],
    ["-2", 10],
    ["-1", 5],
    ["0", 5],
    ["3", 50],
    ["4", 8],
  ] as const);
  const plannedStart = created + rng.int(1, 14) * DAY + rng.int(0, 23) * HOUR;
  const plannedEnd = plannedStart + rng.int(1, 8) * HOUR;
  let workStart: number | null = null;
  let workEnd: number | null = null;
  let closedAt: number | null = null;
  const progress = CHANGE_STATES.indexOf(state as (typeof CHANGE_STATES)[number]);
  if (progress >= CHANGE_STATES.indexOf("-1")) {
    workStart = plannedStart + rng.int(-30, 30) * MINUTE;
  }
  if (progress >= CHANGE_STATES.indexOf("0")) {
    workEnd = (workStart ?? plannedStart) + rng.int(30, 480) * MINUTE;
  }
  if (state === "3") {
    closedAt = (workEnd ?? plannedEnd) + rng.int(60, 4_320) * MINUTE;
  } else if (state === "4") {
    closedAt = created + rng.int(60, 10_000) * MINUTE;
  }
  // Nothing happens after the range ends: step the change back to where it stood then.
  if (closedAt !== null && closedAt > last) {
    closedAt = null;
    state = state === "4" ? "-3" : "0";
  }
  if (workEnd !== null && workEnd > last) {
    workEnd = null;
    state = "-1";
  }
  if (workStart !== null && workStart > last) {
    workStart = null;
    state = "-2";
  }
  const approval =
    type === "standard"
      ? "approved"
      : state === "-5"
        ? "not requested"
        : state === "-4" || state === "-3"
          ? "requested"
          : state === "4" && rng.chance(0.5)
            ? "rejected"
            : "approved";
  const closeCode =
    state === "3"
      ? rng.weighted([
          ["successful", 80],
          ["successful_issues", 15],
          ["unsuccessful", 5],
        ] as const)
      : "";
  const lastEvent = Math.max(created, workStart ?? 0, workEnd ?? 0, closedAt ?? 0);
  const updated = Math.min(Math.floor((lastEvent + rng.int(0, 120) * MINUTE) / 1000) * 1000, last);
  return {
    type,
    state,
    impact: rng.int(1, 3),
    risk: rng.int(1, 4),
    approval,
    plannedStart,
    plannedEnd,
    workStart,
    workEnd,
    closedAt,
    closeCode,
    updated: Math.max(updated, created),
    modCount: rng.int(1, 25),
  };
}
