import { recordColumns, reference, text } from "../../table-model/columns";
import type { TableDescriptor } from "../../table-model/table.descriptor";

export const APPROVAL_TABLE = {
  name: "sysapproval_approver",
  entityName: "approval",
  typeName: "Approval",
  label: "Approvals",
  description: "An approval (table `sysapproval_approver`).",
  cursorField: "sys_updated_on",
  requiredFields: ["sysapproval", "document_id", "source_table"],
  // The largest table on most instances: only the approvals of the records we ingest.
  scope: { source_table: "change_request" },
  columns: [
    ...recordColumns(),
    reference("approver", "sys_user", { property: "approverSysId", relation: "approver" }),
    text("state", {
      property: "state",
      length: 40,
      description: "requested, approved, rejected, cancelled, not_required, …",
    }),
    // Both name the approved record: document_id first, sysapproval as the fallback.
    reference("document_id", "change_request", {
      property: "documentSysId",
      fallback: { field: "sysapproval", references: "task" },
      description: "sys_id of the approved record.",
    }),
    text("source_table", {
      property: "sourceTable",
      length: 80,
      description: "Table of the approved record.",
    }),
    text("comments", { property: "comments" }),
  ],
  indexes: [["integrationId", "documentSysId"]],
} satisfies TableDescriptor;
