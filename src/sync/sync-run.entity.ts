import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

import { DateTimeColumn, JsonColumn } from "../database/column-types";
import { SyncMode, SyncRunStatus, SyncTrigger } from "./sync-run.enums";

@ObjectType({ description: "What one run did to one table." })
export class SyncTableCounts {
  @Field({ description: "ServiceNow table name." })
  table: string;

  @Field(() => Int)
  fetched: number;

  @Field(() => Int)
  upserted: number;

  @Field(() => Int)
  deleted: number;
}

@ObjectType({ description: "One synchronisation run of one integration." })
@Entity("sync_run")
@Index(["integrationId", "startedAt"])
@Index(["startedAt", "id"])
export class SyncRun {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => ID)
  @Column({ type: "varchar", length: 36 })
  integrationId: string;

  @Field(() => SyncRunStatus)
  @Column({ type: "varchar", length: 16 })
  status: SyncRunStatus;

  @Field(() => SyncTrigger)
  @Column({ type: "varchar", length: 16 })
  trigger: SyncTrigger;

  @Field(() => SyncMode)
  @Column({ type: "varchar", length: 16 })
  mode: SyncMode;

  @Field(() => Date)
  @DateTimeColumn()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  finishedAt: Date | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  durationMs: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  error: string | null;

  @Field(() => String, { nullable: true, description: "Machine-readable error code." })
  @Column({ type: "varchar", length: 40, nullable: true })
  errorCode: string | null;

  @Field(() => [SyncTableCounts])
  @JsonColumn()
  tables: SyncTableCounts[];

  @Field(() => Int, {
    description:
      "How many runs this row stands for: consecutive incremental runs with one trigger that found nothing to change are folded into the newest of them (whose times and counts the row shows); 1 for every other run.",
  })
  @Column({ type: "integer", default: 1 })
  runCount: number;

  @Field(() => Date, {
    nullable: true,
    description: "When runCount > 1: when the oldest of the folded runs started.",
  })
  @DateTimeColumn({ nullable: true })
  firstStartedAt: Date | null;
}
