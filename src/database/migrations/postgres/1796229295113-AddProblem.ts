import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddProblem1796229295113 implements MigrationInterface {
  name = "AddProblem1796229295113";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "problem" ("id" SERIAL NOT NULL, "integration_id" character varying(36) NOT NULL, "sys_id" character varying(32) NOT NULL, "sys_created_on" TIMESTAMP WITH TIME ZONE NOT NULL, "sys_updated_on" TIMESTAMP WITH TIME ZONE NOT NULL, "attributes" jsonb NOT NULL, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL, "number" character varying(40), "short_description" text, "description" text, "state_value" character varying(40), "state_label" character varying(100), "priority" integer, "impact" integer, "urgency" integer, "category" character varying(100), "assignment_group_sys_id" character varying(32), "assigned_to_sys_id" character varying(32), "known_error" boolean, "cause_notes" text, "fix_notes" text, "workaround" text, "opened_by_sys_id" character varying(32), "opened_at" TIMESTAMP WITH TIME ZONE, "resolved_by_sys_id" character varying(32), "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_by_sys_id" character varying(32), "closed_at" TIMESTAMP WITH TIME ZONE, "active" boolean, "sys_mod_count" integer, CONSTRAINT "PK_119b5ca6f3371465bf1f0f90219" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_a2f2909fc21bd4360e00aa32f1" ON "problem"  ("integration_id", "sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_6aa00dbc33c5763ec2552c05c0" ON "problem"  ("integration_id", "number") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ad1db1cf66c2493c029e2d2221" ON "problem"  ("opened_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_f871b5c255d7aada97f1d61927" ON "problem"  ("sys_updated_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_188dc2357b34b25f596ca0c5fb" ON "problem"  ("sys_created_on", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_110d5384871344d136a1587075" ON "problem"  ("resolved_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9f12a12e0105de735026f3ade8" ON "problem"  ("priority", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_83fe31ca3953ea5a01bcad035e" ON "problem"  ("state_value", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_18ec15f29852caaadd64fc9a4d" ON "problem"  ("number", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c8f9a2b009be270272a4736b0b" ON "problem"  ("assignment_group_sys_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_a63da6305ada42fba40dcc198e" ON "problem"  ("assigned_to_sys_id") ',
    );
    await queryRunner.query('ALTER TABLE "incident" ADD "problem_sys_id" character varying(32)');
    await queryRunner.query(
      'CREATE INDEX "IDX_286300d865cf0d478a9a773438" ON "incident"  ("problem_sys_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_286300d865cf0d478a9a773438"');
    await queryRunner.query('ALTER TABLE "incident" DROP COLUMN "problem_sys_id"');
    await queryRunner.query('DROP INDEX "public"."IDX_a63da6305ada42fba40dcc198e"');
    await queryRunner.query('DROP INDEX "public"."IDX_c8f9a2b009be270272a4736b0b"');
    await queryRunner.query('DROP INDEX "public"."IDX_18ec15f29852caaadd64fc9a4d"');
    await queryRunner.query('DROP INDEX "public"."IDX_83fe31ca3953ea5a01bcad035e"');
    await queryRunner.query('DROP INDEX "public"."IDX_9f12a12e0105de735026f3ade8"');
    await queryRunner.query('DROP INDEX "public"."IDX_110d5384871344d136a1587075"');
    await queryRunner.query('DROP INDEX "public"."IDX_188dc2357b34b25f596ca0c5fb"');
    await queryRunner.query('DROP INDEX "public"."IDX_f871b5c255d7aada97f1d61927"');
    await queryRunner.query('DROP INDEX "public"."IDX_ad1db1cf66c2493c029e2d2221"');
    await queryRunner.query('DROP INDEX "public"."IDX_6aa00dbc33c5763ec2552c05c0"');
    await queryRunner.query('DROP INDEX "public"."IDX_a2f2909fc21bd4360e00aa32f1"');
    await queryRunner.query('DROP TABLE "problem"');
  }
}
