import { Field, ObjectType } from "type-graphql";
import { Column, Entity, Index } from "typeorm";

import { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";

@ObjectType({ description: "A ServiceNow user (table `sys_user`)." })
@Entity("sn_user")
@Index(["integrationId", "sysId"], { unique: true })
@Index(["integrationId", "userName"])
@Index(["userName", "id"])
@Index(["name", "id"])
export class User extends ServiceNowRecordEntity {
  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  userName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  name: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  lastName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  employeeNumber: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true, description: "sys_id of the cmn_department." })
  @Column({ type: "varchar", length: 32, nullable: true })
  departmentSysId: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 32, nullable: true })
  managerSysId: string | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  active: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @Column({ type: "boolean", nullable: true })
  lockedOut: boolean | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 64, nullable: true })
  timeZone: string | null;
}
