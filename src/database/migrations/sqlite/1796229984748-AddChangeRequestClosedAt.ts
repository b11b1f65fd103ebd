import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddChangeRequestClosedAt1796229984748 implements MigrationInterface {
  name = "AddChangeRequestClosedAt1796229984748";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_5febd8884b3f2d7d02fd34b90a"');
    await queryRunner.query('DROP INDEX "IDX_e49b2d7ac9e84055f6cf5c4857"');
    await queryRunner.query('DROP INDEX "IDX_8bfcd23ca3d8454497e1151ad9"');
    await queryRunner.query('DROP INDEX "IDX_b0a2d6d1a3d3caf1878ed8c7bc"');
    await queryRunner.query('DROP INDEX "IDX_ee5a2101cc8a48afa7d582cd5f"');
    await queryRunner.query('DROP INDEX "IDX_96dfe64bb896e3ba1d5e191f13"');
    await queryRunner.query('DROP INDEX "IDX_4bbc90bdfc7f52dca7a4efb911"');
    await queryRunner.query('DROP INDEX "IDX_8321ea3502a24a28f5b7a486af"');
    await queryRunner.query('DROP INDEX "IDX_5185ec413afa0d4483fc4b1079"');
    await queryRunner.query('DROP INDEX "IDX_096c6195c14633ad5efeea42ba"');
    await queryRunner.query(
      'CREATE TABLE "temporary_change_request" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32) NOT NULL, "sys_created_on" datetime NOT NULL, "sys_updated_on" datetime NOT NULL, "attributes" json NOT NULL, "synced_at" datetime NOT NULL, "number" varchar(40), "short_description" text, "description" text, "type" varchar(40), "state_value" varchar(40), "state_label" varchar(100), "priority" integer, "impact" integer, "risk" integer, "category" varchar(100), "business_service_sys_id" varchar(32), "cmdb_ci_sys_id" varchar(32), "assignment_group_sys_id" varchar(32), "assigned_to_sys_id" varchar(32), "requested_by_sys_id" varchar(32), "planned_start_at" datetime, "planned_end_at" datetime, "work_start_at" datetime, "work_end_at" datetime, "approval" varchar(40), "close_code" varchar(100), "close_notes" text, "active" boolean, "sys_mod_count" integer, "closed_at" datetime)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_change_request"("id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "type", "state_value", "state_label", "priority", "impact", "risk", "category", "business_service_sys_id", "cmdb_ci_sys_id", "assignment_group_sys_id", "assigned_to_sys_id", "requested_by_sys_id", "planned_start_at", "planned_end_at", "work_start_at", "work_end_at", "approval", "close_code", "close_notes", "active", "sys_mod_count") SELECT "id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "type", "state_value", "state_label", "priority", "impact", "risk", "category", "business_service_sys_id", "cmdb_ci_sys_id", "assignment_group_sys_id", "assigned_to_sys_id", "requested_by_sys_id", "planned_start_at", "planned_end_at", "work_start_at", "work_end_at", "approval", "close_code", "close_notes", "active", "sys_mod_count" FROM "change_request"',
    );
    await queryRunner.query('DROP TABLE "change_request"');
    await queryRunner.query('ALTER TABLE "temporary_change_request" RENAME TO "change_request"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_5febd8884b3f2d7d02fd34b90a" ON "change_request" ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e49b2d7ac9e84055f6cf5c4857" ON "change_request" ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8bfcd23ca3d8454497e1151ad9" ON "change_request" ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b0a2d6d1a3d3caf1878ed8c7bc" ON "change_request" ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ee5a2101cc8a48afa7d582cd5f" ON "change_request" ("planned_start_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_96dfe64bb896e3ba1d5e191f13" ON "change_request" ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4bbc90bdfc7f52dca7a4efb911" ON "change_request" ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8321ea3502a24a28f5b7a486af" ON "change_request" ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5185ec413afa0d4483fc4b1079" ON "change_request" ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_096c6195c14633ad5efeea42ba" ON "change_request" ("assigned_to_sys_id") ',
    );
    // The rows cached so far lack closed_at: the next run re-reads the table from the start.
    await queryRunner.query(
      'UPDATE "sync_state" SET "watermark_time" = NULL, "watermark_sys_id" = NULL, "overlap_from" = NULL WHERE "table_name" = \'change_request\'',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_096c6195c14633ad5efeea42ba"');
    await queryRunner.query('DROP INDEX "IDX_5185ec413afa0d4483fc4b1079"');
    await queryRunner.query('DROP INDEX "IDX_8321ea3502a24a28f5b7a486af"');
    await queryRunner.query('DROP INDEX "IDX_4bbc90bdfc7f52dca7a4efb911"');
    await queryRunner.query('DROP INDEX "IDX_96dfe64bb896e3ba1d5e191f13"');
    await queryRunner.query('DROP INDEX "IDX_ee5a2101cc8a48afa7d582cd5f"');
    await queryRunner.query('DROP INDEX "IDX_b0a2d6d1a3d3caf1878ed8c7bc"');
    await queryRunner.query('DROP INDEX "IDX_8bfcd23ca3d8454497e1151ad9"');
    await queryRunner.query('DROP INDEX "IDX_e49b2d7ac9e84055f6cf5c4857"');
    await queryRunner.query('DROP INDEX "IDX_5febd8884b3f2d7d02fd34b90a"');
    await queryRunner.query('ALTER TABLE "change_request" RENAME TO "temporary_change_request"');
    await queryRunner.query(
      'CREATE TABLE "change_request" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32) NOT NULL, "sys_created_on" datetime NOT NULL, "sys_updated_on" datetime NOT NULL, "attributes" json NOT NULL, "synced_at" datetime NOT NULL, "number" varchar(40), "short_description" text, "description" text, "type" varchar(40), "state_value" varchar(40), "state_label" varchar(100), "priority" integer, "impact" integer, "risk" integer, "category" varchar(100), "business_service_sys_id" varchar(32), "cmdb_ci_sys_id" varchar(32), "assignment_group_sys_id" varchar(32), "assigned_to_sys_id" varchar(32), "requested_by_sys_id" varchar(32), "planned_start_at" datetime, "planned_end_at" datetime, "work_start_at" datetime, "work_end_at" datetime, "approval" varchar(40), "close_code" varchar(100), "close_notes" text, "active" boolean, "sys_mod_count" integer)',
    );
    await queryRunner.query(
      'INSERT INTO "change_request"("id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "type", "state_value", "state_label", "priority", "impact", "risk", "category", "business_service_sys_id", "cmdb_ci_sys_id", "assignment_group_sys_id", "assigned_to_sys_id", "requested_by_sys_id", "planned_start_at", "planned_end_at", "work_start_at", "work_end_at", "approval", "close_code", "close_notes", "active", "sys_mod_count") SELECT "id", "integration_id", "sys_id", "sys_created_on", "sys_updated_on", "attributes", "synced_at", "number", "short_description", "description", "type", "state_value", "state_label", "priority", "impact", "risk", "category", "business_service_sys_id", "cmdb_ci_sys_id", "assignment_group_sys_id", "assigned_to_sys_id", "requested_by_sys_id", "planned_start_at", "planned_end_at", "work_start_at", "work_end_at", "approval", "close_code", "close_notes", "active", "sys_mod_count" FROM "temporary_change_request"',
    );
    await queryRunner.query('DROP TABLE "temporary_change_request"');
    await queryRunner.query(
      'CREATE INDEX "IDX_096c6195c14633ad5efeea42ba" ON "change_request" ("assigned_to_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5185ec413afa0d4483fc4b1079" ON "change_request" ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8321ea3502a24a28f5b7a486af" ON "change_request" ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4bbc90bdfc7f52dca7a4efb911" ON "change_request" ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_96dfe64bb896e3ba1d5e191f13" ON "change_request" ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ee5a2101cc8a48afa7d582cd5f" ON "change_request" ("planned_start_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b0a2d6d1a3d3caf1878ed8c7bc" ON "change_request" ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8bfcd23ca3d8454497e1151ad9" ON "change_request" ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_e49b2d7ac9e84055f6cf5c4857" ON "change_request" ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_5febd8884b3f2d7d02fd34b90a" ON "change_request" ("integration_id", "sys_id") ',
    );
  }
}
