import { query } from "./encoded-query.builder";
import type { ServiceNowClient } from "./servicenow.client";
import { isServiceNowError } from "./servicenow.errors";
import { readValue } from "./servicenow-values";

/**
 * Journal fields return whole activity streams, collections are the tables themselves, and
 * password fields are never worth copying (even hashed).
 */
const SKIPPED_TYPES = new Set([
  "journal",
  "journal_input",
  "journal_list",
  "collection",
  "password",
  "password2",
]);
const FIELD_NAME = /^[a-z][a-z0-9_]{0,79}$/;
const PAGE = 1000;

/**
 * Every field a table has, from sys_dictionary (its own and its parents' definitions), so the
 * sync can ask for all of them minus the excluded ones. Null when sys_dictionary is not
 * readable for this user: callers then fall back to the fields they know.
 */
export async function fetchTableFields(
  client: ServiceNowClient,
  table: string,
  parentTables: readonly string[] = [],
  signal?: AbortSignal,
): Promise<string[] | null> {
  const fields = new Set<string>();
  const condition = query()
    .andIn("name", [table, ...parentTables])
    .isNotEmpty("element")
    .orderBy("sys_id");
  try {
    // The dictionary does not change while we read it: offsets are safe here.
    for (let offset = 0; ; offset += PAGE) {
      const page = await client.getRecords("sys_dictionary", {
        query: condition,
        fields: ["element", "internal_type"],
        limit: PAGE,
        offset: offset === 0 ? undefined : offset,
        noCount: true,
        signal,
      });
      for (const record of page.records) {
        const element = readValue(record.element);
        if (FIELD_NAME.test(element) && !SKIPPED_TYPES.has(readValue(record.internal_type))) {
          fields.add(element);
        }
      }
      if (page.records.length === 0) {
        break;
      }
    }
  } catch (error) {
    if (
      isServiceNowError(error) &&
      ["FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(error.code)
    ) {
      return null;
    }
    throw error;
  }
  return [...fields].sort();
}
