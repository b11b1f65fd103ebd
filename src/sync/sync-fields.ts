import type { ServiceNowTableSpec } from "../servicenow";

/**
 * The fields a table's pages ask for: the mapped ones and every field the instance's dictionary
 * lists (custom ones land in `attributes`), minus the excluded ones and the journal fields (whose
 * entries are journal rows of their own, never attributes of the record). `discovered` is null
 * when sys_dictionary is not readable: the mapped fields are then still complete.
 */
export function syncFieldsOf(
  spec: ServiceNowTableSpec,
  discovered: readonly string[] | null,
  excluded: ReadonlySet<string>,
): string[] {
  const journal = new Set(spec.journalFields ?? []);
  return [...new Set([...spec.fields, ...(discovered ?? [])])].filter(
    (field) => !excluded.has(field) && !journal.has(field),
  );
}
