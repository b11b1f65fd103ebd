import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { ConnectionType } from "../../graphql/pagination/connection.type";
import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";
import { Integration } from "../integrations/integration.entity";
import { JournalKind } from "./incident-write.enums";
import { CreateIncidentInput, UpdateIncidentInput } from "./incident-write.inputs";
import type { IncidentWriteService } from "./incident-write.service";
import { IncidentWriteResult } from "./incident-write-result.type";
import { WriteLogEntry } from "./write-log.entity";

export const WriteLogConnection = ConnectionType(WriteLogEntry, "WriteLog");

@ArgsType()
export class WriteLogArgs extends ScopedPaginationArgs {}

/**
 * The incident mutations (admin and writer tokens), the write log (admin) and the allowance on
 * `Integration`. Thin: the service does the work and raises coded errors.
 */
@Resolver(() => Integration)
export class IncidentWriteResolver {
  constructor(private readonly writes: IncidentWriteService) {}

  @Authorized("admin", "writer")
  @Mutation(() => IncidentWriteResult, {
    description:
      "Creates an incident in ServiceNow, then caches it. With a correlationId, retries never create a second one.",
  })
  createIncident(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("input", () => CreateIncidentInput) input: CreateIncidentInput,
    @Ctx() context: GraphQLContext,
  ): Promise<IncidentWriteResult> {
    return this.writes.create(context.caller, integrationId, input);
  }

  @Authorized("admin", "writer")
  @Mutation(() => IncidentWriteResult, { description: "Updates an incident in ServiceNow." })
  updateIncident(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("sysId") sysId: string,
    @Arg("input", () => UpdateIncidentInput) input: UpdateIncidentInput,
    @Ctx() context: GraphQLContext,
  ): Promise<IncidentWriteResult> {
    return this.writes.update(context.caller, integrationId, sysId, input);
  }

  @Authorized("admin", "writer")
  @Mutation(() => IncidentWriteResult, {
    description: "Adds a comment (customer-visible) or a work note (internal) to an incident.",
  })
  addIncidentComment(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("sysId") sysId: string,
    @Arg("kind", () => JournalKind) kind: JournalKind,
    @Arg("text") text: string,
    @Ctx() context: GraphQLContext,
  ): Promise<IncidentWriteResult> {
    return this.writes.comment(context.caller, integrationId, sysId, kind, text);
  }

  @Authorized("admin")
  @Query(() => WriteLogConnection, { description: "Every write attempt, newest first (admin)." })
  async writeLog(@Args() args: WriteLogArgs): Promise<InstanceType<typeof WriteLogConnection>> {
    return new WriteLogConnection(await this.writes.writeLog(args));
  }

  @FieldResolver(() => Int, {
    description: "Transactions (creates, updates, comments) used today, UTC.",
  })
  transactionsToday(
    @Root() integration: Integration,
    @Ctx() context: GraphQLContext,
  ): Promise<number> {
    return context.loaders.transactionsTodayByIntegration.load(integration.id);
  }
}
