import { ArgsType, Field, ID, Int } from "type-graphql";

import { IsOptional, IsUUID, Max, MaxLength, Min } from "../argument-validation";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PaginationArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size: ${DEFAULT_PAGE_SIZE} by default, at most ${MAX_PAGE_SIZE}.`,
  })
  @IsOptional()
  @Min(1, { message: `first must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `first must be between 1 and ${MAX_PAGE_SIZE}` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "endCursor of the previous page." })
  @IsOptional()
  @MaxLength(2048, { message: "after is not a cursor this API issued" })
  after?: string | null;
}

@ArgsType()
export class ScopedPaginationArgs extends PaginationArgs {
  @Field(() => ID, { nullable: true, description: "Only this integration's records." })
  @IsOptional()
  @IsUUID("all", { message: "integrationId must be an integration id (a UUID)" })
  integrationId?: string | null;
}
