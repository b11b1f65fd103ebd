import type { Logger as TypeOrmLogger } from "typeorm";

import type { Logger } from "../logging/logger";

/**
 * TypeORM's messages through the gateway's logger instead of its console logger, which
 * prints every migration (and a failed one's error, which the start-up report already
 * states) as loose lines between the JSON logs.
 */
export class TypeOrmPinoLogger implements TypeOrmLogger {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ component: "typeorm" });
  }

  logQuery(query: string): void {
    if (this.logger.isLevelEnabled("trace")) {
      this.logger.trace({ query }, "query");
    }
  }

  logQueryError(error: string | Error, query: string): void {
    // The caller gets the error and decides how loud it is.
    this.logger.debug({ query, reason: String(error) }, "query failed");
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ query, ms: time }, "slow query");
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    if (/\bfailed\b/i.test(message)) {
      this.logger.debug(message);
    } else {
      this.logger.info(message);
    }
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") {
      this.logger.warn(String(message));
    } else {
      this.logger.debug(String(message));
    }
  }
}
