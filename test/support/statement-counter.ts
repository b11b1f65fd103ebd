import type { Logger as TypeOrmLogger } from "typeorm";

/** A TypeORM logger that counts the SQL statements it sees (for N+1 tests). */
export class StatementCounter implements TypeOrmLogger {
  statements: string[] = [];

  reset(): void {
    this.statements = [];
  }

  get count(): number {
    return this.statements.length;
  }

  logQuery(query: string): void {
    this.statements.push(query);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
