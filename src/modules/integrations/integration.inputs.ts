import { GraphQLEmailAddress } from "graphql-scalars";
import { Field, InputType, Int } from "type-graphql";

import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from "../../graphql/argument-validation";
import { AuthMethod, Deployment } from "./integration.enums";

export const SYNC_INTERVAL_MIN = 1;
export const SYNC_INTERVAL_MAX = 24 * 60;

/** Several property decorators as one, so Create and Update inputs share their rules. */
function rules(...decorators: PropertyDecorator[]): () => PropertyDecorator {
  return () => (target, property) => {
    for (const decorator of decorators) {
      decorator(target, property);
    }
  };
}

const DescriptionRules = rules(
  IsOptional(),
  MaxLength(2000, { message: "description must be at most 2000 characters" }),
);
const TagsRules = rules(IsOptional(), ArrayMaxSize(20, { message: "at most 20 tags" }));
const ExcludedFieldsRules = rules(
  IsOptional(),
  ArrayMaxSize(20, { message: "at most 20 excludedFields entries" }),
);
const ContactRules = rules(
  IsOptional(),
  MaxLength(320, { message: "contact must be at most 320 characters" }),
);
const ExpectedTransactionsRules = rules(
  IsOptional(),
  Min(0, { message: "expectedTransactionsPerDay must be 0 or more" }),
  Max(1_000_000_000, { message: "expectedTransactionsPerDay is implausibly large" }),
);
const DefaultAssignmentGroupRules = rules(
  IsOptional(),
  MaxLength(255, { message: "defaultAssignmentGroup must be at most 255 characters" }),
);
const SYNC_INTERVAL_MESSAGE = `syncIntervalMinutes must be ${SYNC_INTERVAL_MIN} to ${SYNC_INTERVAL_MAX}`;
const SyncIntervalRules = rules(
  IsOptional(),
  Min(SYNC_INTERVAL_MIN, { message: SYNC_INTERVAL_MESSAGE }),
  Max(SYNC_INTERVAL_MAX, { message: SYNC_INTERVAL_MESSAGE }),
);

@InputType()
export class ExcludedFieldsInput {
  @Field({ description: "ServiceNow table: incident, change_request, sys_user, …" })
  table: string;

  @Field(() => [String], { description: "ServiceNow field names, e.g. description." })
  @ArrayMaxSize(200, { message: "at most 200 excluded fields per table" })
  fields: string[];
}

/** Secrets (password, clientSecret) are write-only: accepted here, never returned. */
@InputType()
export class CreateIntegrationInput {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  @DescriptionRules()
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @TagsRules()
  tags?: string[] | null;

  @Field({ description: "e.g. https://acme.service-now.com" })
  url: string;

  @Field(() => Deployment, { defaultValue: Deployment.CLOUD })
  deployment: Deployment;

  @Field(() => AuthMethod, { defaultValue: AuthMethod.BASIC })
  authMethod: AuthMethod;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true, description: "Write-only." })
  password?: string | null;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => String, { nullable: true, description: "Write-only." })
  clientSecret?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "AWS Secrets Manager secret (ARN or name) holding username/password or client_id/client_secret, instead of passing them here.",
  })
  awsSecretId?: string | null;

  @Field(() => [ExcludedFieldsInput], { nullable: true })
  @ExcludedFieldsRules()
  excludedFields?: ExcludedFieldsInput[] | null;

  @Field(() => GraphQLEmailAddress, { nullable: true })
  ownerEmail?: string | null;

  @Field(() => String, { nullable: true })
  @ContactRules()
  contact?: string | null;

  @Field(() => Int, { nullable: true })
  @ExpectedTransactionsRules()
  expectedTransactionsPerDay?: number | null;

  @Field(() => String, { nullable: true })
  @DefaultAssignmentGroupRules()
  defaultAssignmentGroup?: string | null;

  @Field(() => Int, { nullable: true, description: "Minutes between syncs (default 60)." })
  @SyncIntervalRules()
  syncIntervalMinutes?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Default true." })
  enabled?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Allow the incident mutations to write to ServiceNow (default false).",
  })
  writeEnabled?: boolean | null;
}

/** Every field optional; pass null to clear an optional setting. */
@InputType()
export class UpdateIntegrationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  @DescriptionRules()
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @TagsRules()
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => Deployment, { nullable: true })
  deployment?: Deployment | null;

  @Field(() => AuthMethod, { nullable: true })
  authMethod?: AuthMethod | null;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true, description: "Write-only." })
  password?: string | null;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => String, { nullable: true, description: "Write-only." })
  clientSecret?: string | null;

  @Field(() => String, { nullable: true })
  awsSecretId?: string | null;

  @Field(() => [ExcludedFieldsInput], { nullable: true })
  @ExcludedFieldsRules()
  excludedFields?: ExcludedFieldsInput[] | null;

  @Field(() => GraphQLEmailAddress, { nullable: true })
  ownerEmail?: string | null;

  @Field(() => String, { nullable: true })
  @ContactRules()
  contact?: string | null;

  @Field(() => Int, { nullable: true })
  @ExpectedTransactionsRules()
  expectedTransactionsPerDay?: number | null;

  @Field(() => String, { nullable: true })
  @DefaultAssignmentGroupRules()
  defaultAssignmentGroup?: string | null;

  @Field(() => Int, { nullable: true })
  @SyncIntervalRules()
  syncIntervalMinutes?: number | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  writeEnabled?: boolean | null;
}
