import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncDeferredIndex1796300200000 implements MigrationInterface {
  name = "AddSyncDeferredIndex1796300200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sync_deferred_index" ("name" varchar(200) PRIMARY KEY NOT NULL, "table_name" varchar(200) NOT NULL, "definition" text NOT NULL)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sync_deferred_index"');
  }
}
