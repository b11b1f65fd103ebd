import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncRunCount1796221590186 implements MigrationInterface {
  name = "AddSyncRunCount1796221590186";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "sync_run" ADD "run_count" integer NOT NULL DEFAULT \'1\'',
    );
    await queryRunner.query(
      'ALTER TABLE "sync_run" ADD "first_started_at" TIMESTAMP WITH TIME ZONE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sync_run" DROP COLUMN "first_started_at"');
    await queryRunner.query('ALTER TABLE "sync_run" DROP COLUMN "run_count"');
  }
}
