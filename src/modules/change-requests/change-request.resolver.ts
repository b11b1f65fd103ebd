import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { ConnectionType } from "../../graphql/pagination/connection.type";
import {
  loadApprovals,
  loadGroup,
  loadIntegration,
  loadJournalEntries,
  loadUser,
} from "../../graphql/relations";
import { UpdatesArgs } from "../../graphql/updates.args";
import { Approval } from "../approvals/approval.entity";
import { Incident } from "../incidents/incident.entity";
import { Integration } from "../integrations/integration.entity";
import { JournalEntry } from "../journal-entries/journal-entry.entity";
import { UserGroup } from "../user-groups/user-group.entity";
import { User } from "../users/user.entity";
import { ChangeRequestLookupArgs, ChangeRequestsArgs } from "./change-request.args";
import { ChangeRequest } from "./change-request.entity";
import type { ChangeRequestService } from "./change-request.service";

export const ChangeRequestConnection = ConnectionType(ChangeRequest, "ChangeRequest");

@Resolver(() => ChangeRequest)
export class ChangeRequestResolver {
  constructor(private readonly changeRequestService: ChangeRequestService) {}

  @Query(() => ChangeRequestConnection)
  async changeRequests(
    @Args() args: ChangeRequestsArgs,
  ): Promise<InstanceType<typeof ChangeRequestConnection>> {
    return new ChangeRequestConnection(await this.changeRequestService.list(args));
  }

  @Query(() => ChangeRequest, { nullable: true, description: "One change by sysId or number." })
  changeRequest(@Args() args: ChangeRequestLookupArgs): Promise<ChangeRequest | null> {
    return this.changeRequestService.findOne(args);
  }

  @FieldResolver(() => User, { nullable: true })
  assignedTo(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return loadUser(context, change, change.assignedToSysId);
  }

  @FieldResolver(() => User, { nullable: true })
  requestedBy(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return loadUser(context, change, change.requestedBySysId);
  }

  @FieldResolver(() => UserGroup, { nullable: true })
  assignmentGroup(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return loadGroup(context, change, change.assignmentGroupSysId);
  }

  @FieldResolver(() => [Approval])
  approvals(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return loadApprovals(context, change);
  }

  @FieldResolver(() => [JournalEntry], { description: "Comments and work notes, newest first." })
  updates(
    @Root() change: ChangeRequest,
    @Args({ validate: false }) args: UpdatesArgs,
    @Ctx() context: GraphQLContext,
  ) {
    return loadJournalEntries(context, change, args.first, args.element ?? null);
  }

  @FieldResolver(() => [Incident], {
    description: "Incidents caused by this change (caused_by): the change-failure signal.",
  })
  causedIncidents(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return context.loaders.incidentsCausedByChange.load({
      integrationId: change.integrationId,
      sysId: change.sysId,
    });
  }

  @FieldResolver(() => Integration, { nullable: true })
  integration(@Root() change: ChangeRequest, @Ctx() context: GraphQLContext) {
    return loadIntegration(context, change);
  }
}
