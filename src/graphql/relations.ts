import type { Approval } from "../modules/approvals/approval.entity";
import type { ChangeRequest } from "../modules/change-requests/change-request.entity";
import type { Integration } from "../modules/integrations/integration.entity";
import type { JournalEntry } from "../modules/journal-entries/journal-entry.entity";
import type { UserGroup } from "../modules/user-groups/user-group.entity";
import type { User } from "../modules/users/user.entity";
import type { GraphQLContext } from "./context.type";
import { checkUpdatesArgs } from "./updates.args";

interface Scoped {
  readonly integrationId: string;
}

/** Small helpers so every resolver reaches a relation the same way: through the loaders. */
export function loadUser(
  context: GraphQLContext,
  record: Scoped,
  sysId: string | null,
): Promise<User | null> | null {
  return sysId
    ? context.loaders.userBySysId.load({ integrationId: record.integrationId, sysId })
    : null;
}

export function loadGroup(
  context: GraphQLContext,
  record: Scoped,
  sysId: string | null,
): Promise<UserGroup | null> | null {
  return sysId
    ? context.loaders.groupBySysId.load({ integrationId: record.integrationId, sysId })
    : null;
}

export function loadChangeRequest(
  context: GraphQLContext,
  record: Scoped,
  sysId: string | null,
): Promise<ChangeRequest | null> | null {
  return sysId
    ? context.loaders.changeRequestBySysId.load({ integrationId: record.integrationId, sysId })
    : null;
}

export function loadApprovals(
  context: GraphQLContext,
  record: Scoped & { readonly sysId: string },
): Promise<Approval[]> {
  return context.loaders.approvalsByDocument.load({
    integrationId: record.integrationId,
    sysId: record.sysId,
  });
}

export function loadJournalEntries(
  context: GraphQLContext,
  record: Scoped & { readonly sysId: string },
  first: number,
  element: string | null,
): Promise<JournalEntry[]> {
  checkUpdatesArgs({ first, element });
  return context.loaders
    .journalEntriesByRecord({ first, element })
    .load({ integrationId: record.integrationId, sysId: record.sysId });
}

export function loadIntegration(
  context: GraphQLContext,
  record: Scoped,
): Promise<Integration | null> {
  return context.loaders.integrationById.load(record.integrationId);
}
