import { ArrayMaxSize, IsOptional } from "class-validator";
import { ArgsType, Field, InputType, Int } from "type-graphql";

import { DateTimeRange } from "../../graphql/filters/date-range.input";
import { SortDirectionEnum } from "../../graphql/filters/sort-direction.enum";
import { LookupArgs } from "../../graphql/lookup.args";
import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";
import { ChangeRequestOrderField, ChangeRequestState } from "./change-request.enums";

@InputType()
export class ChangeRequestFilter {
  @Field(() => [ChangeRequestState], { nullable: true })
  state?: ChangeRequestState[] | null;

  @Field(() => [String], { nullable: true, description: "Raw state values, for custom states." })
  stateValue?: string[] | null;

  @Field(() => [String], { nullable: true, description: "normal, standard, emergency, …" })
  type?: string[] | null;

  @Field(() => [Int], { nullable: true })
  priority?: number[] | null;

  @Field(() => [Int], { nullable: true })
  impact?: number[] | null;

  @Field(() => [Int], { nullable: true })
  risk?: number[] | null;

  @Field(() => [String], { nullable: true })
  closeCode?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignment group sys_ids." })
  assignmentGroupSysId?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignee sys_ids." })
  assignedToSysId?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => DateTimeRange, { nullable: true })
  plannedStartAt?: DateTimeRange | null;

  @Field(() => DateTimeRange, { nullable: true })
  createdAt?: DateTimeRange | null;

  @Field(() => DateTimeRange, { nullable: true })
  updatedAt?: DateTimeRange | null;

  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive text contained in the number or short description.",
  })
  search?: string | null;
}

@InputType()
export class ChangeRequestOrder {
  @Field(() => ChangeRequestOrderField)
  field: ChangeRequestOrderField;

  @Field(() => SortDirectionEnum, { defaultValue: SortDirectionEnum.ASC })
  direction: SortDirectionEnum;
}

@ArgsType()
export class ChangeRequestsArgs extends ScopedPaginationArgs {
  @Field(() => ChangeRequestFilter, { nullable: true })
  filter?: ChangeRequestFilter | null;

  @Field(() => [ChangeRequestOrder], {
    nullable: true,
    description: "Sort keys in order (at most 3); default: createdAt descending.",
  })
  @IsOptional()
  @ArrayMaxSize(3, { message: "orderBy accepts at most 3 keys" })
  orderBy?: ChangeRequestOrder[] | null;
}

@ArgsType()
export class ChangeRequestLookupArgs extends LookupArgs {
  @Field(() => String, { nullable: true, description: "e.g. CHG0030001" })
  number?: string | null;
}
