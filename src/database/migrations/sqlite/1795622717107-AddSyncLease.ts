import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncLease1795622717107 implements MigrationInterface {
  name = "AddSyncLease1795622717107";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sync_lease" ("integration_id" varchar(36) PRIMARY KEY NOT NULL, "holder" varchar(100) NOT NULL, "expires_at_ms" bigint NOT NULL)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sync_lease"');
  }
}
