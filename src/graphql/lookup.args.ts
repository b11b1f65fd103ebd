import { ArgsType, Field, ID } from "type-graphql";

import { IsOptional, IsUUID } from "./argument-validation";

@ArgsType()
export class LookupArgs {
  @Field(() => ID, {
    nullable: true,
    description: "Needed when several integrations share the key.",
  })
  @IsOptional()
  @IsUUID("all", { message: "integrationId must be an integration id (a UUID)" })
  integrationId?: string | null;

  @Field(() => String, { nullable: true })
  sysId?: string | null;
}
