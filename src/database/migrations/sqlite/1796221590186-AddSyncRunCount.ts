import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncRunCount1796221590186 implements MigrationInterface {
  name = "AddSyncRunCount1796221590186";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_2f47fdf0dbe3b8def15e321b50"');
    await queryRunner.query('DROP INDEX "IDX_cadf919a83dca8d59104a624b2"');
    await queryRunner.query(
      'CREATE TABLE "temporary_sync_run" ("id" varchar PRIMARY KEY NOT NULL, "integration_id" varchar(36) NOT NULL, "status" varchar(16) NOT NULL, "trigger" varchar(16) NOT NULL, "mode" varchar(16) NOT NULL, "started_at" datetime NOT NULL, "finished_at" datetime, "duration_ms" integer, "error" text, "error_code" varchar(40), "tables" json NOT NULL, "run_count" integer NOT NULL DEFAULT (1), "first_started_at" datetime)',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_sync_run"("id", "integration_id", "status", "trigger", "mode", "started_at", "finished_at", "duration_ms", "error", "error_code", "tables") SELECT "id", "integration_id", "status", "trigger", "mode", "started_at", "finished_at", "duration_ms", "error", "error_code", "tables" FROM "sync_run"',
    );
    await queryRunner.query('DROP TABLE "sync_run"');
    await queryRunner.query('ALTER TABLE "temporary_sync_run" RENAME TO "sync_run"');
    await queryRunner.query(
      'CREATE INDEX "IDX_2f47fdf0dbe3b8def15e321b50" ON "sync_run" ("integration_id", "started_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_cadf919a83dca8d59104a624b2" ON "sync_run" ("started_at", "id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_cadf919a83dca8d59104a624b2"');
    await queryRunner.query('DROP INDEX "IDX_2f47fdf0dbe3b8def15e321b50"');
    await queryRunner.query('ALTER TABLE "sync_run" RENAME TO "temporary_sync_run"');
    await queryRunner.query(
      'CREATE TABLE "sync_run" ("id" varchar PRIMARY KEY NOT NULL, "integration_id" varchar(36) NOT NULL, "status" varchar(16) NOT NULL, "trigger" varchar(16) NOT NULL, "mode" varchar(16) NOT NULL, "started_at" datetime NOT NULL, "finished_at" datetime, "duration_ms" integer, "error" text, "error_code" varchar(40), "tables" json NOT NULL)',
    );
    await queryRunner.query(
      'INSERT INTO "sync_run"("id", "integration_id", "status", "trigger", "mode", "started_at", "finished_at", "duration_ms", "error", "error_code", "tables") SELECT "id", "integration_id", "status", "trigger", "mode", "started_at", "finished_at", "duration_ms", "error", "error_code", "tables" FROM "temporary_sync_run"',
    );
    await queryRunner.query('DROP TABLE "temporary_sync_run"');
    await queryRunner.query(
      'CREATE INDEX "IDX_cadf919a83dca8d59104a624b2" ON "sync_run" ("started_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_2f47fdf0dbe3b8def15e321b50" ON "sync_run" ("integration_id", "started_at") ',
    );
  }
}
