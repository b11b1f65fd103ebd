import { GraphQLEmailAddress } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";

import { DateTimeColumn, dateTimeColumnType, JsonColumn } from "../../database/column-types";
import { AuthMethod, CheckStatus, Deployment, IntegrationStatus } from "./integration.enums";

@ObjectType()
export class ExcludedFields {
  @Field({ description: "ServiceNow table name, e.g. incident." })
  table: string;

  @Field(() => [String], { description: "ServiceNow field names never requested nor stored." })
  fields: string[];
}

@ObjectType()
export class ConnectionCheck {
  @Field()
  name: string;

  @Field(() => CheckStatus)
  status: CheckStatus;

  @Field()
  message: string;

  @Field(() => Int)
  durationMs: number;
}

@ObjectType()
export class ConnectionValidation {
  @Field()
  ok: boolean;

  @Field(() => Date)
  checkedAt: Date;

  @Field(() => [ConnectionCheck])
  checks: ConnectionCheck[];
}

/** Secrets are stored as `keyId:iv:tag:ciphertext` (AES-256-GCM) and never exposed. */
@ObjectType()
@Entity("integration")
export class Integration {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field()
  @Column({ type: "varchar", length: 200, unique: true })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  description: string | null;

  @Field(() => [String])
  @JsonColumn()
  tags: string[];

  @Field({ description: "Instance base URL, e.g. https://acme.service-now.com." })
  @Column({ type: "varchar", length: 2048 })
  url: string;

  @Field(() => Deployment)
  @Column({ type: "varchar", length: 16 })
  deployment: Deployment;

  @Field(() => AuthMethod)
  @Column({ type: "varchar", length: 16 })
  authMethod: AuthMethod;

  @Field(() => String, {
    nullable: true,
    description: "ServiceNow user name (BASIC, OAuth password grant).",
  })
  @Column({ type: "varchar", length: 255, nullable: true })
  username: string | null;

  @Column({ type: "text", nullable: true })
  passwordCipher: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  clientId: string | null;

  @Column({ type: "text", nullable: true })
  clientSecretCipher: string | null;

  @Field(() => String, {
    nullable: true,
    description: "AWS Secrets Manager secret (ARN or name) holding the credentials instead.",
  })
  @Column({ type: "varchar", length: 2048, nullable: true })
  awsSecretId: string | null;

  @Column({ type: "text", nullable: true })
  accessTokenCipher: string | null;

  @Column({ type: "text", nullable: true })
  refreshTokenCipher: string | null;

  @DateTimeColumn({ nullable: true })
  accessTokenExpiresAt: Date | null;

  @Field(() => [ExcludedFields])
  @JsonColumn()
  excludedFields: ExcludedFields[];

  @Field(() => GraphQLEmailAddress, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  ownerEmail: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  contact: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: "integer", nullable: true })
  expectedTransactionsPerDay: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The assignment group that supports this integration.",
  })
  @Column({ type: "varchar", length: 255, nullable: true })
  defaultAssignmentGroup: string | null;

  @Field(() => Int)
  @Column({ type: "integer", default: 60 })
  syncIntervalMinutes: number;

  @Field()
  @Column({ type: "boolean", default: true })
  enabled: boolean;

  @Field({ description: "Whether the incident mutations may write to ServiceNow." })
  @Column({ type: "boolean", default: false })
  writeEnabled: boolean;

  @Field(() => IntegrationStatus)
  @Column({ type: "varchar", length: 32, default: IntegrationStatus.PENDING })
  status: IntegrationStatus;

  @Field(() => String, { nullable: true, description: "Why the status is what it is, in words." })
  @Column({ type: "text", nullable: true })
  statusReason: string | null;

  @Field(() => ConnectionValidation, { nullable: true })
  @JsonColumn({ nullable: true })
  lastValidation: ConnectionValidation | null;

  @Field(() => String, {
    nullable: true,
    description: "The integration user's ServiceNow time zone (null: the instance default).",
  })
  @Column({ type: "varchar", length: 64, nullable: true })
  userTimeZone: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  lastSyncedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ type: dateTimeColumnType })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: dateTimeColumnType })
  updatedAt: Date;
}
