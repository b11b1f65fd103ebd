import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddChangeRequestClosedAt1796229984748 implements MigrationInterface {
  name = "AddChangeRequestClosedAt1796229984748";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "change_request" ADD "closed_at" TIMESTAMP WITH TIME ZONE',
    );
    // The rows cached so far lack closed_at: the next run re-reads the table from the start.
    await queryRunner.query(
      'UPDATE "sync_state" SET "watermark_time" = NULL, "watermark_sys_id" = NULL, "overlap_from" = NULL WHERE "table_name" = \'change_request\'',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "change_request" DROP COLUMN "closed_at"');
  }
}
