import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddWebhooks1796300300000 implements MigrationInterface {
  name = "AddWebhooks1796300300000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "webhook_delivery" ("integration_id" character varying(36) NOT NULL, "signature" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0b66459632fc79d3b2a7788cc88" PRIMARY KEY ("integration_id", "signature"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_52f50d559fad96ba46cf69e48d" ON "webhook_delivery"  ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_secret" ("integration_id" character varying(36) NOT NULL, "secret_cipher" text NOT NULL, "previous_secret_cipher" text, "previous_valid_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_accepted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_aaac0042f0a51ea1ea5778c0261" PRIMARY KEY ("integration_id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "webhook_secret"');
    await queryRunner.query('DROP INDEX "public"."IDX_52f50d559fad96ba46cf69e48d"');
    await queryRunner.query('DROP TABLE "webhook_delivery"');
  }
}
