import { ChangeRequest } from "../../modules/change-requests/change-request.entity";
import {
  ChangeRequestState,
  changeRequestStateOf,
} from "../../modules/change-requests/change-request.enums";
import { SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.change_request;

/** ServiceNow's default labels, for records fetched without display values. */
const STATE_LABELS: Readonly<Record<ChangeRequestState, string>> = {
  [ChangeRequestState.NEW]: "New",
  [ChangeRequestState.ASSESS]: "Assess",
  [ChangeRequestState.AUTHORIZE]: "Authorize",
  [ChangeRequestState.SCHEDULED]: "Scheduled",
  [ChangeRequestState.IMPLEMENT]: "Implement",
  [ChangeRequestState.REVIEW]: "Review",
  [ChangeRequestState.CLOSED]: "Closed",
  [ChangeRequestState.CANCELED]: "Canceled",
};

const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  sys_updated_on: "sysUpdatedOn",
  number: "number",
  short_description: "shortDescription",
  description: "description",
  type: "type",
  // The label goes to stateLabel and the enum is derived from stateValue.
  state: "stateValue",
  priority: "priority",
  impact: "impact",
  risk: "risk",
  category: "category",
  business_service: "businessServiceSysId",
  cmdb_ci: "cmdbCiSysId",
  assignment_group: "assignmentGroupSysId",
  assigned_to: "assignedToSysId",
  requested_by: "requestedBySysId",
  start_date: "plannedStartAt",
  end_date: "plannedEndAt",
  work_start: "workStartAt",
  work_end: "workEndAt",
  approval: "approval",
  close_code: "closeCode",
  close_notes: "closeNotes",
  active: "active",
  sys_mod_count: "sysModCount",
} as const satisfies SyncTable<ChangeRequest>["columns"];

// Priority, risk and impact have no label column: their labels stay in attributes (.display).
const TABLE = { spec: SPEC, columns: COLUMNS, labelledFields: ["state"] };

/** `change_request` → `ChangeRequest`. */
export const CHANGE_REQUEST_SYNC_TABLE: SyncTable<ChangeRequest> = {
  spec: SPEC,
  entity: ChangeRequest,
  columns: COLUMNS,
  derivedColumns: { state: ["stateLabel"] },
  map(raw, context) {
    const record = new RecordReader(TABLE, raw);
    const stateValue = record.text("state");
    return {
      ...record.common(context),
      number: record.text("number"),
      shortDescription: record.text("short_description"),
      description: record.text("description"),
      type: record.text("type"),
      stateValue,
      stateLabel: record.label("state", (value) => {
        const state = changeRequestStateOf(value);
        return state === null ? null : STATE_LABELS[state];
      }),
      priority: record.int("priority"),
      impact: record.int("impact"),
      risk: record.int("risk"),
      category: record.text("category"),
      businessServiceSysId: record.reference("business_service"),
      cmdbCiSysId: record.reference("cmdb_ci"),
      assignmentGroupSysId: record.reference("assignment_group"),
      assignedToSysId: record.reference("assigned_to"),
      requestedBySysId: record.reference("requested_by"),
      plannedStartAt: record.dateTime("start_date"),
      plannedEndAt: record.dateTime("end_date"),
      workStartAt: record.dateTime("work_start"),
      workEndAt: record.dateTime("work_end"),
      approval: record.text("approval"),
      closeCode: record.text("close_code"),
      closeNotes: record.text("close_notes"),
      active: record.boolean("active"),
      sysModCount: record.int("sys_mod_count"),
    };
  },
};
