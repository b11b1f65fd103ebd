import { Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { DateTimeColumn } from "../../database/column-types";
import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import { IncidentState, incidentStateOf } from "./incident.enums";

@ObjectType({ description: "A ServiceNow incident (table `incident`)." })
@Entity("incident")
@Index(["integrationId", "sysId"], { unique: true })
@Index(["integrationId", "number"])
@Index(["openedAt", "id"])
@Index(["sysUpdatedOn", "id"])
@Index(["sysCreatedOn", "id"])
@Index(["resolvedAt", "id"])
@Index(["closedAt", "id"])
@Index(["priority", "id"])
@Index(["stateValue", "id"])
@Index(["number", "id"])
@Index(["integrationId", "openedAt", "id"])
@Index(["assignmentGroupSysId"])
@Index(["assignedToSysId"])
@Index(["callerSysId"])
@Index(["causedBySysId"])
@Index(["rfcSysId"])
export class Incident extends ServiceNowRecordEntity {
  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true })
  number: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  shortDescription: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: "Raw state value, e.g. 6." })
  @Column({ type: "varchar", length: 40, nullable: true })
  stateValue: string | null;

  @Field(() => IncidentState, {
    nullable: true,
    description: "Known state; null when the instance uses a custom one (see stateValue).",
  })
  get state(): IncidentState | null {
    return incidentStateOf(this.stateValue);
  }

  @Field(() => String, { nullable: true, description: "State label, e.g. Resolved." })
  @Column({ type: "varchar", length: 100, nullable: true })
  stateLabel: string | null;

  @Field(() => Int, { nullable: true, description: "1 (Critical) to 5 (Planning)." })
  @Column({ type: "integer", nullable: true })
  priority: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  priorityLabel: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  impact: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  urgency: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  severity: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  category: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  subcategory: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true })
  contactType: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  callerSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  openedBySysId: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  openedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  assignmentGroupSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  assignedToSysId: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  reassignmentCount: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  reopenCount: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true })
  holdReason: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  resolvedBySysId: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  closedBySysId: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  slaDue: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  closeCode: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  closeNotes: string | null;

  @Field(() => String, { nullable: true, description: "sys_id of the change that caused it." })
  @Column({ type: "varchar", length: 32, nullable: true })
  causedBySysId: string | null;

  @Field(() => String, { nullable: true, description: "sys_id of the change that fixes it." })
  @Column({ type: "varchar", length: 32, nullable: true })
  rfcSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  businessServiceSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  cmdbCiSysId: string | null;

  @Field(() => Int, { nullable: true, description: "business_stc: business time to resolve (s)." })
  @Column({ type: "integer", nullable: true })
  businessDurationSeconds: number | null;

  @Field(() => Int, { nullable: true, description: "calendar_stc: calendar time to resolve (s)." })
  @Column({ type: "integer", nullable: true })
  calendarDurationSeconds: number | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  active: boolean | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  sysModCount: number | null;
}
