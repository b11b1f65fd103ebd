import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";

import type { GraphQLContext } from "../../graphql/context.type";
import { ConnectionType } from "../../graphql/pagination/connection.type";
import { loadIntegration, loadUser } from "../../graphql/relations";
import { Integration } from "../integrations/integration.entity";
import { UserLookupArgs, UsersArgs } from "./user.args";
import { User } from "./user.entity";
import type { UserService } from "./user.service";

export const UserConnection = ConnectionType(User, "User");

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly userService: UserService) {}

  @Query(() => UserConnection, { description: "Users, ordered by name." })
  async users(@Args() args: UsersArgs): Promise<InstanceType<typeof UserConnection>> {
    return new UserConnection(await this.userService.list(args));
  }

  @Query(() => User, { nullable: true, description: "One user by sysId or userName." })
  user(@Args() args: UserLookupArgs): Promise<User | null> {
    return this.userService.findOne(args);
  }

  @FieldResolver(() => User, { nullable: true })
  manager(@Root() user: User, @Ctx() context: GraphQLContext) {
    return loadUser(context, user, user.managerSysId);
  }

  @FieldResolver(() => Integration, { nullable: true })
  integration(@Root() user: User, @Ctx() context: GraphQLContext) {
    return loadIntegration(context, user);
  }
}
