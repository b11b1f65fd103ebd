import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { Column, PrimaryGeneratedColumn } from "typeorm";

import { DateTimeColumn, JsonColumn } from "./column-types";

/**
 * Columns every cached ServiceNow record has. Concrete entities declare the
 * unique `(integrationId, sysId)` index themselves (TypeORM indices are per table).
 */
@ObjectType()
export abstract class ServiceNowRecordEntity {
  /** Surrogate key: a compact, stable tiebreaker for keyset pagination and joins. */
  @PrimaryGeneratedColumn()
  id: number;

  @Field(() => ID)
  @Column({ type: "varchar", length: 36 })
  integrationId: string;

  @Field({ description: "ServiceNow sys_id (32 hex characters)." })
  @Column({ type: "varchar", length: 32 })
  sysId: string;

  @Field(() => Date)
  @DateTimeColumn()
  sysCreatedOn: Date;

  /** Journal entries are written once: their sys_updated_on is their sys_created_on. */
  @Field(() => Date)
  @DateTimeColumn()
  sysUpdatedOn: Date;

  /** Every other returned field (minus excluded ones), so custom fields need no re-sync. */
  @Field(() => GraphQLJSONObject, {
    description:
      "Every other field ServiceNow returned for this record (raw values), minus excluded fields.",
  })
  @JsonColumn()
  attributes: Record<string, string>;

  @DateTimeColumn()
  syncedAt: Date;
}
