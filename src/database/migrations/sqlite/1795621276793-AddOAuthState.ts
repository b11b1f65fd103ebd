import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddOAuthState1795621276793 implements MigrationInterface {
  name = "AddOAuthState1795621276793";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "oauth_state" ("state_digest" varchar(64) PRIMARY KEY NOT NULL, "integration_id" varchar(36) NOT NULL, "expires_at" datetime NOT NULL, "used_at" datetime, "created_at" datetime NOT NULL)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_732ea6fe5ff6bd9ca4e877ef5a" ON "oauth_state" ("integration_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "IDX_732ea6fe5ff6bd9ca4e877ef5a"');
    await queryRunner.query('DROP TABLE "oauth_state"');
  }
}
