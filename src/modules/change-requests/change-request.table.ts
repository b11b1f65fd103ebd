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

/** ServiceNow's default change states, in workflow order. */
export const CHANGE_REQUEST_STATE_VALUES = {
  NEW: "-5",
  ASSESS: "-4",
  AUTHORIZE: "-3",
  SCHEDULED: "-2",
  IMPLEMENT: "-1",
  REVIEW: "0",
  CLOSED: "3",
  CANCELED: "4",
} as const;

export const CHANGE_REQUEST_TABLE = {
  name: "change_request",
  entityName: "change_request",
  typeName: "ChangeRequest",
  label: "Change requests",
  description: "A ServiceNow change request (table `change_request`).",
  cursorField: "sys_updated_on",
  parentTables: ["task"],
  requiredFields: ["number"],
  journalFields: ["comments", "work_notes"],
  columns: [
    ...recordColumns({ listed: true }),
    text("number", { property: "number", length: 40, order: "NUMBER" }),
    text("short_description", { property: "shortDescription" }),
    text("description", { property: "description" }),
    text("type", {
      property: "type",
      length: 40,
      description: "normal, standard or emergency.",
      filter: { description: "normal, standard, emergency, …" },
    }),
    // Priority, risk and impact have no label column: their labels stay in attributes (.display).
    choice("state", {
      property: "stateValue",
      description: "Raw state value, e.g. -5.",
      filter: { description: "Raw state values, for custom states." },
      order: "STATE",
      choice: {
        name: "ChangeRequestState",
        property: "state",
        description: "Known state; null when the instance uses a custom one (see stateValue).",
        values: CHANGE_REQUEST_STATE_VALUES,
      },
      label: {
        property: "stateLabel",
        length: 100,
        defaults: {
          "-5": "New",
          "-4": "Assess",
          "-3": "Authorize",
          "-2": "Scheduled",
          "-1": "Implement",
          "0": "Review",
          "3": "Closed",
          "4": "Canceled",
        },
      },
    }),
    integer("priority", { property: "priority", filter: true, order: "PRIORITY" }),
    integer("impact", { property: "impact", filter: true }),
    integer("risk", { property: "risk", description: "1 (very high) to 4 (low).", filter: true }),
    text("category", { property: "category", length: 100, dimension: true }),
    reference("business_service", "cmdb_ci_service", {
      property: "businessServiceSysId",
      dimension: true,
    }),
    reference("cmdb_ci", "cmdb_ci", { property: "cmdbCiSysId", dimension: true }),
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
    reference("requested_by", "sys_user", {
      property: "requestedBySysId",
      relation: "requestedBy",
    }),
    dateTime("start_date", {
      property: "plannedStartAt",
      description: "start_date: planned start.",
      filter: true,
      order: "PLANNED_START",
    }),
    dateTime("end_date", { property: "plannedEndAt", description: "end_date: planned end." }),
    dateTime("work_start", { property: "workStartAt", description: "work_start: actual start." }),
    dateTime("work_end", { property: "workEndAt", description: "work_end: actual end." }),
    dateTime("closed_at", {
      property: "closedAt",
      description: "closed_at: when the change was closed (a deployment's time).",
    }),
    text("approval", {
      property: "approval",
      length: 40,
      description: "Approval state: not yet requested, requested, approved, rejected.",
      dimension: true,
    }),
    text("close_code", { property: "closeCode", length: 100, filter: true }),
    text("close_notes", { property: "closeNotes" }),
    boolean("active", { property: "active", filter: true }),
    integer("sys_mod_count", { property: "sysModCount" }),
  ],
  relations: [
    toMany("approvals", "sysapproval_approver", "documentSysId", {
      orderBy: { property: "sysCreatedOn", direction: "ASC" },
    }),
    journal(),
    toMany("causedIncidents", "incident", "causedBySysId", {
      orderBy: { property: "openedAt", direction: "ASC" },
      description: "Incidents caused by this change (caused_by): the change-failure signal.",
    }),
    integration(),
  ],
  indexes: [
    ["integrationId", "number"],
    ["sysUpdatedOn", "id"],
    ["sysCreatedOn", "id"],
    ["plannedStartAt", "id"],
    ["priority", "id"],
    ["stateValue", "id"],
    ["number", "id"],
    ["assignmentGroupSysId"],
    ["assignedToSysId"],
    // dora's deployments (closed, by closed_at else work_end else end_date) and recovery join,
    // read from the index alone.
    ["stateValue", "closedAt", "workEndAt", "plannedEndAt", "integrationId", "sysId", "closeCode"],
  ],
  list: {
    name: "changeRequests",
    defaultOrder: [{ order: "CREATED_AT", direction: "DESC" }],
    orderable: true,
    search: {
      properties: ["number", "shortDescription"],
      description: "Case-insensitive text contained in the number or short description.",
    },
  },
  lookup: {
    name: "changeRequest",
    description: "One change by sysId or number.",
    key: "number",
    keyDescription: "e.g. CHG0030001",
  },
  displayProperty: "number",
} satisfies TableDescriptor;
