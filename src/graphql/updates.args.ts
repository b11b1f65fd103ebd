import { IsIn, IsOptional, Max, Min } from "class-validator";
import { ArgsType, Field, Int } from "type-graphql";

@ArgsType()
export class UpdatesArgs {
  @Field(() => Int, { defaultValue: 20, description: "Latest entries, newest first (max 100)." })
  @Min(1, { message: "first must be between 1 and 100" })
  @Max(100, { message: "first must be between 1 and 100" })
  first: number;

  @Field(() => String, { nullable: true, description: "comments or work_notes; both if omitted." })
  @IsOptional()
  @IsIn(["comments", "work_notes"], { message: "element must be comments or work_notes" })
  element?: string | null;
}
