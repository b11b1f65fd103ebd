import type { EntityTarget } from "typeorm";

import { Approval } from "../modules/approvals/approval.entity";
import { ChangeRequest } from "../modules/change-requests/change-request.entity";
import { Incident } from "../modules/incidents/incident.entity";
import { Integration } from "../modules/integrations/integration.entity";
import { OAuthState } from "../modules/integrations/oauth-state.entity";
import { JournalEntry } from "../modules/journal-entries/journal-entry.entity";
import { UserGroup } from "../modules/user-groups/user-group.entity";
import { User } from "../modules/users/user.entity";
import { SyncLease } from "../sync/sync-lease.entity";
import { SyncRun } from "../sync/sync-run.entity";
import { SyncState } from "../sync/sync-state.entity";
import type { TableDescriptor } from "../table-model/table.descriptor";
import type { ServiceNowRecordEntity } from "./servicenow-record.entity";

export const ENTITIES = [
  Integration,
  User,
  UserGroup,
  Incident,
  ChangeRequest,
  Approval,
  JournalEntry,
  SyncRun,
  SyncState,
  OAuthState,
  SyncLease,
];

const RECORD_ENTITIES: ReadonlyMap<string, EntityTarget<ServiceNowRecordEntity>> = new Map<
  string,
  EntityTarget<ServiceNowRecordEntity>
>([
  ["sys_user_group", UserGroup],
  ["sys_user", User],
  ["incident", Incident],
  ["change_request", ChangeRequest],
  ["sysapproval_approver", Approval],
  ["sys_journal_field", JournalEntry],
]);

/** The TypeORM entity that stores a described table's rows. */
export function recordEntityOf(table: TableDescriptor): EntityTarget<ServiceNowRecordEntity> {
  const entity = RECORD_ENTITIES.get(table.name);
  if (entity === undefined) {
    throw new RangeError(`No entity for the ServiceNow table ${table.name}`);
  }
  return entity;
}
