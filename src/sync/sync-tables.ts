import { recordEntityOf } from "../database/entities";
import {
  SERVICENOW_TABLE_NAMES,
  SERVICENOW_TABLES,
  type ServiceNowTableName,
} from "../servicenow/servicenow-tables";
import { TABLES } from "../tables";
import type { SyncTable } from "./sync-table";
import { TABLE_MAPPERS } from "./table-mappers";

/**
 * Every table the sync reads, in dependency order (`TABLES`): its mapper (`TABLE_MAPPERS`) and
 * the entity its rows are stored in.
 */
export const SYNC_TABLES: readonly SyncTable[] = TABLE_MAPPERS.map((mapper, index) => ({
  ...mapper,
  entity: recordEntityOf(TABLES[index]),
}));

/**
 * What is wrong with a registry, in words (empty when nothing is): a table of
 * SERVICENOW_TABLE_NAMES missing or listed twice (a line of `TABLES` repeated), a spec that is
 * not the registry's own, or a column fed by a field the spec does not ask ServiceNow for (it
 * would silently stay null).
 */
export function syncTableProblems(tables: readonly SyncTable[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const table of tables) {
    const { name } = table.spec;
    if (seen.has(name)) {
      problems.push(`${name} is listed twice`);
    }
    seen.add(name);
    if (table.spec !== SERVICENOW_TABLES[name]) {
      problems.push(`${name} does not use SERVICENOW_TABLES.${name} as its spec`);
    }
    for (const field of Object.keys(table.columns)) {
      if (!table.spec.fields.includes(field)) {
        problems.push(`${name}.${field} feeds a column but is not in the table's fields`);
      }
    }
  }
  for (const name of SERVICENOW_TABLE_NAMES) {
    if (!seen.has(name)) {
      problems.push(`${name} has no sync table`);
    }
  }
  return problems;
}

const problems = syncTableProblems(SYNC_TABLES);
if (problems.length > 0) {
  throw new Error(`The sync table registry is inconsistent: ${problems.join("; ")}`);
}

const BY_NAME: ReadonlyMap<string, SyncTable> = new Map(
  SYNC_TABLES.map((table) => [table.spec.name, table]),
);

/** The sync table of a ServiceNow table name; throws for a table the gateway does not read. */
export function syncTableOf(name: ServiceNowTableName | (string & {})): SyncTable {
  const table = BY_NAME.get(name);
  if (table === undefined) {
    throw new RangeError(`No sync table for "${name.slice(0, 80)}"`);
  }
  return table;
}
