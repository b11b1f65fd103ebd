import { Incident } from "../../modules/incidents/incident.entity";
import { IncidentState, incidentStateOf } from "../../modules/incidents/incident.enums";
import { SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.incident;

/** ServiceNow's default labels, for records fetched without display values. */
const STATE_LABELS: Readonly<Record<IncidentState, string>> = {
  [IncidentState.NEW]: "New",
  [IncidentState.IN_PROGRESS]: "In Progress",
  [IncidentState.ON_HOLD]: "On Hold",
  [IncidentState.RESOLVED]: "Resolved",
  [IncidentState.CLOSED]: "Closed",
  [IncidentState.CANCELED]: "Canceled",
};

const PRIORITY_LABELS: ReadonlyMap<string, string> = new Map([
  ["1", "1 - Critical"],
  ["2", "2 - High"],
  ["3", "3 - Moderate"],
  ["4", "4 - Low"],
  ["5", "5 - Planning"],
]);

const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  sys_updated_on: "sysUpdatedOn",
  number: "number",
  short_description: "shortDescription",
  description: "description",
  // The label goes to stateLabel and the enum is derived from stateValue.
  state: "stateValue",
  priority: "priority",
  impact: "impact",
  urgency: "urgency",
  severity: "severity",
  category: "category",
  subcategory: "subcategory",
  contact_type: "contactType",
  caller_id: "callerSysId",
  opened_by: "openedBySysId",
  opened_at: "openedAt",
  assignment_group: "assignmentGroupSysId",
  assigned_to: "assignedToSysId",
  reassignment_count: "reassignmentCount",
  reopen_count: "reopenCount",
  hold_reason: "holdReason",
  resolved_at: "resolvedAt",
  resolved_by: "resolvedBySysId",
  closed_at: "closedAt",
  closed_by: "closedBySysId",
  sla_due: "slaDue",
  close_code: "closeCode",
  close_notes: "closeNotes",
  caused_by: "causedBySysId",
  rfc: "rfcSysId",
  business_service: "businessServiceSysId",
  cmdb_ci: "cmdbCiSysId",
  business_stc: "businessDurationSeconds",
  calendar_stc: "calendarDurationSeconds",
  active: "active",
  sys_mod_count: "sysModCount",
} as const satisfies SyncTable<Incident>["columns"];

const TABLE = { spec: SPEC, columns: COLUMNS, labelledFields: ["state", "priority"] };

/** `incident` → `Incident`. */
export const INCIDENT_SYNC_TABLE: SyncTable<Incident> = {
  spec: SPEC,
  entity: Incident,
  columns: COLUMNS,
  derivedColumns: { state: ["stateLabel"], priority: ["priorityLabel"] },
  map(raw, context) {
    const record = new RecordReader(TABLE, raw);
    const stateValue = record.text("state");
    return {
      ...record.common(context),
      number: record.text("number"),
      shortDescription: record.text("short_description"),
      description: record.text("description"),
      stateValue,
      stateLabel: record.label("state", (value) => {
        const state = incidentStateOf(value);
        return state === null ? null : STATE_LABELS[state];
      }),
      priority: record.int("priority"),
      priorityLabel: record.label("priority", (value) => PRIORITY_LABELS.get(value) ?? null),
      impact: record.int("impact"),
      urgency: record.int("urgency"),
      severity: record.int("severity"),
      category: record.text("category"),
      subcategory: record.text("subcategory"),
      contactType: record.text("contact_type"),
      callerSysId: record.reference("caller_id"),
      openedBySysId: record.reference("opened_by"),
      openedAt: record.dateTime("opened_at"),
      assignmentGroupSysId: record.reference("assignment_group"),
      assignedToSysId: record.reference("assigned_to"),
      reassignmentCount: record.int("reassignment_count"),
      reopenCount: record.int("reopen_count"),
      holdReason: record.text("hold_reason"),
      resolvedAt: record.dateTime("resolved_at"),
      resolvedBySysId: record.reference("resolved_by"),
      closedAt: record.dateTime("closed_at"),
      closedBySysId: record.reference("closed_by"),
      slaDue: record.dateTime("sla_due"),
      closeCode: record.text("close_code"),
      closeNotes: record.text("close_notes"),
      causedBySysId: record.reference("caused_by"),
      rfcSysId: record.reference("rfc"),
      businessServiceSysId: record.reference("business_service"),
      cmdbCiSysId: record.reference("cmdb_ci"),
      // business_stc and calendar_stc are integer seconds (not the glide_duration fields).
      businessDurationSeconds: record.int("business_stc"),
      calendarDurationSeconds: record.int("calendar_stc"),
      active: record.boolean("active"),
      sysModCount: record.int("sys_mod_count"),
    };
  },
};
