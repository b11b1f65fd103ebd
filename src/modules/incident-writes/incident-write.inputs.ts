import { Field, InputType, Int } from "type-graphql";

import { IsOptional, Max, MaxLength, Min } from "../../graphql/argument-validation";
import type { IncidentState } from "../incidents/incident.enums";
import { CHOICE_ENUMS } from "../records/record-types";

const CHOICE_MAX = 100;

/** The GraphQL enum IncidentState, derived from the incident descriptor's states. */
function incidentStateEnum(): object {
  const members = CHOICE_ENUMS.get("IncidentState");
  if (members === undefined) {
    throw new RangeError("The incident descriptor no longer defines the IncidentState enum");
  }
  return members;
}

/** Names (user names, groups) are resolved to sys_ids before anything is sent. */
@InputType()
export class CreateIncidentInput {
  @Field({ description: "Mandatory in ServiceNow (at most 160 characters)." })
  @MaxLength(160, { message: "shortDescription must be at most 160 characters" })
  shortDescription: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32_000, { message: "description must be at most 32000 characters" })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The caller's user name; default: the integration's own ServiceNow user.",
  })
  @IsOptional()
  @MaxLength(100, { message: "callerUserName must be at most 100 characters" })
  callerUserName?: string | null;

  @Field(() => String, { nullable: true, description: "The caller's sys_id, instead of a name." })
  @IsOptional()
  callerSysId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Group sys_id or exact name; default: the integration's defaultAssignmentGroup.",
  })
  @IsOptional()
  @MaxLength(255, { message: "assignmentGroup must be at most 255 characters" })
  assignmentGroup?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100, { message: "assignedToUserName must be at most 100 characters" })
  assignedToUserName?: string | null;

  @Field(() => Int, { nullable: true, description: "1 (High) to 3 (Low)." })
  @IsOptional()
  @Min(1, { message: "impact must be 1, 2 or 3" })
  @Max(3, { message: "impact must be 1, 2 or 3" })
  impact?: number | null;

  @Field(() => Int, { nullable: true, description: "1 (High) to 3 (Low)." })
  @IsOptional()
  @Min(1, { message: "urgency must be 1, 2 or 3" })
  @Max(3, { message: "urgency must be 1, 2 or 3" })
  urgency?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CHOICE_MAX, { message: "category must be at most 100 characters" })
  category?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(CHOICE_MAX, { message: "subcategory must be at most 100 characters" })
  subcategory?: string | null;

  @Field(() => String, { nullable: true, description: "e.g. email, phone, self-service." })
  @IsOptional()
  @MaxLength(CHOICE_MAX, { message: "contactType must be at most 100 characters" })
  contactType?: string | null;

  @Field(() => String, { nullable: true, description: "Configuration item sys_id." })
  @IsOptional()
  cmdbCi?: string | null;

  @Field(() => String, { nullable: true, description: "Business service sys_id." })
  @IsOptional()
  businessService?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Idempotency key, stored in ServiceNow's correlation_id: retrying with it never creates a second incident.",
  })
  @IsOptional()
  @MaxLength(100, { message: "correlationId must be at most 100 characters" })
  correlationId?: string | null;
}

/** Omitted fields stay as they are. */
@InputType()
export class UpdateIncidentInput {
  @Field(incidentStateEnum, { nullable: true })
  state?: IncidentState | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: "impact must be 1, 2 or 3" })
  @Max(3, { message: "impact must be 1, 2 or 3" })
  impact?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: "urgency must be 1, 2 or 3" })
  @Max(3, { message: "urgency must be 1, 2 or 3" })
  urgency?: number | null;

  @Field(() => String, { nullable: true, description: "Group sys_id or exact name." })
  @IsOptional()
  @MaxLength(255, { message: "assignmentGroup must be at most 255 characters" })
  assignmentGroup?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100, { message: "assignedToUserName must be at most 100 characters" })
  assignedToUserName?: string | null;

  @Field(() => String, { nullable: true, description: "Resolution code (needed to resolve)." })
  @IsOptional()
  @MaxLength(CHOICE_MAX, { message: "closeCode must be at most 100 characters" })
  closeCode?: string | null;

  @Field(() => String, { nullable: true, description: "Resolution notes (needed to resolve)." })
  @IsOptional()
  @MaxLength(32_000, { message: "closeNotes must be at most 32000 characters" })
  closeNotes?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(160, { message: "shortDescription must be at most 160 characters" })
  shortDescription?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(32_000, { message: "description must be at most 32000 characters" })
  description?: string | null;
}
