import { ArgsType, Field, InputType } from "type-graphql";

import { LookupArgs } from "../../graphql/lookup.args";
import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";

@InputType()
export class UserFilter {
  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => [String], { nullable: true, description: "Department sys_ids." })
  departmentSysId?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Manager sys_ids." })
  managerSysId?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive text in the name, user name or email.",
  })
  search?: string | null;
}

@ArgsType()
export class UsersArgs extends ScopedPaginationArgs {
  @Field(() => UserFilter, { nullable: true })
  filter?: UserFilter | null;
}

@ArgsType()
export class UserLookupArgs extends LookupArgs {
  @Field(() => String, { nullable: true, description: "ServiceNow user_name." })
  userName?: string | null;
}
