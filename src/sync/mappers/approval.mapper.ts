import { Approval } from "../../modules/approvals/approval.entity";
import { query, SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.sysapproval_approver;

const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  sys_updated_on: "sysUpdatedOn",
  approver: "approverSysId",
  state: "state",
  // Both name the approved record: document_id first, sysapproval as the fallback.
  document_id: "documentSysId",
  sysapproval: "documentSysId",
  source_table: "sourceTable",
  comments: "comments",
} as const satisfies SyncTable<Approval>["columns"];

/** `sysapproval_approver` → `Approval`, for change requests only. */
export const APPROVAL_SYNC_TABLE: SyncTable<Approval> = {
  spec: SPEC,
  entity: Approval,
  columns: COLUMNS,
  map(raw, context) {
    const record = new RecordReader({ spec: SPEC, columns: COLUMNS }, raw);
    return {
      ...record.common(context),
      approverSysId: record.reference("approver"),
      state: record.text("state"),
      documentSysId: record.reference("document_id") ?? record.reference("sysapproval"),
      sourceTable: record.text("source_table"),
      comments: record.text("comments"),
    };
  },
  // The largest table on most instances: only the approvals of the records we ingest.
  scope: () => query().where("source_table", "=", SERVICENOW_TABLES.change_request.name),
};
