import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddOAuthState1795621276793 implements MigrationInterface {
  name = "AddOAuthState1795621276793";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "oauth_state" ("state_digest" character varying(64) NOT NULL, "integration_id" character varying(36) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b049443af331a3b205f837ceb89" PRIMARY KEY ("state_digest"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_732ea6fe5ff6bd9ca4e877ef5a" ON "oauth_state"  ("integration_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_732ea6fe5ff6bd9ca4e877ef5a"');
    await queryRunner.query('DROP TABLE "oauth_state"');
  }
}
