import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { ConnectionType } from "../../graphql/pagination/connection.type";
import {
  loadApprovals,
  loadChangeRequest,
  loadGroup,
  loadIntegration,
  loadJournalEntries,
  loadUser,
} from "../../graphql/relations";
import { UpdatesArgs } from "../../graphql/updates.args";
import { Approval } from "../approvals/approval.entity";
import { ChangeRequest } from "../change-requests/change-request.entity";
import { Integration } from "../integrations/integration.entity";
import { JournalEntry } from "../journal-entries/journal-entry.entity";
import { UserGroup } from "../user-groups/user-group.entity";
import { User } from "../users/user.entity";
import { IncidentsArgs } from "./incident.args";
import { Incident } from "./incident.entity";
import type { IncidentService } from "./incident.service";
import { IncidentLookupArgs } from "./incident-lookup.args";

export const IncidentConnection = ConnectionType(Incident, "Incident");

@Resolver(() => Incident)
export class IncidentResolver {
  constructor(private readonly incidentService: IncidentService) {}

  @Query(() => IncidentConnection)
  async incidents(@Args() args: IncidentsArgs): Promise<InstanceType<typeof IncidentConnection>> {
    return new IncidentConnection(await this.incidentService.list(args));
  }

  @Query(() => Incident, { nullable: true, description: "One incident by sysId or number." })
  incident(@Args() args: IncidentLookupArgs): Promise<Incident | null> {
    return this.incidentService.findOne(args);
  }

  @FieldResolver(() => User, { nullable: true })
  caller(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadUser(context, incident, incident.callerSysId);
  }

  @FieldResolver(() => User, { nullable: true })
  openedBy(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadUser(context, incident, incident.openedBySysId);
  }

  @FieldResolver(() => User, { nullable: true })
  assignedTo(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadUser(context, incident, incident.assignedToSysId);
  }

  @FieldResolver(() => User, { nullable: true })
  resolvedBy(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadUser(context, incident, incident.resolvedBySysId);
  }

  @FieldResolver(() => User, { nullable: true })
  closedBy(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadUser(context, incident, incident.closedBySysId);
  }

  @FieldResolver(() => UserGroup, { nullable: true })
  assignmentGroup(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadGroup(context, incident, incident.assignmentGroupSysId);
  }

  @FieldResolver(() => ChangeRequest, {
    nullable: true,
    description: "The change that caused this incident (caused_by).",
  })
  causedBy(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadChangeRequest(context, incident, incident.causedBySysId);
  }

  @FieldResolver(() => ChangeRequest, {
    nullable: true,
    description: "The change raised to fix this incident (rfc).",
  })
  rfc(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadChangeRequest(context, incident, incident.rfcSysId);
  }

  @FieldResolver(() => [Approval])
  approvals(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadApprovals(context, incident);
  }

  @FieldResolver(() => [JournalEntry], { description: "Comments and work notes, newest first." })
  updates(
    @Root() incident: Incident,
    @Args({ validate: false }) args: UpdatesArgs,
    @Ctx() context: GraphQLContext,
  ) {
    return loadJournalEntries(context, incident, args.first, args.element ?? null);
  }

  @FieldResolver(() => Integration, { nullable: true })
  integration(@Root() incident: Incident, @Ctx() context: GraphQLContext) {
    return loadIntegration(context, incident);
  }
}
