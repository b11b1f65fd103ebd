import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddIncidentWrites1796231120448 implements MigrationInterface {
  name = "AddIncidentWrites1796231120448";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "write_allowance" ("integration_id" varchar(36) NOT NULL, "day" varchar(10) NOT NULL, "used" integer NOT NULL DEFAULT (0), PRIMARY KEY ("integration_id", "day"))',
    );
    await queryRunner.query(
      'CREATE TABLE "write_log" ("id" varchar PRIMARY KEY NOT NULL, "at" datetime NOT NULL, "role" varchar(16) NOT NULL, "token_name" varchar(100) NOT NULL, "operation" varchar(32) NOT NULL, "integration_id" varchar(36) NOT NULL, "sys_id" varchar(32), "correlation_id" varchar(100), "idempotency_key" varchar(100), "outcome" varchar(32) NOT NULL, "servicenow_status" integer, "duration_ms" integer, "error" text, "transaction" boolean NOT NULL DEFAULT (0))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_92cd162ceaf90e44d70fb4c14b" ON "write_log" ("integration_id", "idempotency_key") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_14c042e76b170d7eb29beaf91b" ON "write_log" ("integration_id", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "temporary_integration" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "description" text, "tags" json NOT NULL, "url" varchar(2048) NOT NULL, "deployment" varchar(16) NOT NULL, "auth_method" varchar(16) NOT NULL, "username" varchar(255), "password_cipher" text, "client_id" varchar(255), "client_secret_cipher" text, "aws_secret_id" varchar(2048), "access_token_cipher" text, "refresh_token_cipher" text, "access_token_expires_at" datetime, "excluded_fields" json NOT NULL, "owner_email" varchar(320), "contact" varchar(320), "expected_transactions_per_day" integer, "default_assignment_group" varchar(255), "sync_interval_minutes" integer NOT NULL DEFAULT (60), "enabled" boolean NOT NULL DEFAULT (1), "status" varchar(32) NOT NULL DEFAULT (\'PENDING\'), "status_reason" text, "last_validation" json, "user_time_zone" varchar(64), "last_synced_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime(\'now\')), "updated_at" datetime NOT NULL DEFAULT (datetime(\'now\')), "write_enabled" boolean NOT NULL DEFAULT (0), CONSTRAINT "UQ_52d7fa32a7832b377fc2d7f6199" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'INSERT INTO "temporary_integration"("id", "name", "description", "tags", "url", "deployment", "auth_method", "username", "password_cipher", "client_id", "client_secret_cipher", "aws_secret_id", "access_token_cipher", "refresh_token_cipher", "access_token_expires_at", "excluded_fields", "owner_email", "contact", "expected_transactions_per_day", "default_assignment_group", "sync_interval_minutes", "enabled", "status", "status_reason", "last_validation", "user_time_zone", "last_synced_at", "created_at", "updated_at") SELECT "id", "name", "description", "tags", "url", "deployment", "auth_method", "username", "password_cipher", "client_id", "client_secret_cipher", "aws_secret_id", "access_token_cipher", "refresh_token_cipher", "access_token_expires_at", "excluded_fields", "owner_email", "contact", "expected_transactions_per_day", "default_assignment_group", "sync_interval_minutes", "enabled", "status", "status_reason", "last_validation", "user_time_zone", "last_synced_at", "created_at", "updated_at" FROM "integration"',
    );
    await queryRunner.query('DROP TABLE "integration"');
    await queryRunner.query('ALTER TABLE "temporary_integration" RENAME TO "integration"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "integration" RENAME TO "temporary_integration"');
    await queryRunner.query(
      'CREATE TABLE "integration" ("id" varchar PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "description" text, "tags" json NOT NULL, "url" varchar(2048) NOT NULL, "deployment" varchar(16) NOT NULL, "auth_method" varchar(16) NOT NULL, "username" varchar(255), "password_cipher" text, "client_id" varchar(255), "client_secret_cipher" text, "aws_secret_id" varchar(2048), "access_token_cipher" text, "refresh_token_cipher" text, "access_token_expires_at" datetime, "excluded_fields" json NOT NULL, "owner_email" varchar(320), "contact" varchar(320), "expected_transactions_per_day" integer, "default_assignment_group" varchar(255), "sync_interval_minutes" integer NOT NULL DEFAULT (60), "enabled" boolean NOT NULL DEFAULT (1), "status" varchar(32) NOT NULL DEFAULT (\'PENDING\'), "status_reason" text, "last_validation" json, "user_time_zone" varchar(64), "last_synced_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime(\'now\')), "updated_at" datetime NOT NULL DEFAULT (datetime(\'now\')), CONSTRAINT "UQ_52d7fa32a7832b377fc2d7f6199" UNIQUE ("name"))',
    );
    await queryRunner.query(
      'INSERT INTO "integration"("id", "name", "description", "tags", "url", "deployment", "auth_method", "username", "password_cipher", "client_id", "client_secret_cipher", "aws_secret_id", "access_token_cipher", "refresh_token_cipher", "access_token_expires_at", "excluded_fields", "owner_email", "contact", "expected_transactions_per_day", "default_assignment_group", "sync_interval_minutes", "enabled", "status", "status_reason", "last_validation", "user_time_zone", "last_synced_at", "created_at", "updated_at") SELECT "id", "name", "description", "tags", "url", "deployment", "auth_method", "username", "password_cipher", "client_id", "client_secret_cipher", "aws_secret_id", "access_token_cipher", "refresh_token_cipher", "access_token_expires_at", "excluded_fields", "owner_email", "contact", "expected_transactions_per_day", "default_assignment_group", "sync_interval_minutes", "enabled", "status", "status_reason", "last_validation", "user_time_zone", "last_synced_at", "created_at", "updated_at" FROM "temporary_integration"',
    );
    await queryRunner.query('DROP TABLE "temporary_integration"');
    await queryRunner.query('DROP INDEX "IDX_14c042e76b170d7eb29beaf91b"');
    await queryRunner.query('DROP INDEX "IDX_92cd162ceaf90e44d70fb4c14b"');
    await queryRunner.query('DROP TABLE "write_log"');
    await queryRunner.query('DROP TABLE "write_allowance"');
  }
}
