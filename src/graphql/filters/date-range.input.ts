import { Field, InputType } from "type-graphql";

@InputType({
  description: "A time range: `from` inclusive, `to` exclusive; either may be omitted.",
})
export class DateTimeRange {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}
