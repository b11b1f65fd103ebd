import type { MigrationInterface, QueryRunner } from "typeorm";

export type MigrationClass = new () => MigrationInterface;

/**
 * A migration TypeORM lists by its name alone: the module holding its SQL is required only when
 * the migration runs (up) or is reverted (down). A started database has nothing pending, so a
 * gateway never loads the migrations of its own dialect, nor ever those of the other one.
 * TypeORM reads `transaction` before loading: a migration must not override it.
 */
export function lazyMigration(name: string, load: () => MigrationClass): MigrationClass {
  return class LazyMigration implements MigrationInterface {
    readonly name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      const Migration = load();
      await new Migration().up(queryRunner);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      const Migration = load();
      await new Migration().down(queryRunner);
    }
  };
}
