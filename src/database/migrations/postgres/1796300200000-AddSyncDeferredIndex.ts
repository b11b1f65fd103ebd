import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncDeferredIndex1796300200000 implements MigrationInterface {
  name = "AddSyncDeferredIndex1796300200000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sync_deferred_index" ("name" character varying(200) NOT NULL, "table_name" character varying(200) NOT NULL, "definition" text NOT NULL, CONSTRAINT "PK_e749bf8b8f2c45f67050a6717c9" PRIMARY KEY ("name"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sync_deferred_index"');
  }
}
