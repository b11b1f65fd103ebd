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

/**
 * The lazy migrations of one dialect's folder, from its file names (`<timestamp>-<Name>`, whose
 * module exports the class `<Name><timestamp>`), `load` requiring a file of that folder.
 */
export function lazyMigrations(
  load: (file: string) => Record<string, unknown>,
  files: readonly string[],
): MigrationClass[] {
  return files.map((file) => {
    const match = /^(\d{13})-(\w+)$/.exec(file);
    if (match === null) {
      throw new RangeError(`${file} is not a migration file name (<timestamp>-<Name>)`);
    }
    const className = `${match[2]}${match[1]}`;
    return lazyMigration(className, () => load(file)[className] as MigrationClass);
  });
}
