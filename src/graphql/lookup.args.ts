import { IsOptional, IsUUID } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";

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
