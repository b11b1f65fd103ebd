import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

@ObjectType({ description: "A ServiceNow assignment group (table `sys_user_group`)." })
@Entity("sn_user_group")
@Index(["integrationId", "sysId"], { unique: true })
export class UserGroup extends ServiceNowRecordEntity {
  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  managerSysId: string | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  active: boolean | null;
}
