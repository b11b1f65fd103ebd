import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { loadIntegration, loadUser } from "../../graphql/relations";
import { Integration } from "../integrations/integration.entity";
import { User } from "../users/user.entity";
import { UserGroup } from "./user-group.entity";

@Resolver(() => UserGroup)
export class UserGroupResolver {
  @FieldResolver(() => User, { nullable: true })
  manager(@Root() group: UserGroup, @Ctx() context: GraphQLContext) {
    return loadUser(context, group, group.managerSysId);
  }

  @FieldResolver(() => Integration, { nullable: true })
  integration(@Root() group: UserGroup, @Ctx() context: GraphQLContext) {
    return loadIntegration(context, group);
  }
}
