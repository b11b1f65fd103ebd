import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddIncidentWrites1796231120448 implements MigrationInterface {
  name = "AddIncidentWrites1796231120448";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "write_allowance" ("integration_id" character varying(36) NOT NULL, "day" character varying(10) NOT NULL, "used" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_cc7fd68fb22c69c32501629b3c6" PRIMARY KEY ("integration_id", "day"))',
    );
    await queryRunner.query(
      'CREATE TABLE "write_log" ("id" uuid NOT NULL DEFAULT uuid_generate_v4(), "at" TIMESTAMP WITH TIME ZONE NOT NULL, "role" character varying(16) NOT NULL, "token_name" character varying(100) NOT NULL, "operation" character varying(32) NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32), "correlation_id" character varying(100), "idempotency_key" character varying(100), "outcome" character varying(32) NOT NULL, "servicenow_status" integer, "duration_ms" integer, "error" text, "transaction" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_9c555673aba6b95c396dab52713" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_92cd162ceaf90e44d70fb4c14b" ON "write_log"  ("integration_id", "idempotency_key") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_14c042e76b170d7eb29beaf91b" ON "write_log"  ("integration_id", "at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "integration" ADD "write_enabled" boolean NOT NULL DEFAULT false',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "integration" DROP COLUMN "write_enabled"');
    await queryRunner.query('DROP INDEX "public"."IDX_14c042e76b170d7eb29beaf91b"');
    await queryRunner.query('DROP INDEX "public"."IDX_92cd162ceaf90e44d70fb4c14b"');
    await queryRunner.query('DROP TABLE "write_log"');
    await queryRunner.query('DROP TABLE "write_allowance"');
  }
}
