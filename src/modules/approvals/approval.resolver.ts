import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { loadUser } from "../../graphql/relations";
import { User } from "../users/user.entity";
import { Approval } from "./approval.entity";

@Resolver(() => Approval)
export class ApprovalResolver {
  @FieldResolver(() => User, { nullable: true })
  approver(@Root() approval: Approval, @Ctx() context: GraphQLContext) {
    return loadUser(context, approval, approval.approverSysId);
  }
}
