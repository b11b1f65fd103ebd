import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncStateOverlap1795624002355 implements MigrationInterface {
  name = "AddSyncStateOverlap1795624002355";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sync_state" ADD "overlap_from" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sync_state" DROP COLUMN "overlap_from"');
  }
}
