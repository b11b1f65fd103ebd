import {
  boolean,
  choice,
  dateTime,
  integer,
  integration,
  journal,
  recordColumns,
  reference,
  text,
  toMany,
} from "../../table-model/columns";
import type { TableDescriptor } from "../../table-model/table.descriptor";

/** ServiceNow's default incident states, in workflow order. */
export const INCIDENT_STATE_VALUES = {
  NEW: "1",
  IN_PROGRESS: "2",
  ON_HOLD: "3",
  RESOLVED: "6",
  CLOSED: "7",
  CANCELED: "8",
} as const;

export const INCIDENT_TABLE = {
  name: "incident",
  entityName: "incident",
  typeName: "Incident",
  label: "Incidents",
  description: "A ServiceNow incident (table `incident`).",
  cursorField: "sys_updated_on",
  parentTables: ["task"],
  requiredFields: ["number"],
  journalFields: ["comments", "work_notes"],
  columns: [
    ...recordColumns({ listed: true }),
    text("number", { property: "number", length: 40, order: "NUMBER" }),
    text("short_description", { property: "shortDescription" }),
    text("description", { property: "description" }),
    choice("state", {
      property: "stateValue",
      description: "Raw state value, e.g. 6.",
      filter: { description: "Raw state values, for custom states." },
      order: "STATE",
      choice: {
        name: "IncidentState",
        property: "state",
        description: "Known state; null when the instance uses a custom one (see stateValue).",
        values: INCIDENT_STATE_VALUES,
      },
      label: {
        property: "stateLabel",
        description: "State label, e.g. Resolved.",
        length: 100,
        defaults: {
          "1": "New",
          "2": "In Progress",
          "3": "On Hold",
          "6": "Resolved",
          "7": "Closed",
          "8": "Canceled",
        },
      },
    }),
    integer("priority", {
      property: "priority",
      description: "1 (Critical) to 5 (Planning).",
      filter: true,
      order: "PRIORITY",
      label: {
        property: "priorityLabel",
        length: 100,
        defaults: {
          "1": "1 - Critical",
          "2": "2 - High",
          "3": "3 - Moderate",
          "4": "4 - Low",
          "5": "5 - Planning",
        },
      },
    }),
    integer("impact", { property: "impact", filter: true }),
    integer("urgency", { property: "urgency", filter: true }),
    integer("severity", { property: "severity" }),
    text("category", { property: "category", length: 100, filter: true }),
    text("subcategory", { property: "subcategory", length: 100 }),
    text("contact_type", { property: "contactType", length: 40, dimension: true }),
    reference("caller_id", "sys_user", {
      property: "callerSysId",
      relation: "caller",
      filter: { description: "Caller sys_ids." },
    }),
    reference("opened_by", "sys_user", { property: "openedBySysId", relation: "openedBy" }),
    dateTime("opened_at", { property: "openedAt", filter: true, order: "OPENED_AT" }),
    reference("assignment_group", "sys_user_group", {
      property: "assignmentGroupSysId",
      relation: "assignmentGroup",
      filter: { description: "Assignment group sys_ids." },
    }),
    reference("assigned_to", "sys_user", {
      property: "assignedToSysId",
      relation: "assignedTo",
      filter: { description: "Assignee sys_ids." },
    }),
    integer("reassignment_count", { property: "reassignmentCount" }),
    integer("reopen_count", { property: "reopenCount" }),
    text("hold_reason", { property: "holdReason", length: 40 }),
    dateTime("resolved_at", { property: "resolvedAt", filter: true, order: "RESOLVED_AT" }),
    reference("resolved_by", "sys_user", { property: "resolvedBySysId", relation: "resolvedBy" }),
    dateTime("closed_at", { property: "closedAt", filter: true, order: "CLOSED_AT" }),
    reference("closed_by", "sys_user", { property: "closedBySysId", relation: "closedBy" }),
    dateTime("sla_due", { property: "slaDue" }),
    text("close_code", { property: "closeCode", length: 100 }),
    text("close_notes", { property: "closeNotes" }),
    reference("caused_by", "change_request", {
      property: "causedBySysId",
      description: "sys_id of the change that caused it.",
      filter: { description: "Change request sys_ids (caused_by)." },
      relation: {
        name: "causedBy",
        description: "The change that caused this incident (caused_by).",
      },
    }),
    reference("rfc", "change_request", {
      property: "rfcSysId",
      description: "sys_id of the change that fixes it.",
      relation: { name: "rfc", description: "The change raised to fix this incident (rfc)." },
    }),
    reference("problem_id", "problem", {
      property: "problemSysId",
      relation: "problem",
      filter: { description: "Problem sys_ids." },
    }),
    reference("business_service", "cmdb_ci_service", {
      property: "businessServiceSysId",
      dimension: true,
    }),
    reference("cmdb_ci", "cmdb_ci", { property: "cmdbCiSysId", dimension: true }),
    // business_stc and calendar_stc are integer seconds (not the glide_duration fields).
    integer("business_stc", {
      property: "businessDurationSeconds",
      description: "business_stc: business time to resolve (s).",
    }),
    integer("calendar_stc", {
      property: "calendarDurationSeconds",
      description: "calendar_stc: calendar time to resolve (s).",
    }),
    boolean("active", { property: "active", filter: true }),
    integer("sys_mod_count", { property: "sysModCount" }),
  ],
  relations: [
    toMany("approvals", "sysapproval_approver", "documentSysId", {
      orderBy: { property: "sysCreatedOn", direction: "ASC" },
    }),
    journal(),
    integration(),
  ],
  indexes: [
    ["integrationId", "number"],
    ["openedAt", "id"],
    ["sysUpdatedOn", "id"],
    ["sysCreatedOn", "id"],
    ["resolvedAt", "id"],
    ["closedAt", "id"],
    ["priority", "id"],
    ["stateValue", "id"],
    ["number", "id"],
    ["integrationId", "openedAt", "id"],
    ["assignmentGroupSysId"],
    ["assignedToSysId"],
    ["callerSysId"],
    // Also dora's failed-deployment and rework EXISTS, and its recovery join.
    ["causedBySysId"],
    ["rfcSysId"],
    // dora's time to restore: the window's incidents read from the index alone (opened_at
    // first: the report covers one integration or all of them).
    ["openedAt", "resolvedAt", "closedAt", "stateValue", "integrationId"],
    // incidentCounts by assignment group × bucket of opened_at, read from the index alone.
    ["integrationId", "assignmentGroupSysId", "openedAt"],
  ],
  list: {
    name: "incidents",
    defaultOrder: [{ order: "OPENED_AT", direction: "DESC" }],
    orderable: true,
    search: {
      properties: ["number", "shortDescription"],
      description: "Case-insensitive text contained in the number or short description.",
    },
  },
  lookup: {
    name: "incident",
    description: "One incident by sysId or number.",
    key: "number",
    keyDescription: "e.g. INC0010001",
  },
  displayProperty: "number",
} satisfies TableDescriptor;
