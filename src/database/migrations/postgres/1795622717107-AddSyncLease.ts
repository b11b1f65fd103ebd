import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddSyncLease1795622717107 implements MigrationInterface {
  name = "AddSyncLease1795622717107";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "sync_lease" ("integration_id" character varying(36) NOT NULL, "holder" character varying(100) NOT NULL, "expires_at_ms" bigint NOT NULL, CONSTRAINT "PK_beb7e840b19de0aa6eba20150bf" PRIMARY KEY ("integration_id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "sync_lease"');
  }
}
