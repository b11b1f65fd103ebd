import { APPROVAL_TABLE } from "./modules/approvals/approval.table";
import { CHANGE_REQUEST_TABLE } from "./modules/change-requests/change-request.table";
import { INCIDENT_TABLE } from "./modules/incidents/incident.table";
import { JOURNAL_ENTRY_TABLE } from "./modules/journal-entries/journal-entry.table";
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
  INCIDENT_TABLE,
  CHANGE_REQUEST_TABLE,
  APPROVAL_TABLE,
  JOURNAL_ENTRY_TABLE,
];
