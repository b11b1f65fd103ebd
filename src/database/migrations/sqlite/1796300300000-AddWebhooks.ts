import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddWebhooks1796300300000 implements MigrationInterface {
  name = "AddWebhooks1796300300000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "webhook_delivery" ("integration_id" varchar(36) NOT NULL, "signature" varchar(64) NOT NULL, "expires_at" datetime NOT NULL, PRIMARY KEY ("integration_id", "signature"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_52f50d559fad96ba46cf69e48d" ON "webhook_delivery" ("expires_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_secret" ("integration_id" varchar(36) PRIMARY KEY NOT NULL, "secret_cipher" text NOT NULL, "previous_secret_cipher" text, "previous_valid_until" datetime, "created_at" datetime NOT NULL, "last_accepted_at" datetime)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "webhook_secret"');
    await queryRunner.query('DROP INDEX "IDX_52f50d559fad96ba46cf69e48d"');
    await queryRunner.query('DROP TABLE "webhook_delivery"');
  }
}
