import type { Logger as TypeOrmLogger } from "typeorm";

import type { StatementLog } from "../../src/database/read/sql-executor";

/**
 * Counts the SQL statements a gateway runs (for N+1 tests): the read path's executor counts
 * its own statements where it runs them, without TypeORM; everything else still goes through
 * TypeORM, whose logger this is.
 */
export class StatementCounter implements TypeOrmLogger {
  private typeorm: string[] = [];
  private executor: StatementLog | null = null;

  /** Also counts what the read plans' executor runs (its log records SQL from now on). */
  attach(log: StatementLog | undefined): this {
    if (log !== undefined) {
      this.executor = log;
      log.recorded = [];
    }
    return this;
  }

  reset(): void {
    this.typeorm = [];
    this.executor?.reset();
  }

  get statements(): string[] {
    return [...this.typeorm, ...(this.executor?.recorded ?? []).map((statement) => statement.sql)];
  }

  get count(): number {
    return this.typeorm.length + (this.executor?.count ?? 0);
  }

  logQuery(query: string): void {
    this.typeorm.push(query);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
