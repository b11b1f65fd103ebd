import { ArrayMaxSize, IsOptional } from "class-validator";
import { ArgsType, Field, InputType, Int } from "type-graphql";

import { DateTimeRange } from "../../graphql/filters/date-range.input";
import { SortDirectionEnum } from "../../graphql/filters/sort-direction.enum";
import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";
import { IncidentOrderField, IncidentState } from "./incident.enums";

@InputType()
export class IncidentFilter {
  @Field(() => [IncidentState], { nullable: true })
  state?: IncidentState[] | null;

  @Field(() => [String], { nullable: true, description: "Raw state values, for custom states." })
  stateValue?: string[] | null;

  @Field(() => [Int], { nullable: true })
  priority?: number[] | null;

  @Field(() => [Int], { nullable: true })
  impact?: number[] | null;

  @Field(() => [Int], { nullable: true })
  urgency?: number[] | null;

  @Field(() => [String], { nullable: true })
  category?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignment group sys_ids." })
  assignmentGroupSysId?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Assignee sys_ids." })
  assignedToSysId?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Caller sys_ids." })
  callerSysId?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Change request sys_ids (caused_by)." })
  causedBySysId?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => DateTimeRange, { nullable: true })
  openedAt?: DateTimeRange | null;

  @Field(() => DateTimeRange, { nullable: true })
  resolvedAt?: DateTimeRange | null;

  @Field(() => DateTimeRange, { nullable: true })
  closedAt?: DateTimeRange | null;

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
export class IncidentOrder {
  @Field(() => IncidentOrderField)
  field: IncidentOrderField;

  @Field(() => SortDirectionEnum, { defaultValue: SortDirectionEnum.ASC })
  direction: SortDirectionEnum;
}

@ArgsType()
export class IncidentsArgs extends ScopedPaginationArgs {
  @Field(() => IncidentFilter, { nullable: true })
  filter?: IncidentFilter | null;

  @Field(() => [IncidentOrder], {
    nullable: true,
    description: "Sort keys in order (at most 3); default: openedAt descending.",
  })
  @IsOptional()
  @ArrayMaxSize(3, { message: "orderBy accepts at most 3 keys" })
  orderBy?: IncidentOrder[] | null;
}
