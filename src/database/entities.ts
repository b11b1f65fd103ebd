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
