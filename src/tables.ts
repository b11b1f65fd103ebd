import { APPROVAL_TABLE } from "./modules/approvals/approval.table";
import { CHANGE_REQUEST_TABLE } from "./modules/change-requests/change-request.table";
import { INCIDENT_TABLE } from "./modules/incidents/incident.table";
import { JOURNAL_ENTRY_TABLE } from "./modules/journal-entries/journal-entry.table";
import { PROBLEM_TABLE } from "./modules/problems/problem.table";
import { USER_GROUP_TABLE } from "./modules/user-groups/user-group.table";
import { USER_TABLE } from "./modules/users/user.table";
import type { TableDescriptor } from "./table-model/table.descriptor";

/**
 * Every ServiceNow table the gateway reads, in dependency order (the sync ingests them in this
 * order). Adding a table is its descriptor in its feature folder and one line here.
 */
export const TABLES: readonly TableDescriptor[] = [
  USER_GROUP_TABLE,
  USER_TABLE,
  PROBLEM_TABLE,
  INCIDENT_TABLE,
  CHANGE_REQUEST_TABLE,
  APPROVAL_TABLE,
  JOURNAL_ENTRY_TABLE,
];

const BY_NAME: ReadonlyMap<string, TableDescriptor> = new Map(
  TABLES.map((table) => [table.name, table]),
);

/** The described table of a ServiceNow table name (a reference's or a relation's target). */
export function tableNamed(name: string): TableDescriptor {
  const table = BY_NAME.get(name);
  if (table === undefined) {
    throw new RangeError(`${name} is not a table the gateway reads`);
  }
  return table;
}
