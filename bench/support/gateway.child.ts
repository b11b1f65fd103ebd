import "reflect-metadata";

import { randomBytes } from "node:crypto";

import type { Logger as TypeOrmLogger } from "typeorm";

import { loadConfig } from "../../src/config/config";
import { startGateway } from "../../src/http/gateway.server";
import { createLogger } from "../../src/logging/logger";
import { SecretBox } from "../../src/secrets/secret-box";
import { BENCH_ADMIN_TOKEN, type GatewayChildReady } from "./bench-gateway";
import { peakRssMiB, runChild, serveParent } from "./child-process";

/**
 * The real gateway (startGateway: Express, Apollo, type-graphql, TypeORM) on an existing SQLite
 * file, in its own process, configured as in production except that request logs are off.
 * argv: <sqlite file or postgres:// URL> [count] — `count` records statements: TypeORM's through its logger, the
 * read plans' through their executor.
 */

class StatementCounter implements TypeOrmLogger {
  statements: Array<{ sql: string; parameters: unknown[] }> = [];
  logQuery(sql: string, parameters?: unknown[]): void {
    this.statements.push({ sql, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

runChild(async () => {
  const [file, mode] = process.argv.slice(2);
  const counter = mode === "count" ? new StatementCounter() : undefined;
  const base = loadConfig({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    SYNC_SCHEDULER_ENABLED: "false",
  });
  const gateway = await startGateway({
    config: {
      ...base,
      database: /^postgres(ql)?:\/\//.test(file)
        ? { kind: "postgres", url: file }
        : { kind: "sqlite", path: file },
    },
    // Request logs are info lines: "warn" keeps the benchmark about the request path itself.
    logger: createLogger("warn"),
    adminToken: BENCH_ADMIN_TOKEN,
    secretBox: new SecretBox(randomBytes(32)),
    awsSecrets: null,
    sqlLogger: counter,
  });
  // The read plans run their statements without TypeORM: their executor records them.
  const executorLog = gateway.readPlans?.executor.log;
  if (counter && executorLog) {
    executorLog.recorded = [];
  }
  const ready: GatewayChildReady = {
    graphqlUrl: gateway.graphqlUrl.replace("localhost", "127.0.0.1"),
  };
  serveParent(
    ready,
    {
      resetStatements: () => {
        if (counter) {
          counter.statements = [];
          if (executorLog) {
            executorLog.recorded = [];
          }
        }
        return null;
      },
      /** The statements (SQL and parameters) since the last reset: TypeORM's and the read plans'. */
      statements: () =>
        counter ? [...counter.statements, ...(executorLog?.recorded ?? [])] : null,
      peakRss: () => peakRssMiB(),
    },
    () => gateway.stop(),
  );
});
