import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";
import { WriteOperation, WriteOutcome } from "./incident-write.enums";

/**
 * One write attempt (audit). The create that claims a correlation id also holds it in
 * `idempotencyKey`, unique per integration: that row decides which request sends the POST,
 * and every later request with the key answers the incident it records.
 */
@ObjectType("WriteLogEntry")
@Entity("write_log")
@Index(["integrationId", "at"])
@Index(["integrationId", "idempotencyKey"], { unique: true })
export class WriteLogEntry {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => Date, { description: "When the attempt started." })
  @DateTimeColumn()
  at: Date;

  @Field({ description: "The token's role: admin or writer." })
  @Column({ type: "varchar", length: 16 })
  role: string;

  @Field({ description: "The token's name (GATEWAY_WRITER_TOKENS name=token), never the token." })
  @Column({ type: "varchar", length: 100 })
  tokenName: string;

  @Field(() => WriteOperation)
  @Column({ type: "varchar", length: 32 })
  operation: WriteOperation;

  @Field(() => ID)
  @Column({ type: "varchar", length: 36 })
  integrationId: string;

  @Field(() => String, { nullable: true, description: "The incident written, once known." })
  @Column({ type: "varchar", length: 32, nullable: true })
  sysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  correlationId: string | null;

  /** The correlation id of the create that claimed it; null on every other row. */
  @Column({ type: "varchar", length: 100, nullable: true })
  idempotencyKey: string | null;

  @Field(() => WriteOutcome)
  @Column({ type: "varchar", length: 32 })
  outcome: WriteOutcome;

  @Field(() => Int, { nullable: true, description: "HTTP status ServiceNow answered, if any." })
  @Column({ type: "integer", nullable: true })
  servicenowStatus: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  durationMs: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong, in words (no secrets)." })
  @Column({ type: "text", nullable: true })
  error: string | null;

  /** Whether this attempt used one of the day's transactions. */
  @Column({ type: "boolean", default: false })
  transaction: boolean;
}
