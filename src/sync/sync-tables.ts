import type { ServiceNowRecordEntity } from "../database/servicenow-record.entity";
import {
  SERVICENOW_TABLE_NAMES,
  SERVICENOW_TABLES,
  type ServiceNowTableName,
} from "../servicenow/servicenow-tables";
import { APPROVAL_SYNC_TABLE } from "./mappers/approval.mapper";
import { CHANGE_REQUEST_SYNC_TABLE } from "./mappers/change-request.mapper";
import { INCIDENT_SYNC_TABLE } from "./mappers/incident.mapper";
import { JOURNAL_ENTRY_SYNC_TABLE } from "./mappers/journal-entry.mapper";
import { USER_SYNC_TABLE } from "./mappers/user.mapper";
import { USER_GROUP_SYNC_TABLE } from "./mappers/user-group.mapper";
import type { SyncTable } from "./sync-table";

/**
 * Every table the sync reads, in dependency order: groups, users, incidents, change requests,
 * approvals, journal entries. Adding a table is one mapper file and one line here.
 */
export const SYNC_TABLES: readonly SyncTable[] = [
  entry(USER_GROUP_SYNC_TABLE),
  entry(USER_SYNC_TABLE),
  entry(INCIDENT_SYNC_TABLE),
  entry(CHANGE_REQUEST_SYNC_TABLE),
  entry(APPROVAL_SYNC_TABLE),
  entry(JOURNAL_ENTRY_SYNC_TABLE),
];

/**
 * `SyncTable<Incident>` is not a `SyncTable`: its `columns` name Incident's properties, which
 * `SyncTable<ServiceNowRecordEntity>` types as the base record's keys only. Every consumer reads
 * `columns` as property names of `entity`, which is what they are, so the entity type is
 * forgotten here, in one place.
 */
function entry<E extends ServiceNowRecordEntity>(table: SyncTable<E>): SyncTable {
  return table as unknown as SyncTable;
}

/**
 * What is wrong with a registry, in words (empty when nothing is): a table of
 * SERVICENOW_TABLE_NAMES missing or listed twice, a spec that is not the registry's own, or a
 * column fed by a field the spec does not ask ServiceNow for (it would silently stay null).
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
