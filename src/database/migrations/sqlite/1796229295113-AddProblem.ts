import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddProblem1796229295113 implements MigrationInterface {
  name = "AddProblem1796229295113";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "problem" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32) NOT NULL, "sys_created_on" datetime NOT NULL, "sys_updated_on" datetime NOT NULL, "attributes" json NOT NULL, "synced_at" datetime NOT NULL, "number" varchar(40), "short_description" text, "description" text, "state_value" varchar(40), "state_label" varchar(100), "priority" integer, "impact" integer, "urgency" integer, "category" varchar(100), "assignment_group_sys_id" varchar(32), "assigned_to_sys_id" varchar(32), "known_error" boolean, "cause_notes" text, "fix_notes" text, "workaround" text, "opened_by_sys_id" varchar(32), "opened_at" datetime, "resolved_by_sys_id" varchar(32), "resolved_at" datetime, "closed_by_sys_id" varchar(32), "closed_at" datetime, "active" boolean, "sys_mod_count" integer)',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_a2f2909fc21bd4360e00aa32f1" ON "problem" ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6aa00dbc33c5763ec2552c05c0" ON "problem" ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ad1db1cf66c2493c029e2d2221" ON "problem" ("opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f871b5c255d7aada97f1d61927" ON "problem" ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_188dc2357b34b25f596ca0c5fb" ON "problem" ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_110d5384871344d136a1587075" ON "problem" ("resolved_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9f12a12e0105de735026f3ade8" ON "problem" ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_83fe31ca3953ea5a01bcad035e" ON "problem" ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_18ec15f29852caaadd64fc9a4d" ON "problem" ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c8f9a2b009be270272a4736b0b" ON "problem" ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a63da6305ada42fba40dcc198e" ON "problem" ("assigned_to_sys_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_021bd13df23ed1a5f08877c479"');
    await queryRunner.query('DROP INDEX "IDX_8e557556f2856e11f5b530b95f"');
    await queryRunner.query('DROP INDEX "IDX_56edc4820cc4b0dc515868f405"');
    await queryRunner.query('DROP INDEX "IDX_4471e1ce938da00bafe0dbbb27"');
    await queryRunner.query('DROP INDEX "IDX_29fcdb4f6c6a5e9cc04c5722f5"');
    await queryRunner.query('DROP INDEX "IDX_65f1442a6ca9b046382ee774af"');
    await queryRunner.query('DROP INDEX "IDX_d8cbc8b1214cd4c35c6208f404"');
    await queryRunner.query('DROP INDEX "IDX_dc51c5d22f053dcc723eec12db"');
    await queryRunner.query('DROP INDEX "IDX_5a73a4988fff51dffc1e9a5829"');
    await queryRunner.query('DROP INDEX "IDX_0066b9d3f0c4930e1fccf3fd0c"');
    await queryRunner.query('DROP INDEX "IDX_fb85cb04808da05433e52b640d"');
    await queryRunner.query('DROP INDEX "IDX_0bac24b938dffe3524f90940c6"');
    await queryRunner.query('DROP INDEX "IDX_edaa643a325c83f720024622a6"');
    await queryRunner.query('DROP INDEX "IDX_1d1e3913aa4c1a35fe34f5b654"');
    await queryRunner.query('DROP INDEX "IDX_9ad998cdcbb9d0ffa52636c76a"');
    await queryRunner.query('DROP INDEX "IDX_745640e8b3d29256abdcadb38d"');
    await queryRunner.query(
      'CREATE TABLE "temporary_incident" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32) NOT NULL, "sys_created_on" datetime NOT NULL, "sys_updated_on" datetime NOT NULL, "attributes" json NOT NULL, "synced_at" datetime NOT NULL, "number" varchar(40), "short_description" text, "description" text, "state_value" varchar(40), "state_label" varchar(100), "priority" integer, "priority_label" varchar(100), "impact" integer, "urgency" integer, "severity" integer, "category" varchar(100), "subcategory" varchar(100), "contact_type" varchar(40), "caller_sys_id" varchar(32), "opened_by_sys_id" varchar(32), "opened_at" datetime, "assignment_group_sys_id" varchar(32), "assigned_to_sys_id" varchar(32), "reassignment_count" integer, "reopen_count" integer, "hold_reason" varchar(40), "resolved_at" datetime, "resolved_by_sys_id" varchar(32), "closed_at" datetime, "closed_by_sys_id" varchar(32), "sla_due" datetime, "close_code" varchar(100), "close_notes" text, "caused_by_sys_id" varchar(32), "rfc_sys_id" varchar(32), "business_service_sys_id" varchar(32), "cmdb_ci_sys_id" varchar(32), "business_duration_seconds" integer, "calendar_duration_seconds" integer, "active" boolean, "sys_mod_count" integer, "problem_sys_id" varchar(32))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_incident"("id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "state_value", "state_label", "priority", "priority_label", "impact", "urgency", "severity", "category", "subcategory", "contact_type", "caller_sys_id", "opened_by_sys_id", "opened_at", "assignment_group_sys_id", "assigned_to_sys_id", "reassignment_count", "reopen_count", "hold_reason", "resolved_at", "resolved_by_sys_id", "closed_at", "closed_by_sys_id", "sla_due", "close_code", "close_notes", "caused_by_sys_id", "rfc_sys_id", "business_service_sys_id", "cmdb_ci_sys_id", "business_duration_seconds", "calendar_duration_seconds", "active", "sys_mod_count") SELECT "id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "state_value", "state_label", "priority", "priority_label", "impact", "urgency", "severity", "category", "subcategory", "contact_type", "caller_sys_id", "opened_by_sys_id", "opened_at", "assignment_group_sys_id", "assigned_to_sys_id", "reassignment_count", "reopen_count", "hold_reason", "resolved_at", "resolved_by_sys_id", "closed_at", "closed_by_sys_id", "sla_due", "close_code", "close_notes", "caused_by_sys_id", "rfc_sys_id", "business_service_sys_id", "cmdb_ci_sys_id", "business_duration_seconds", "calendar_duration_seconds", "active", "sys_mod_count" FROM "incident"',
    );
    await queryRunner.query('DROP TABLE "incident"');
    await queryRunner.query('ALTER TABLE "temporary_incident" RENAME TO "incident"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_021bd13df23ed1a5f08877c479" ON "incident" ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8e557556f2856e11f5b530b95f" ON "incident" ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_56edc4820cc4b0dc515868f405" ON "incident" ("opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4471e1ce938da00bafe0dbbb27" ON "incident" ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_29fcdb4f6c6a5e9cc04c5722f5" ON "incident" ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_65f1442a6ca9b046382ee774af" ON "incident" ("resolved_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d8cbc8b1214cd4c35c6208f404" ON "incident" ("closed_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_dc51c5d22f053dcc723eec12db" ON "incident" ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5a73a4988fff51dffc1e9a5829" ON "incident" ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0066b9d3f0c4930e1fccf3fd0c" ON "incident" ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fb85cb04808da05433e52b640d" ON "incident" ("integration_id", "opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0bac24b938dffe3524f90940c6" ON "incident" ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_edaa643a325c83f720024622a6" ON "incident" ("assigned_to_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1d1e3913aa4c1a35fe34f5b654" ON "incident" ("caller_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9ad998cdcbb9d0ffa52636c76a" ON "incident" ("caused_by_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_745640e8b3d29256abdcadb38d" ON "incident" ("rfc_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_286300d865cf0d478a9a773438" ON "incident" ("problem_sys_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_286300d865cf0d478a9a773438"');
    await queryRunner.query('DROP INDEX "IDX_745640e8b3d29256abdcadb38d"');
    await queryRunner.query('DROP INDEX "IDX_9ad998cdcbb9d0ffa52636c76a"');
    await queryRunner.query('DROP INDEX "IDX_1d1e3913aa4c1a35fe34f5b654"');
    await queryRunner.query('DROP INDEX "IDX_edaa643a325c83f720024622a6"');
    await queryRunner.query('DROP INDEX "IDX_0bac24b938dffe3524f90940c6"');
    await queryRunner.query('DROP INDEX "IDX_fb85cb04808da05433e52b640d"');
    await queryRunner.query('DROP INDEX "IDX_0066b9d3f0c4930e1fccf3fd0c"');
    await queryRunner.query('DROP INDEX "IDX_5a73a4988fff51dffc1e9a5829"');
    await queryRunner.query('DROP INDEX "IDX_dc51c5d22f053dcc723eec12db"');
    await queryRunner.query('DROP INDEX "IDX_d8cbc8b1214cd4c35c6208f404"');
    await queryRunner.query('DROP INDEX "IDX_65f1442a6ca9b046382ee774af"');
    await queryRunner.query('DROP INDEX "IDX_29fcdb4f6c6a5e9cc04c5722f5"');
    await queryRunner.query('DROP INDEX "IDX_4471e1ce938da00bafe0dbbb27"');
    await queryRunner.query('DROP INDEX "IDX_56edc4820cc4b0dc515868f405"');
    await queryRunner.query('DROP INDEX "IDX_8e557556f2856e11f5b530b95f"');
    await queryRunner.query('DROP INDEX "IDX_021bd13df23ed1a5f08877c479"');
    await queryRunner.query('ALTER TABLE "incident" RENAME TO "temporary_incident"');
    await queryRunner.query(
      'CREATE TABLE "incident" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32) NOT NULL, "sys_created_on" datetime NOT NULL, "sys_updated_on" datetime NOT NULL, "attributes" json NOT NULL, "synced_at" datetime NOT NULL, "number" varchar(40), "short_description" text, "description" text, "state_value" varchar(40), "state_label" varchar(100), "priority" integer, "priority_label" varchar(100), "impact" integer, "urgency" integer, "severity" integer, "category" varchar(100), "subcategory" varchar(100), "contact_type" varchar(40), "caller_sys_id" varchar(32), "opened_by_sys_id" varchar(32), "opened_at" datetime, "assignment_group_sys_id" varchar(32), "assigned_to_sys_id" varchar(32), "reassignment_count" integer, "reopen_count" integer, "hold_reason" varchar(40), "resolved_at" datetime, "resolved_by_sys_id" varchar(32), "closed_at" datetime, "closed_by_sys_id" varchar(32), "sla_due" datetime, "close_code" varchar(100), "close_notes" text, "caused_by_sys_id" varchar(32), "rfc_sys_id" varchar(32), "business_service_sys_id" varchar(32), "cmdb_ci_sys_id" varchar(32), "business_duration_seconds" integer, "calendar_duration_seconds" integer, "active" boolean, "sys_mod_count" integer)',
    );
    await queryRunner.query(
      'INSERT INTO "incident"("id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "state_value", "state_label", "priority", "priority_label", "impact", "urgency", "severity", "category", "subcategory", "contact_type", "caller_sys_id", "opened_by_sys_id", "opened_at", "assignment_group_sys_id", "assigned_to_sys_id", "reassignment_count", "reopen_count", "hold_reason", "resolved_at", "resolved_by_sys_id", "closed_at", "closed_by_sys_id", "sla_due", "close_code", "close_notes", "caused_by_sys_id", "rfc_sys_id", "business_service_sys_id", "cmdb_ci_sys_id", "business_duration_seconds", "calendar_duration_seconds", "active", "sys_mod_count") SELECT "id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "state_value", "state_label", "priority", "priority_label", "impact", "urgency", "severity", "category", "subcategory", "contact_type", "caller_sys_id", "opened_by_sys_id", "opened_at", "assignment_group_sys_id", "assigned_to_sys_id", "reassignment_count", "reopen_count", "hold_reason", "resolved_at", "resolved_by_sys_id", "closed_at", "closed_by_sys_id", "sla_due", "close_code", "close_notes", "caused_by_sys_id", "rfc_sys_id", "business_service_sys_id", "cmdb_ci_sys_id", "business_duration_seconds", "calendar_duration_seconds", "active", "sys_mod_count" FROM "temporary_incident"',
    );
    await queryRunner.query('DROP TABLE "temporary_incident"');
    await queryRunner.query(
      'CREATE INDEX "IDX_745640e8b3d29256abdcadb38d" ON "incident" ("rfc_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9ad998cdcbb9d0ffa52636c76a" ON "incident" ("caused_by_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1d1e3913aa4c1a35fe34f5b654" ON "incident" ("caller_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_edaa643a325c83f720024622a6" ON "incident" ("assigned_to_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0bac24b938dffe3524f90940c6" ON "incident" ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_fb85cb04808da05433e52b640d" ON "incident" ("integration_id", "opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0066b9d3f0c4930e1fccf3fd0c" ON "incident" ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5a73a4988fff51dffc1e9a5829" ON "incident" ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_dc51c5d22f053dcc723eec12db" ON "incident" ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d8cbc8b1214cd4c35c6208f404" ON "incident" ("closed_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_65f1442a6ca9b046382ee774af" ON "incident" ("resolved_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_29fcdb4f6c6a5e9cc04c5722f5" ON "incident" ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4471e1ce938da00bafe0dbbb27" ON "incident" ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_56edc4820cc4b0dc515868f405" ON "incident" ("opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8e557556f2856e11f5b530b95f" ON "incident" ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_021bd13df23ed1a5f08877c479" ON "incident" ("integration_id", "sys_id") ',
    );
    await queryRunner.query('DROP INDEX "IDX_a63da6305ada42fba40dcc198e"');
    await queryRunner.query('DROP INDEX "IDX_c8f9a2b009be270272a4736b0b"');
    await queryRunner.query('DROP INDEX "IDX_18ec15f29852caaadd64fc9a4d"');
    await queryRunner.query('DROP INDEX "IDX_83fe31ca3953ea5a01bcad035e"');
    await queryRunner.query('DROP INDEX "IDX_9f12a12e0105de735026f3ade8"');
    await queryRunner.query('DROP INDEX "IDX_110d5384871344d136a1587075"');
    await queryRunner.query('DROP INDEX "IDX_188dc2357b34b25f596ca0c5fb"');
    await queryRunner.query('DROP INDEX "IDX_f871b5c255d7aada97f1d61927"');
    await queryRunner.query('DROP INDEX "IDX_ad1db1cf66c2493c029e2d2221"');
    await queryRunner.query('DROP INDEX "IDX_6aa00dbc33c5763ec2552c05c0"');
    await queryRunner.query('DROP INDEX "IDX_a2f2909fc21bd4360e00aa32f1"');
    await queryRunner.query('DROP TABLE "problem"');
  }
}
