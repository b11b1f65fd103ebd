import { JournalEntry } from "../../modules/journal-entries/journal-entry.entity";
import { query, SERVICENOW_TABLES } from "../../servicenow";
import type { SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.sys_journal_field;

/** The tables whose updates the gateway serves. */
const JOURNALED_TABLES = [SERVICENOW_TABLES.incident.name, SERVICENOW_TABLES.change_request.name];
/** Comments and work notes; other journal fields (approval history…) are not updates. */
const JOURNAL_ELEMENTS = ["comments", "work_notes"];

// No sys_updated_on: entries are written once, so sys_created_on is also their update time.
const COLUMNS = {
  sys_id: "sysId",
  sys_created_on: "sysCreatedOn",
  element_id: "elementSysId",
  name: "tableName",
  element: "element",
  value: "value",
  sys_created_by: "createdBy",
} as const satisfies SyncTable<JournalEntry>["columns"];

/** `sys_journal_field` → `JournalEntry`: comments and work notes of incidents and changes. */
export const JOURNAL_ENTRY_SYNC_TABLE: SyncTable<JournalEntry> = {
  spec: SPEC,
  entity: JournalEntry,
  columns: COLUMNS,
  map(raw, context) {
    const record = new RecordReader({ spec: SPEC, columns: COLUMNS }, raw);
    return {
      // sysUpdatedOn = sysCreatedOn (the cursor field of this table is sys_created_on).
      ...record.common(context),
      elementSysId: record.requiredText("element_id"),
      tableName: record.requiredText("name"),
      element: record.requiredText("element"),
      value: record.text("value"),
      createdBy: record.text("sys_created_by"),
    };
  },
  // The largest table on most instances: only the updates of the records we ingest.
  scope: () => query().andIn("name", JOURNALED_TABLES).andIn("element", JOURNAL_ELEMENTS),
};
