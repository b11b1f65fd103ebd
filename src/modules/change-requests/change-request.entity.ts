import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";
import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import { ChangeRequestState, changeRequestStateOf } from "./change-request.enums";

@ObjectType({ description: "A ServiceNow change request (table `change_request`)." })
@Entity("change_request")
@Index(["integrationId", "sysId"], { unique: true })
@Index(["integrationId", "number"])
@Index(["sysUpdatedOn", "id"])
@Index(["sysCreatedOn", "id"])
@Index(["plannedStartAt", "id"])
@Index(["priority", "id"])
@Index(["stateValue", "id"])
@Index(["number", "id"])
@Index(["assignmentGroupSysId"])
@Index(["assignedToSysId"])
export class ChangeRequest extends ServiceNowRecordEntity {
  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true })
  number: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  shortDescription: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: "normal, standard or emergency." })
  @Column({ type: "varchar", length: 40, nullable: true })
  type: string | null;

  @Field(() => ChangeRequestState, {
    nullable: true,
    description: "Known state; null when the instance uses a custom one (see stateValue).",
  })
  get state(): ChangeRequestState | null {
    return changeRequestStateOf(this.stateValue);
  }

  @Field(() => String, { nullable: true, description: "Raw state value, e.g. -5." })
  @Column({ type: "varchar", length: 40, nullable: true })
  stateValue: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  stateLabel: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  priority: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  impact: number | null;

  @Field(() => Int, { nullable: true, description: "1 (very high) to 4 (low)." })
  @Column({ type: "integer", nullable: true })
  risk: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  category: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  businessServiceSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  cmdbCiSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  assignmentGroupSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  assignedToSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  requestedBySysId: string | null;

  @Field(() => Date, { nullable: true, description: "start_date: planned start." })
  @DateTimeColumn({ nullable: true })
  plannedStartAt: Date | null;

  @Field(() => Date, { nullable: true, description: "end_date: planned end." })
  @DateTimeColumn({ nullable: true })
  plannedEndAt: Date | null;

  @Field(() => Date, { nullable: true, description: "work_start: actual start." })
  @DateTimeColumn({ nullable: true })
  workStartAt: Date | null;

  @Field(() => Date, { nullable: true, description: "work_end: actual end." })
  @DateTimeColumn({ nullable: true })
  workEndAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Approval state: not yet requested, requested, approved, rejected.",
  })
  @Column({ type: "varchar", length: 40, nullable: true })
  approval: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  closeCode: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  closeNotes: string | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  active: boolean | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  sysModCount: number | null;
}
