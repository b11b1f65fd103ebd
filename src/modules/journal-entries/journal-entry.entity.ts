import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

@ObjectType({ description: "A journal entry (table `sys_journal_field`): a comment or work note." })
@Entity("journal_entry")
@Index(["integrationId", "sysId"], { unique: true })
@Index(["integrationId", "elementSysId", "sysCreatedOn"])
export class JournalEntry extends ServiceNowRecordEntity {
  @Field({ description: "sys_id of the incident or change request it belongs to." })
  @Column({ type: "varchar", length: 32 })
  elementSysId: string;

  @Field({ description: "incident or change_request." })
  @Column({ type: "varchar", length: 80 })
  tableName: string;

  @Field({ description: "comments or work_notes." })
  @Column({ type: "varchar", length: 40 })
  element: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  value: string | null;

  @Field(() => String, { nullable: true, description: "user_name of the author." })
  @Column({ type: "varchar", length: 255, nullable: true })
  createdBy: string | null;
}
