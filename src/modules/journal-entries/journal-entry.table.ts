import { recordColumns, text } from "../../table-model/columns";
import type { TableDescriptor } from "../../table-model/table.descriptor";

/**
 * Comments and work notes of the tables with `journalFields`. The sync reads only the entries
 * of those tables and fields (minus excluded ones): see `journalScope`.
 */
export const JOURNAL_ENTRY_TABLE = {
  name: "sys_journal_field",
  entityName: "journal_entry",
  typeName: "JournalEntry",
  label: "Journal entries",
  description: "A journal entry (table `sys_journal_field`): a comment or work note.",
  // Entries are written once: sys_created_on is also their update time.
  cursorField: "sys_created_on",
  requiredFields: ["element_id", "name", "element"],
  columns: [
    ...recordColumns({ writeOnce: true }),
    text("element_id", {
      property: "elementSysId",
      length: 32,
      required: true,
      description: "sys_id of the incident or change request it belongs to.",
    }),
    text("name", {
      property: "tableName",
      length: 80,
      required: true,
      description: "incident or change_request.",
    }),
    text("element", {
      property: "element",
      length: 40,
      required: true,
      description: "comments or work_notes.",
    }),
    text("value", { property: "value" }),
    text("sys_created_by", {
      property: "createdBy",
      length: 255,
      description: "user_name of the author.",
    }),
  ],
  indexes: [["integrationId", "elementSysId", "sysCreatedOn"]],
} satisfies TableDescriptor;
