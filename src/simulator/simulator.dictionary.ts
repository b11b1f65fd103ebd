import { SERVICENOW_TABLES, type ServiceNowTableName } from "../servicenow/servicenow-tables";
import type { ColumnDescriptor, TableDescriptor } from "../table-model/table.descriptor";
import { TABLES } from "../tables";

/**
 * The simulator's data dictionary: which fields each table has and how each behaves (compares,
 * sorts, displays). Served tables are the described ones (`TABLES`) plus sys_audit_delete and
 * sys_dictionary; every table a reference points to also exists, unserved, so references can
 * show a display value. A described field takes its type, reference, choices and length from
 * its column; what descriptors do not say (the task fields every task table shares, fields the
 * gateway keeps in attributes, instance choice lists) is kept here.
 */

export type FieldType =
  | "string"
  | "integer"
  | "boolean"
  | "date_time"
  /** A due date: its display value is "UNKNOWN" when empty. */
  | "due_date"
  /** A date without time: no time-zone shift. */
  | "date"
  | "reference"
  | "choice"
  | "journal";

/** How query operators and ORDER BY treat a field's value. */
export type CompareAs = "string" | "number" | "datetime";

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly compareAs: CompareAs;
  /** Target table of a reference ("task" means any task table). */
  readonly reference?: string;
  /** Choice value → label; an empty choice displays as null. */
  readonly choices?: ReadonlyMap<string, string>;
  /** sys_domain points at "global", a record no table holds, and still displays "global". */
  readonly displayValueWhenMissing?: boolean;
  /** sys_dictionary's max_length, where the descriptor bounds the column. */
  readonly maxLength?: number;
}

export const AUDIT_DELETE_TABLE = "sys_audit_delete";
/** The data dictionary as a Table API table: one row per (table, element). */
export const DICTIONARY_TABLE = "sys_dictionary";
/** The reference target that stands for every table extending task. */
export const TASK_TABLE = "task";
/**
 * Tables that extend task, so a reference to `task` can land in any of them: the described ones
 * whose parent is task, and problem (a reference target even before it is described).
 */
const TASK_EXTENSIONS: ReadonlySet<string> = new Set([
  ...TABLES.filter((table) => table.parentTables?.includes(TASK_TABLE)).map((table) => table.name),
  "problem",
]);
/** Numbering as on a fresh instance (incident INC0010001, change CHG0030001). */
const NUMBERING: Readonly<Record<string, readonly [string, number]>> = {
  incident: ["INC", 10001],
  change_request: ["CHG", 30001],
  problem: ["PRB", 40001],
};
/** Where a described table with a `number` and no prefix above starts numbering. */
const FIRST_NUMBER = 50001;

const AUDIT_FIELDS = ["sys_created_by", "sys_updated_by", "sys_mod_count", "sys_tags"];

/** Fields every task table carries (seen in both recorded fixtures). */
const TASK_FIELDS = [
  "active",
  "activity_due",
  "additional_assignee_list",
  "approval",
  "approval_history",
  "approval_set",
  "assigned_to",
  "assignment_group",
  "business_duration",
  "business_service",
  "calendar_duration",
  "category",
  "close_code",
  "close_notes",
  "closed_at",
  "closed_by",
  "cmdb_ci",
  "comments",
  "comments_and_work_notes",
  "company",
  "contact_type",
  "correlation_display",
  "correlation_id",
  "delivery_plan",
  "delivery_task",
  "description",
  "due_date",
  "escalation",
  "expected_start",
  "follow_up",
  "group_list",
  "impact",
  "knowledge",
  "location",
  "made_sla",
  "number",
  "opened_at",
  "opened_by",
  "order",
  "parent",
  "priority",
  "reassignment_count",
  "short_description",
  "sla_due",
  "state",
  "sys_class_name",
  "sys_domain",
  "sys_domain_path",
  "time_worked",
  "upon_approval",
  "upon_reject",
  "urgency",
  "user_input",
  "watch_list",
  "work_end",
  "work_notes",
  "work_notes_list",
  "work_start",
];
const TASK_FIELD_SET: ReadonlySet<string> = new Set([
  ...TASK_FIELDS,
  ...AUDIT_FIELDS,
  "sys_id",
  "sys_created_on",
  "sys_updated_on",
  "sys_class_name",
]);

/** Fields beyond the registry's, so full records look like the recorded fixtures. */
const EXTRA_FIELDS: Partial<Record<ServiceNowTableName, readonly string[]>> = {
  incident: [
    ...TASK_FIELDS,
    "child_incidents",
    "incident_state",
    "notify",
    "parent_incident",
    "problem_id",
    "rejection_goto",
    "wf_activity",
  ],
  change_request: [
    ...TASK_FIELDS,
    "backout_plan",
    "cab_date",
    "cab_delegate",
    "cab_recommendation",
    "cab_required",
    "change_plan",
    "conflict_last_run",
    "conflict_status",
    "contract",
    "implementation_plan",
    "justification",
    "on_hold",
    "on_hold_reason",
    "on_hold_task",
    "outside_maintenance_schedule",
    "phase",
    "phase_state",
    "production_system",
    "reason",
    "requested_by_date",
    "review_comments",
    "review_date",
    "review_status",
    "risk_impact_analysis",
    "route_reason",
    "scope",
    "service_offering",
    "std_change_producer_version",
    "task_effective_number",
    "test_plan",
    "unauthorized",
    "universal_request",
  ],
  sysapproval_approver: ["approval_source", "due_date", "expected_start", "group", "order"],
};

/** Reference targets of fields the registry does not map (the registry's own win). */
const EXTRA_REFERENCES: Readonly<Record<string, string>> = {
  assigned_to: "sys_user",
  assignment_group: "sys_user_group",
  business_service: "cmdb_ci_service",
  cab_delegate: "sys_user",
  closed_by: "sys_user",
  cmdb_ci: "cmdb_ci",
  company: "core_company",
  contract: "ast_contract",
  delivery_plan: "sc_cat_item_delivery_plan",
  delivery_task: "sc_cat_item_delivery_task",
  group: "sysapproval_group",
  location: "cmn_location",
  opened_by: "sys_user",
  parent: TASK_TABLE,
  parent_incident: "incident",
  problem_id: "problem",
  requested_by: "sys_user",
  service_offering: "service_offering",
  std_change_producer_version: "std_change_producer_version",
  sys_domain: "sys_user_group",
  universal_request: TASK_TABLE,
  wf_activity: "wf_activity",
};

// Types by field name, for the fields no descriptor describes (task fields, extras, the audit
// and dictionary tables) or describes as plain text; described columns bring their own.
const DATE_TIME_FIELDS = new Set([
  "sys_created_on",
  "sys_updated_on",
  "opened_at",
  "closed_at",
  "expected_start",
  "work_start",
  "work_end",
  "follow_up",
  "approval_set",
  "requested_by_date",
  "conflict_last_run",
  "due_date",
]);
const DUE_DATE_FIELDS = new Set(["sla_due", "activity_due"]);
const DATE_FIELDS = new Set(["cab_date", "review_date"]);
const INTEGER_FIELDS = new Set([
  "urgency",
  "incident_state",
  "hold_reason",
  "scope",
  "escalation",
  "notify",
  "order",
  "reassignment_count",
  "sys_mod_count",
]);
const BOOLEAN_FIELDS = new Set([
  "knowledge",
  "made_sla",
  "cab_required",
  "on_hold",
  "outside_maintenance_schedule",
  "production_system",
  "unauthorized",
  "web_service_access_only",
]);
const JOURNAL_FIELDS = new Set([
  "comments",
  "work_notes",
  "comments_and_work_notes",
  "approval_history",
]);

type ChoiceList = readonly (readonly [string, string])[];

const PRIORITY: ChoiceList = [
  ["1", "1 - Critical"],
  ["2", "2 - High"],
  ["3", "3 - Moderate"],
  ["4", "4 - Low"],
  ["5", "5 - Planning"],
];
const IMPACT: ChoiceList = [
  ["1", "1 - High"],
  ["2", "2 - Medium"],
  ["3", "3 - Low"],
];
const INCIDENT_STATE: ChoiceList = [
  ["1", "New"],
  ["2", "In Progress"],
  ["3", "On Hold"],
  ["6", "Resolved"],
  ["7", "Closed"],
  ["8", "Canceled"],
];
const TASK_CHOICES: Readonly<Record<string, ChoiceList>> = {
  priority: PRIORITY,
  impact: IMPACT,
  urgency: IMPACT,
  escalation: [
    ["0", "Normal"],
    ["1", "Moderate"],
    ["2", "High"],
    ["3", "Overdue"],
  ],
  contact_type: [
    ["email", "Email"],
    ["phone", "Phone"],
    ["self-service", "Self-service"],
    ["walk-in", "Walk-in"],
    ["virtual_agent", "Virtual Agent"],
  ],
  approval: [
    ["not requested", "Not Yet Requested"],
    ["requested", "Requested"],
    ["approved", "Approved"],
    ["rejected", "Rejected"],
    ["cancelled", "Cancelled"],
  ],
  upon_approval: [
    ["proceed", "Proceed to Next Task"],
    ["do_nothing", "Wait for a User to Close this task"],
  ],
  upon_reject: [
    ["cancel", "Cancel all future Tasks"],
    ["goto", "Go to a previous Task"],
  ],
  sys_class_name: [
    ["incident", "Incident"],
    ["change_request", "Change Request"],
    ["problem", "Problem"],
  ],
};
const CHOICES: Partial<Record<ServiceNowTableName, Readonly<Record<string, ChoiceList>>>> = {
  incident: {
    ...TASK_CHOICES,
    // state's choices come from the descriptor's labels; incident_state mirrors them.
    incident_state: INCIDENT_STATE,
    severity: IMPACT,
    category: [
      ["inquiry", "Inquiry / Help"],
      ["software", "Software"],
      ["hardware", "Hardware"],
      ["network", "Network"],
      ["database", "Database"],
    ],
    subcategory: [
      ["antivirus", "Antivirus"],
      ["email", "Email"],
      ["internal application", "Internal Application"],
      ["os", "Operating System"],
      ["cpu", "CPU"],
      ["disk", "Disk"],
      ["keyboard", "Keyboard"],
      ["memory", "Memory"],
      ["monitor", "Monitor"],
      ["mouse", "Mouse"],
      ["dhcp", "DHCP"],
      ["dns", "DNS"],
      ["vpn", "VPN"],
      ["wireless", "Wireless"],
      ["db2", "DB2"],
      ["oracle", "Oracle"],
      ["sql server", "MS SQL Server"],
    ],
    hold_reason: [
      ["1", "Awaiting Caller"],
      ["3", "Awaiting Problem"],
      ["4", "Awaiting Vendor"],
      ["5", "Awaiting Change"],
    ],
    close_code: [
      "Duplicate",
      "Known error",
      "No resolution provided",
      "Resolved by caller",
      "Resolved by change",
      "Resolved by problem",
      "Resolved by request",
      "Solution provided",
      "Workaround provided",
      "User error",
    ].map((code) => [code, code] as const),
    notify: [
      ["1", "Do Not Notify"],
      ["2", "Send Email"],
    ],
  },
  change_request: {
    ...TASK_CHOICES,
    type: [
      ["normal", "Normal"],
      ["standard", "Standard"],
      ["emergency", "Emergency"],
    ],
    risk: [
      ["1", "Very High"],
      ["2", "High"],
      ["3", "Moderate"],
      ["4", "Low"],
    ],
    scope: [
      ["1", "Massive"],
      ["2", "Large"],
      ["3", "Medium"],
      ["4", "Small"],
      ["5", "Tiny"],
    ],
    category: [
      "Hardware",
      "Software",
      "Service",
      "System Software",
      "Applications Software",
      "Network",
      "Telecom",
      "Documentation",
      "Other",
    ].map((category) => [category, category] as const),
    close_code: [
      ["successful", "Successful"],
      ["successful_issues", "Successful with issues"],
      ["unsuccessful", "Unsuccessful"],
    ],
    phase: [
      ["requested", "Requested"],
      ["approved", "Approved"],
      ["scheduled", "Scheduled"],
      ["work_in_progress", "Work in Progress"],
      ["completed", "Completed"],
    ],
    phase_state: [
      ["open", "Open"],
      ["on_hold", "On Hold"],
      ["closed", "Closed"],
    ],
    conflict_status: [
      ["Not Run", "Not Run"],
      ["Conflict", "Conflict"],
      ["No Conflict", "No Conflict"],
    ],
    reason: [
      ["schedule", "Schedule"],
      ["scope", "Scope"],
    ],
  },
  sysapproval_approver: {
    state: [
      ["not requested", "Not Yet Requested"],
      ["requested", "Requested"],
      ["approved", "Approved"],
      ["rejected", "Rejected"],
      ["cancelled", "Cancelled"],
      ["not_required", "No Longer Required"],
      ["duplicate", "Duplicate"],
    ],
  },
};

/** Values a new record gets unless given (as on an instance with the usual dictionary defaults). */
const DEFAULTS: Readonly<Record<string, string>> = {
  sys_domain: "global",
  sys_domain_path: "/",
  sys_created_by: "admin",
  sys_updated_by: "admin",
  sys_mod_count: "0",
  active: "true",
  escalation: "0",
  approval: "not requested",
  knowledge: "false",
  made_sla: "true",
  locked_out: "false",
  web_service_access_only: "false",
  notify: "1",
  reassignment_count: "0",
  reopen_count: "0",
  impact: "3",
  urgency: "3",
  priority: "5",
};

/** The simulator's type of a described column; null where the field's name decides. */
function columnTypeOf(column: ColumnDescriptor | undefined): FieldType | null {
  switch (column?.type) {
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "dateTime":
      return "date_time";
    default:
      // Text says too little: a text column may be a journal or a choice on the instance.
      return null;
  }
}

function typeOf(
  name: string,
  column: ColumnDescriptor | undefined,
  reference: string | undefined,
  choices: ChoiceList | undefined,
): FieldType {
  if (reference) {
    return "reference";
  }
  if (choices) {
    return "choice";
  }
  if (DUE_DATE_FIELDS.has(name)) {
    return "due_date";
  }
  const described = columnTypeOf(column);
  if (described !== null) {
    return described;
  }
  if (DATE_TIME_FIELDS.has(name)) {
    return "date_time";
  }
  if (DATE_FIELDS.has(name)) {
    return "date";
  }
  if (INTEGER_FIELDS.has(name)) {
    return "integer";
  }
  if (BOOLEAN_FIELDS.has(name)) {
    return "boolean";
  }
  if (JOURNAL_FIELDS.has(name)) {
    return "journal";
  }
  return "string";
}

/** A choice's (or labelled integer's) values with their default labels, from its descriptor. */
function columnChoicesOf(column: ColumnDescriptor | undefined): ChoiceList | undefined {
  if (column?.label !== undefined) {
    return Object.entries(column.label.defaults);
  }
  if (column?.choice !== undefined) {
    return Object.values(column.choice.values).map((value) => [value, value] as const);
  }
  return undefined;
}

/**
 * A field's definition: a described column's own type, reference, choices and length, or what
 * the field's name says (task fields, custom fields, the audit and dictionary tables).
 */
export function makeField(
  name: string,
  reference?: string,
  choices?: ChoiceList,
  column?: ColumnDescriptor,
): FieldDef {
  const type: FieldType = typeOf(name, column, reference, choices);
  // A choice is numeric only when all its values are (approval states are words).
  const integral =
    column?.type === "integer" || column?.type === "choice" || INTEGER_FIELDS.has(name);
  const numeric = integral && (choices ?? []).every(([value]) => /^-?\d+$/.test(value));
  const compareAs: CompareAs = numeric
    ? "number"
    : type === "date_time" || type === "due_date"
      ? "datetime"
      : "string";
  return {
    name,
    type,
    compareAs,
    ...(reference ? { reference } : {}),
    ...(choices ? { choices: new Map(choices) } : {}),
    ...(name === "sys_domain" ? { displayValueWhenMissing: true } : {}),
    ...(column?.length === undefined ? {} : { maxLength: column.length }),
  };
}

/** Field → its column; a fallback field (sysapproval) is a reference column of its own. */
function columnsByField(table: TableDescriptor): Map<string, ColumnDescriptor> {
  const columns = new Map<string, ColumnDescriptor>();
  for (const column of table.columns) {
    if (!columns.has(column.field)) {
      columns.set(column.field, column);
    }
    const { fallback } = column;
    if (fallback !== undefined && !columns.has(fallback.field)) {
      columns.set(fallback.field, {
        property: column.property,
        field: fallback.field,
        type: "reference",
        length: column.length,
        references: fallback.references,
      });
    }
  }
  return columns;
}

/** Numbering of a described table with a `number` column: the instance's prefix, else its own. */
function numberingOf(name: string): readonly [string, number] | null {
  const known = NUMBERING[name];
  if (known !== undefined) {
    return known;
  }
  const table = TABLES.find((candidate) => candidate.name === name);
  if (table === undefined || !table.columns.some((column) => column.field === "number")) {
    return null;
  }
  return [table.typeName.slice(0, 3).toUpperCase(), FIRST_NUMBER];
}

/** One table's dictionary. Served tables reject unknown fields except custom `u_` ones. */
export class TableDef {
  readonly displayField: string;
  readonly isTask: boolean;
  readonly numbering: readonly [string, number] | null;
  /** Values a new record gets unless given. */
  readonly defaults: Readonly<Record<string, string>>;
  private readonly fieldMap = new Map<string, FieldDef>();
  private list: FieldDef[] = [];

  constructor(
    readonly name: string,
    /** Answered by the Table API (otherwise only held so references can display). */
    readonly served: boolean,
    fields: readonly FieldDef[],
  ) {
    for (const field of fields) {
      this.fieldMap.set(field.name, field);
    }
    this.list = [...this.fieldMap.values()];
    this.displayField = this.fieldMap.has("number")
      ? "number"
      : this.fieldMap.has("name")
        ? "name"
        : "sys_id";
    this.isTask = TASK_EXTENSIONS.has(name);
    this.numbering = numberingOf(name);
    const defaults: Record<string, string> = {};
    for (const [field, value] of Object.entries(DEFAULTS)) {
      if (this.fieldMap.has(field)) {
        defaults[field] = value;
      }
    }
    if (this.isTask && this.fieldMap.has("sys_class_name")) {
      defaults.sys_class_name = name;
    }
    this.defaults = Object.freeze(defaults);
  }

  field(name: string): FieldDef | undefined {
    return this.fieldMap.get(name);
  }

  get fields(): readonly FieldDef[] {
    return this.list;
  }

  /** Adds a field on first write: custom `u_` fields on served tables, anything elsewhere. */
  accept(name: string): FieldDef | undefined {
    const known = this.fieldMap.get(name);
    if (known) {
      return known;
    }
    if (this.served && !/^u_[a-z0-9_]+$/.test(name)) {
      return undefined;
    }
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      return undefined;
    }
    const field = makeField(name);
    this.fieldMap.set(name, field);
    this.list = [...this.list, field];
    return field;
  }
}

/** The dictionary of one simulator (each gets its own, since custom fields can be added). */
export class Dictionary {
  private readonly tables = new Map<string, TableDef>();

  constructor() {
    for (const table of TABLES) {
      const { name } = table;
      const spec = SERVICENOW_TABLES[name];
      const columns = columnsByField(table);
      const extras = EXTRA_FIELDS[name] ?? [];
      const audit = spec.fields.includes("sys_updated_on") ? AUDIT_FIELDS : [];
      const names = [...new Set([...spec.fields, ...audit, ...extras])];
      const choices = CHOICES[name] ?? {};
      const fields = names.map((field) => {
        const column = columns.get(field);
        return makeField(
          field,
          spec.references[field] ?? (extras.includes(field) ? EXTRA_REFERENCES[field] : undefined),
          choices[field] ?? columnChoicesOf(column),
          column,
        );
      });
      this.tables.set(name, new TableDef(name, true, fields));
    }
    this.tables.set(
      AUDIT_DELETE_TABLE,
      new TableDef(
        AUDIT_DELETE_TABLE,
        true,
        [
          "sys_id",
          "sys_created_on",
          "sys_updated_on",
          ...AUDIT_FIELDS,
          "tablename",
          "documentkey",
          "display_value",
        ].map((field) => makeField(field)),
      ),
    );
    this.tables.set(
      DICTIONARY_TABLE,
      new TableDef(
        DICTIONARY_TABLE,
        true,
        [
          "sys_id",
          "sys_created_on",
          "sys_updated_on",
          "name",
          "element",
          "internal_type",
          "reference",
          "max_length",
        ].map((field) => makeField(field)),
      ),
    );
    // Every reference target exists, unserved, so a reference can carry a display value.
    for (const table of [...this.tables.values()]) {
      for (const field of table.fields) {
        if (
          field.reference &&
          field.reference !== TASK_TABLE &&
          !this.tables.has(field.reference)
        ) {
          const base = ["sys_id", "sys_created_on", "sys_updated_on"];
          const display = TASK_EXTENSIONS.has(field.reference) ? ["number"] : ["name"];
          this.tables.set(
            field.reference,
            new TableDef(
              field.reference,
              false,
              [...base, ...display].map((name) => makeField(name)),
            ),
          );
        }
      }
    }
  }

  table(name: string): TableDef | undefined {
    return this.tables.get(name);
  }

  /**
   * sys_dictionary rows for a served table's fields: fields every task shares are defined on
   * `task` (as on a real instance), the others on the table itself.
   */
  dictionaryRows(
    table: TableDef,
    fields: readonly FieldDef[] = table.fields,
  ): Array<Record<string, string>> {
    return fields.map((field) => ({
      name: table.isTask && TASK_FIELD_SET.has(field.name) ? TASK_TABLE : table.name,
      element: field.name,
      internal_type:
        field.type === "date_time" || field.type === "due_date" ? "glide_date_time" : field.type,
      reference: field.reference ?? "",
      max_length: field.maxLength === undefined ? "" : String(field.maxLength),
    }));
  }

  /** Served record tables: the registry's (not the audit or dictionary tables). */
  get recordTables(): readonly TableDef[] {
    return [...this.tables.values()].filter(
      (table) =>
        table.served && table.name !== AUDIT_DELETE_TABLE && table.name !== DICTIONARY_TABLE,
    );
  }

  /** The tables a `task` reference may land in. */
  get taskTables(): readonly TableDef[] {
    return [...this.tables.values()].filter((table) => table.isTask);
  }
}
