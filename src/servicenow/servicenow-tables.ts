/**
 * The ServiceNow tables the gateway reads, described once. The sync, the excluded-fields check,
 * the preflight checks and the simulator's generator all iterate over this list; adding a table
 * end to end starts with one entry here.
 */
export const SERVICENOW_TABLE_NAMES = [
  "sys_user_group",
  "sys_user",
  "incident",
  "change_request",
  "sysapproval_approver",
  "sys_journal_field",
] as const;

export type ServiceNowTableName = (typeof SERVICENOW_TABLE_NAMES)[number];

export interface ServiceNowTableSpec {
  readonly name: ServiceNowTableName;
  readonly label: string;
  /** Fields the gateway maps into typed columns (sys_id and the cursor field included). */
  readonly fields: readonly string[];
  /** Reference fields and the table each points to (tables outside this list included). */
  readonly references: Readonly<Record<string, string>>;
  /** Keyset cursor: journal entries are written once and only carry sys_created_on. */
  readonly cursorField: "sys_updated_on" | "sys_created_on";
  /** Fields a user may never exclude, because the sync cannot work without them. */
  readonly requiredFields: readonly string[];
  /** Tables this one extends: their fields are defined in sys_dictionary under their names. */
  readonly parentTables?: readonly string[];
  /**
   * Journal fields of the record (comments, work notes): their entries live in
   * `sys_journal_field`, never in the record's own row. Excluding one keeps its entries out.
   */
  readonly journalFields?: readonly string[];
}

/** The journal fields whose entries the gateway serves as `updates`. */
const JOURNAL_FIELDS = ["comments", "work_notes"] as const;

const TIMESTAMPS = ["sys_id", "sys_created_on", "sys_updated_on"] as const;

export const SERVICENOW_TABLES: Readonly<Record<ServiceNowTableName, ServiceNowTableSpec>> = {
  sys_user_group: {
    name: "sys_user_group",
    label: "Assignment groups",
    fields: [...TIMESTAMPS, "name", "description", "manager", "email", "active"],
    references: { manager: "sys_user" },
    cursorField: "sys_updated_on",
    requiredFields: TIMESTAMPS,
  },
  sys_user: {
    name: "sys_user",
    label: "Users",
    fields: [
      ...TIMESTAMPS,
      "user_name",
      "name",
      "first_name",
      "last_name",
      "email",
      "employee_number",
      "title",
      "department",
      "manager",
      "active",
      "locked_out",
      "time_zone",
      "web_service_access_only",
    ],
    references: { manager: "sys_user", department: "cmn_department" },
    cursorField: "sys_updated_on",
    requiredFields: TIMESTAMPS,
  },
  incident: {
    name: "incident",
    label: "Incidents",
    fields: [
      ...TIMESTAMPS,
      "number",
      "short_description",
      "description",
      "state",
      "priority",
      "impact",
      "urgency",
      "severity",
      "category",
      "subcategory",
      "contact_type",
      "caller_id",
      "opened_by",
      "opened_at",
      "assignment_group",
      "assigned_to",
      "reassignment_count",
      "reopen_count",
      "hold_reason",
      "resolved_at",
      "resolved_by",
      "closed_at",
      "closed_by",
      "sla_due",
      "close_code",
      "close_notes",
      "caused_by",
      "rfc",
      "business_service",
      "cmdb_ci",
      "business_stc",
      "calendar_stc",
      "active",
      "sys_mod_count",
    ],
    references: {
      caller_id: "sys_user",
      opened_by: "sys_user",
      assignment_group: "sys_user_group",
      assigned_to: "sys_user",
      resolved_by: "sys_user",
      closed_by: "sys_user",
      caused_by: "change_request",
      rfc: "change_request",
      business_service: "cmdb_ci_service",
      cmdb_ci: "cmdb_ci",
    },
    cursorField: "sys_updated_on",
    requiredFields: [...TIMESTAMPS, "number"],
    parentTables: ["task"],
    journalFields: JOURNAL_FIELDS,
  },
  change_request: {
    name: "change_request",
    label: "Change requests",
    fields: [
      ...TIMESTAMPS,
      "number",
      "short_description",
      "description",
      "type",
      "state",
      "priority",
      "impact",
      "risk",
      "category",
      "business_service",
      "cmdb_ci",
      "assignment_group",
      "assigned_to",
      "requested_by",
      "start_date",
      "end_date",
      "work_start",
      "work_end",
      "approval",
      "close_code",
      "close_notes",
      "active",
      "sys_mod_count",
    ],
    references: {
      business_service: "cmdb_ci_service",
      cmdb_ci: "cmdb_ci",
      assignment_group: "sys_user_group",
      assigned_to: "sys_user",
      requested_by: "sys_user",
    },
    cursorField: "sys_updated_on",
    requiredFields: [...TIMESTAMPS, "number"],
    parentTables: ["task"],
    journalFields: JOURNAL_FIELDS,
  },
  sysapproval_approver: {
    name: "sysapproval_approver",
    label: "Approvals",
    fields: [
      ...TIMESTAMPS,
      "approver",
      "state",
      "sysapproval",
      "document_id",
      "source_table",
      "comments",
    ],
    references: { approver: "sys_user", sysapproval: "task", document_id: "change_request" },
    cursorField: "sys_updated_on",
    requiredFields: [...TIMESTAMPS, "sysapproval", "document_id", "source_table"],
  },
  sys_journal_field: {
    name: "sys_journal_field",
    label: "Journal entries",
    fields: [
      "sys_id",
      "sys_created_on",
      "element_id",
      "name",
      "element",
      "value",
      "sys_created_by",
    ],
    references: {},
    cursorField: "sys_created_on",
    requiredFields: ["sys_id", "sys_created_on", "element_id", "name", "element"],
  },
};

export function isServiceNowTableName(name: string): name is ServiceNowTableName {
  return (SERVICENOW_TABLE_NAMES as readonly string[]).includes(name);
}

/** Whether `field` is a journal field of `table` (its entries are `sys_journal_field` rows). */
export function isJournalField(table: string, field: string): boolean {
  return (
    isServiceNowTableName(table) && (SERVICENOW_TABLES[table].journalFields ?? []).includes(field)
  );
}
