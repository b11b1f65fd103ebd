import { type EncodedQuery, query } from "../../servicenow";
import { TABLES } from "../../tables";
import type { ExcludedFieldsOf } from "../sync-table";

/** The tables whose updates the gateway serves, with their journal fields. */
const JOURNALED_TABLES = TABLES.filter((table) => (table.journalFields ?? []).length > 0);

/**
 * Only the updates of the records we ingest, minus excluded journal fields: one `^NQ` group
 * per distinct element list (`nameINincident,change_request^elementINcomments,work_notes` when
 * nothing is excluded), so an excluded element of a table is never even asked for. Null when
 * every journal field of every table is excluded.
 */
export function journalScope(excluded: ExcludedFieldsOf): EncodedQuery | null {
  const tablesByElements = new Map<string, string[]>();
  for (const table of JOURNALED_TABLES) {
    const skipped = excluded(table.name);
    const elements = (table.journalFields ?? []).filter((field) => !skipped.has(field));
    if (elements.length > 0) {
      const key = elements.join(",");
      tablesByElements.set(key, [...(tablesByElements.get(key) ?? []), table.name]);
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
