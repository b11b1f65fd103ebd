import { JournalEntry } from "../../modules/journal-entries/journal-entry.entity";
import { type EncodedQuery, query, SERVICENOW_TABLES } from "../../servicenow";
import type { ExcludedFieldsOf, SyncTable } from "../sync-table";
import { RecordReader } from "./record.reader";

const SPEC = SERVICENOW_TABLES.sys_journal_field;

/** The tables whose updates the gateway serves, with their journal fields. */
const JOURNALED_TABLES = Object.values(SERVICENOW_TABLES).filter(
  (spec) => (spec.journalFields ?? []).length > 0,
);

/**
 * Only the updates of the records we ingest, minus excluded journal fields: one `^NQ` group
 * per distinct element list (`nameINincident,change_request^elementINcomments,work_notes` when
 * nothing is excluded), so an excluded element of a table is never even asked for. Null when
 * every journal field of every table is excluded.
 */
export function journalScope(excluded: ExcludedFieldsOf): EncodedQuery | null {
  const tablesByElements = new Map<string, string[]>();
  for (const spec of JOURNALED_TABLES) {
    const skipped = excluded(spec.name);
    const elements = (spec.journalFields ?? []).filter((field) => !skipped.has(field));
    if (elements.length > 0) {
      const key = elements.join(",");
      tablesByElements.set(key, [...(tablesByElements.get(key) ?? []), spec.name]);
    }
  }
  let scope: EncodedQuery | null = null;
  for (const [elements, tables] of tablesByElements) {
    scope = (scope === null ? query() : scope.newQuery())
      .andIn("name", tables)
      .andIn("element", elements.split(","));
  }
  return scope;
}

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
  scope: journalScope,
};
