import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Lists sort text under the "C" collation whatever the database's default (sort-terms.ts); an
 * index under the default collation does not serve `ORDER BY number COLLATE "C"`. These do.
 * PostgreSQL only: SQLite's columns and indexes are BINARY already.
 */
const INDEXES = [
  ["IDX_incident_number_c_id", "incident", "number"],
  ["IDX_change_request_number_c_id", "change_request", "number"],
  ["IDX_problem_number_c_id", "problem", "number"],
  ["IDX_sn_user_name_c_id", "sn_user", "name"],
] as const;

export class AddBinaryTextSortIndexes1796300000000 implements MigrationInterface {
  name = "AddBinaryTextSortIndexes1796300000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table, column] of INDEXES) {
      await queryRunner.query(
        `CREATE INDEX "${name}" ON "${table}" ("${column}" COLLATE "C", "id")`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of INDEXES) {
      await queryRunner.query(`DROP INDEX "${name}"`);
    }
  }
}
