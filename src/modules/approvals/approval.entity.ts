import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

@ObjectType({ description: "An approval (table `sysapproval_approver`)." })
@Entity("approval")
@Index(["integrationId", "sysId"], { unique: true })
@Index(["integrationId", "documentSysId"])
export class Approval extends ServiceNowRecordEntity {
  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  approverSysId: string | null;

  @Field(() => String, {
    nullable: true,
    description: "requested, approved, rejected, cancelled, not_required, …",
  })
  @Column({ type: "varchar", length: 40, nullable: true })
  state: string | null;

  @Field(() => String, { nullable: true, description: "sys_id of the approved record." })
  @Column({ type: "varchar", length: 32, nullable: true })
  documentSysId: string | null;

  @Field(() => String, { nullable: true, description: "Table of the approved record." })
  @Column({ type: "varchar", length: 80, nullable: true })
  sourceTable: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  comments: string | null;
}
