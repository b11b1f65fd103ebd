import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddInsightsIndexes1796300100000 implements MigrationInterface {
  name = "AddInsightsIndexes1796300100000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "IDX_492f8f1401cc182d58a59233fc" ON "incident"  ("opened_at", "resolved_at", "closed_at", "state_value", "integration_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_bca97305b3d09cf11fee528c31" ON "incident"  ("integration_id", "assignment_group_sys_id", "opened_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b45e74641a9bec40deabff2319" ON "change_request"  ("state_value", "closed_at", "work_end_at", "planned_end_at", "integration_id", "sys_id", "close_code") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_b45e74641a9bec40deabff2319"');
    await queryRunner.query('DROP INDEX "public"."IDX_bca97305b3d09cf11fee528c31"');
    await queryRunner.query('DROP INDEX "public"."IDX_492f8f1401cc182d58a59233fc"');
  }
}
