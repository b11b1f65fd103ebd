import type { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795621038097 implements MigrationInterface {
  name = "Initial1795621038097";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "approval" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "approver_sys_id" character varying(32), "state" character varying(40), "document_sys_id" character varying(32), "source_table" character varying(80), "comments" text, CONSTRAINT "PK_97bfd1cd9dff3c1302229da6b5c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e9f08af0873b73f48895bc3e38" ON "approval"  ("integration_id", "document_sys_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_d916bed12b73cac1297c9881ab" ON "approval"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "change_request" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "number" character varying(40), "short_description" text, "description" text, "type" character varying(40), "state_value" character varying(40), "state_label" character varying(100), "priority" integer, "impact" integer, "risk" integer, "category" character varying(100), "business_service_sys_id" character varying(32), "cmdb_ci_sys_id" character varying(32), "assignment_group_sys_id" character varying(32), "assigned_to_sys_id" character varying(32), "requested_by_sys_id" character varying(32), "planned_start_at" TIMESTAMP WITH TIME ZONE, "planned_end_at" TIMESTAMP WITH TIME ZONE, "work_start_at" TIMESTAMP WITH TIME ZONE, "work_end_at" TIMESTAMP WITH TIME ZONE, "approval" character varying(40), "close_code" character varying(100), "close_notes" text, "active" boolean, "sys_mod_count" integer, CONSTRAINT "PK_75687d06f07daedcb0de54d75e6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_096c6195c14633ad5efeea42ba" ON "change_request"  ("assigned_to_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5185ec413afa0d4483fc4b1079" ON "change_request"  ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8321ea3502a24a28f5b7a486af" ON "change_request"  ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4bbc90bdfc7f52dca7a4efb911" ON "change_request"  ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_96dfe64bb896e3ba1d5e191f13" ON "change_request"  ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ee5a2101cc8a48afa7d582cd5f" ON "change_request"  ("planned_start_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b0a2d6d1a3d3caf1878ed8c7bc" ON "change_request"  ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8bfcd23ca3d8454497e1151ad9" ON "change_request"  ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e49b2d7ac9e84055f6cf5c4857" ON "change_request"  ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_5febd8884b3f2d7d02fd34b90a" ON "change_request"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "incident" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "number" character varying(40), "short_description" text, "description" text, "state_value" character varying(40), "state_label" character varying(100), "priority" integer, "priority_label" character varying(100), "impact" integer, "urgency" integer, "severity" integer, "category" character varying(100), "subcategory" character varying(100), "contact_type" character varying(40), "caller_sys_id" character varying(32), "opened_by_sys_id" character varying(32), "opened_at" TIMESTAMP WITH TIME ZONE, "assignment_group_sys_id" character varying(32), "assigned_to_sys_id" character varying(32), "reassignment_count" integer, "reopen_count" integer, "hold_reason" character varying(40), "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by_sys_id" character varying(32), "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by_sys_id" character varying(32), "sla_due" TIMESTAMP WITH TIME ZONE, "close_code" character varying(100), "close_notes" text, "caused_by_sys_id" character varying(32), "rfc_sys_id" character varying(32), "business_service_sys_id" character varying(32), "cmdb_ci_sys_id" character varying(32), "business_duration_seconds" integer, "calendar_duration_seconds" integer, "active" boolean, "sys_mod_count" integer, CONSTRAINT "PK_5f90b28b0b8238d89ee8edcf96e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_745640e8b3d29256abdcadb38d" ON "incident"  ("rfc_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9ad998cdcbb9d0ffa52636c76a" ON "incident"  ("caused_by_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1d1e3913aa4c1a35fe34f5b654" ON "incident"  ("caller_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_edaa643a325c83f720024622a6" ON "incident"  ("assigned_to_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0bac24b938dffe3524f90940c6" ON "incident"  ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fb85cb04808da05433e52b640d" ON "incident"  ("integration_id", "opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0066b9d3f0c4930e1fccf3fd0c" ON "incident"  ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5a73a4988fff51dffc1e9a5829" ON "incident"  ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_dc51c5d22f053dcc723eec12db" ON "incident"  ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d8cbc8b1214cd4c35c6208f404" ON "incident"  ("closed_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_65f1442a6ca9b046382ee774af" ON "incident"  ("resolved_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_29fcdb4f6c6a5e9cc04c5722f5" ON "incident"  ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4471e1ce938da00bafe0dbbb27" ON "incident"  ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_56edc4820cc4b0dc515868f405" ON "incident"  ("opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8e557556f2856e11f5b530b95f" ON "incident"  ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_021bd13df23ed1a5f08877c479" ON "incident"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "integration" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "name" character varying(200) NOT NULL, "description" text, "tags" jsonb NOT NULL, "url" character varying(2048) NOT NULL, "deployment" character varying(16) NOT NULL, "auth_method" character varying(16) NOT NULL, "username" character varying(255), "password_cipher" text, "client_id" character varying(255), "client_secret_cipher" text, "aws_secret_id" character varying(2048), "access_token_cipher" text, "refresh_token_cipher" text, "access_token_expires_at" TIMESTAMP WITH TIME ZONE, "excluded_fields" jsonb NOT NULL, "owner_email" character varying(320), "contact" character varying(320), "expected_transactions_per_day" integer, "default_assignment_group" character varying(255), "sync_interval_minutes" integer NOT NULL DEFAULT \'60\', "enabled" boolean NOT NULL DEFAULT true, "status" character varying(32) NOT NULL DEFAULT \'PENDING\', "status_reason" text, "last_validation" jsonb, "user_time_zone" character varying(64), "last_synced_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_52d7fa32a7832b377fc2d7f6199" UNIQUE ("name"), CONSTRAINT "PK_f348d4694945d9dc4c7049a178a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "journal_entry" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "element_sys_id" character varying(32) NOT NULL, "table_name" character varying(80) NOT NULL, "element" character varying(40) NOT NULL, "value" text, "created_by" character varying(255), CONSTRAINT "PK_69167f660c807d2aa178f0bd7e6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_83a93fe366581c37a5f67be6ab" ON "journal_entry"  ("integration_id", "element_sys_id", "sys_created_on") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_20323fe8257d34634082a68755" ON "journal_entry"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sn_user_group" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "name" character varying(255), "description" text, "email" character varying(320), "manager_sys_id" character varying(32), "active" boolean, CONSTRAINT "PK_0383c3c9648c3ff9fb2e9c59f62" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_4f36a388b9a0823ecf5689cf81" ON "sn_user_group"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sn_user" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "user_name" character varying(255), "name" character varying(255), "first_name" character varying(255), "last_name" character varying(255), "email" character varying(320), "employee_number" character varying(100), "title" character varying(255), "department_sys_id" character varying(32), "manager_sys_id" character varying(32), "active" boolean, "locked_out" boolean, "time_zone" character varying(64), CONSTRAINT "PK_a86a8b1b3c382e69314976d264a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_66dfdc4325f539d4d3626688b4" ON "sn_user"  ("name", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0b0d2d651a0afa6546b90fa86a" ON "sn_user"  ("user_name", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5851417794a45015ef36344fca" ON "sn_user"  ("integration_id", "user_name") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_eafd3115b11de5122f0f1a7fce" ON "sn_user"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sync_run" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "integration_id" character varying(36) NOT NULL, "status" character varying(16) NOT NULL, "trigger" character varying(16) NOT NULL, "mode" character varying(16) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "duration_ms" integer, "error" text, "error_code" character varying(40), "tables" jsonb NOT NULL, CONSTRAINT "PK_ab1387853fd86ea904a21058b01" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_cadf919a83dca8d59104a624b2" ON "sync_run"  ("started_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2f47fdf0dbe3b8def15e321b50" ON "sync_run"  ("integration_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sync_state" ("integration_id" character varying(36) NOT NULL, "table_name" character varying(80) NOT NULL, "watermark_time" TIMESTAMP WITH TIME ZONE, "watermark_sys_id" character varying(32), "last_full_sync_at" TIMESTAMP WITH TIME ZONE, "last_reconciled_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5bcabdbbe500e354cfb274e50ec" PRIMARY KEY ("integration_id", "table_name"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sync_state"');
    await queryRunner.query('DROP INDEX "public"."IDX_2f47fdf0dbe3b8def15e321b50"');
    await queryRunner.query('DROP INDEX "public"."IDX_cadf919a83dca8d59104a624b2"');
    await queryRunner.query('DROP TABLE "sync_run"');
    await queryRunner.query('DROP INDEX "public"."IDX_eafd3115b11de5122f0f1a7fce"');
    await queryRunner.query('DROP INDEX "public"."IDX_5851417794a45015ef36344fca"');
    await queryRunner.query('DROP INDEX "public"."IDX_0b0d2d651a0afa6546b90fa86a"');
    await queryRunner.query('DROP INDEX "public"."IDX_66dfdc4325f539d4d3626688b4"');
    await queryRunner.query('DROP TABLE "sn_user"');
    await queryRunner.query('DROP INDEX "public"."IDX_4f36a388b9a0823ecf5689cf81"');
    await queryRunner.query('DROP TABLE "sn_user_group"');
    await queryRunner.query('DROP INDEX "public"."IDX_20323fe8257d34634082a68755"');
    await queryRunner.query('DROP INDEX "public"."IDX_83a93fe366581c37a5f67be6ab"');
    await queryRunner.query('DROP TABLE "journal_entry"');
    await queryRunner.query('DROP TABLE "integration"');
    await queryRunner.query('DROP INDEX "public"."IDX_021bd13df23ed1a5f08877c479"');
    await queryRunner.query('DROP INDEX "public"."IDX_8e557556f2856e11f5b530b95f"');
    await queryRunner.query('DROP INDEX "public"."IDX_56edc4820cc4b0dc515868f405"');
    await queryRunner.query('DROP INDEX "public"."IDX_4471e1ce938da00bafe0dbbb27"');
    await queryRunner.query('DROP INDEX "public"."IDX_29fcdb4f6c6a5e9cc04c5722f5"');
    await queryRunner.query('DROP INDEX "public"."IDX_65f1442a6ca9b046382ee774af"');
    await queryRunner.query('DROP INDEX "public"."IDX_d8cbc8b1214cd4c35c6208f404"');
    await queryRunner.query('DROP INDEX "public"."IDX_dc51c5d22f053dcc723eec12db"');
    await queryRunner.query('DROP INDEX "public"."IDX_5a73a4988fff51dffc1e9a5829"');
    await queryRunner.query('DROP INDEX "public"."IDX_0066b9d3f0c4930e1fccf3fd0c"');
    await queryRunner.query('DROP INDEX "public"."IDX_fb85cb04808da05433e52b640d"');
    await queryRunner.query('DROP INDEX "public"."IDX_0bac24b938dffe3524f90940c6"');
    await queryRunner.query('DROP INDEX "public"."IDX_edaa643a325c83f720024622a6"');
    await queryRunner.query('DROP INDEX "public"."IDX_1d1e3913aa4c1a35fe34f5b654"');
    await queryRunner.query('DROP INDEX "public"."IDX_9ad998cdcbb9d0ffa52636c76a"');
    await queryRunner.query('DROP INDEX "public"."IDX_745640e8b3d29256abdcadb38d"');
    await queryRunner.query('DROP TABLE "incident"');
    await queryRunner.query('DROP INDEX "public"."IDX_5febd8884b3f2d7d02fd34b90a"');
    await queryRunner.query('DROP INDEX "public"."IDX_e49b2d7ac9e84055f6cf5c4857"');
    await queryRunner.query('DROP INDEX "public"."IDX_8bfcd23ca3d8454497e1151ad9"');
    await queryRunner.query('DROP INDEX "public"."IDX_b0a2d6d1a3d3caf1878ed8c7bc"');
    await queryRunner.query('DROP INDEX "public"."IDX_ee5a2101cc8a48afa7d582cd5f"');
    await queryRunner.query('DROP INDEX "public"."IDX_96dfe64bb896e3ba1d5e191f13"');
    await queryRunner.query('DROP INDEX "public"."IDX_4bbc90bdfc7f52dca7a4efb911"');
    await queryRunner.query('DROP INDEX "public"."IDX_8321ea3502a24a28f5b7a486af"');
    await queryRunner.query('DROP INDEX "public"."IDX_5185ec413afa0d4483fc4b1079"');
    await queryRunner.query('DROP INDEX "public"."IDX_096c6195c14633ad5efeea42ba"');
    await queryRunner.query('DROP TABLE "change_request"');
    await queryRunner.query('DROP INDEX "public"."IDX_d916bed12b73cac1297c9881ab"');
    await queryRunner.query('DROP INDEX "public"."IDX_e9f08af0873b73f48895bc3e38"');
    await queryRunner.query('DROP TABLE "approval"');
  }
}
