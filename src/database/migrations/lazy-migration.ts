import type { MigrationInterface, QueryRunner } from "typeorm";

export type MigrationClass = new () => MigrationInterface;

/**
 * A migration TypeORM lists by its name alone: the module holding its SQL is required only when
 * the migration runs (up) or is reverted (down). A restart, with nothing pending, loads none of
 * them, and a gateway never loads the other dialect's.
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
