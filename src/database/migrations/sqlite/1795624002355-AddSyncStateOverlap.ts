import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncStateOverlap1795624002355 implements MigrationInterface {
  name = "AddSyncStateOverlap1795624002355";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "temporary_sync_state" ("integration_id" varchar(36) NOT NULL, "table_name" varchar(80) NOT NULL, "watermark_time" datetime, "watermark_sys_id" varchar(32), "last_full_sync_at" datetime, "last_reconciled_at" datetime, "updated_at" datetime NOT NULL, "overlap_from" datetime, PRIMARY KEY ("integration_id", "table_name"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_sync_state"("integration_id", "table_name", "watermark_time", "watermark_sys_id", "last_full_sync_at", "last_reconciled_at", "updated_at") SELECT "integration_id", "table_name", "watermark_time", "watermark_sys_id", "last_full_sync_at", "last_reconciled_at", "updated_at" FROM "sync_state"',
    );
    await queryRunner.query('DROP TABLE "sync_state"');
    await queryRunner.query('ALTER TABLE "temporary_sync_state" RENAME TO "sync_state"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sync_state" RENAME TO "temporary_sync_state"');
    await queryRunner.query(
      'CREATE TABLE "sync_state" ("integration_id" varchar(36) NOT NULL, "table_name" varchar(80) NOT NULL, "watermark_time" datetime, "watermark_sys_id" varchar(32), "last_full_sync_at" datetime, "last_reconciled_at" datetime, "updated_at" datetime NOT NULL, PRIMARY KEY ("integration_id", "table_name"))',
    );
    await queryRunner.query(
      'INSERT INTO "sync_state"("integration_id", "table_name", "watermark_time", "watermark_sys_id", "last_full_sync_at", "last_reconciled_at", "updated_at") SELECT "integration_id", "table_name", "watermark_time", "watermark_sys_id", "last_full_sync_at", "last_reconciled_at", "updated_at" FROM "temporary_sync_state"',
    );
    await queryRunner.query('DROP TABLE "temporary_sync_state"');
  }
}
