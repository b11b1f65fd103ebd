import { ArgsType, Field } from "type-graphql";

import { LookupArgs } from "../../graphql/lookup.args";

@ArgsType()
export class IncidentLookupArgs extends LookupArgs {
  @Field(() => String, { nullable: true, description: "e.g. INC0010001" })
  number?: string | null;
}
