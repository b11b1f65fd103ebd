import "reflect-metadata";

import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";

import { loadConfig } from "../../src/config/config";
import { startGateway } from "../../src/http/gateway.server";
import { createLogger } from "../../src/logging/logger";
import { SecretBox } from "../../src/secrets/secret-box";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { BENCH_ADMIN_TOKEN, benchGraphql } from "../support/bench-gateway";
import { peakRssMiB, runChild, serveParent } from "../support/child-process";
import {
  PAGE_SIZE,
  SIM_PASSWORD,
  SIM_USER,
  type SyncChildReady,
  type SyncResult,
} from "./sync-bench.types";

/**
 * The product syncing: the real gateway on a fresh SQLite file or PostgreSQL schema (it runs
 * the migrations), one ON_PREM Basic integration created and validated through GraphQL, runs
 * started with the `syncIntegration` mutation. Its GraphQL URL is in `ready` for readers.
 * argv: <simulator url> <sqlite file or postgres:// URL>
 */
runChild(async () => {
  const [simulatorUrl, file] = process.argv.slice(2);
  const base = loadConfig({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    SYNC_SCHEDULER_ENABLED: "false",
    SYNC_PAGE_SIZE: String(PAGE_SIZE),
  });
  const gateway = await startGateway({
    config: {
      ...base,
      database: /^postgres(ql)?:\/\//.test(file)
        ? { kind: "postgres", url: file }
        : { kind: "sqlite", path: file },
    },
    logger: createLogger(process.env.BENCH_GATEWAY_LOG ?? "warn"),
    adminToken: BENCH_ADMIN_TOKEN,
    secretBox: new SecretBox(randomBytes(32)),
    awsSecrets: null,
  });
  const graphql = <T>(query: string, variables: Record<string, unknown>): Promise<T> =>
    benchGraphql<T>(gateway.graphqlUrl, query, variables);
  const { createIntegration } = await graphql<{ createIntegration: { id: string } }>(
    `
      mutation ($input: CreateIntegrationInput!) {
        createIntegration(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        name: "benchmark",
        url: simulatorUrl,
        deployment: "ON_PREM",
        username: SIM_USER,
        password: SIM_PASSWORD,
      },
    },
  );
  const id = createIntegration.id;
  const { validateConnection } = await graphql<{
    validateConnection: { ok: boolean; checks: unknown };
  }>(
    `
      mutation ($id: ID!) {
        validateConnection(id: $id) {
          ok
          checks {
            name
            status
            message
          }
        }
      }
    `,
    {
      id,
    },
  );
  if (!validateConnection.ok) {
    throw new Error(`validation failed: ${JSON.stringify(validateConnection.checks)}`);
  }

  const ready: SyncChildReady = {
    startupPeakRssMiB: peakRssMiB(),
    graphqlUrl: gateway.graphqlUrl.replace("localhost", "127.0.0.1"),
  };
  serveParent(
    ready,
    {
      sync: async (input): Promise<SyncResult> => {
        const full = input === true;
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const { syncIntegration } = await graphql<{ syncIntegration: { id: string } }>(
          `
            mutation ($id: ID!, $full: Boolean!) {
              syncIntegration(id: $id, full: $full) {
                id
              }
            }
          `,
          { id, full },
        );
        await gateway.syncService.waitFor(id);
        const ms = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        const run = await gateway.dataSource
          .getRepository(SyncRun)
          .findOneByOrFail({ id: syncIntegration.id });
        return {
          ms,
          status: run.status,
          error: run.error,
          fetched: run.tables.reduce((sum, table) => sum + table.fetched, 0),
          fetchedByTable: Object.fromEntries(
            run.tables.filter((table) => table.fetched > 0).map((t) => [t.table, t.fetched]),
          ),
          peakRssMiB: peakRssMiB(),
          cpuMs: (cpu.user + cpu.system) / 1000,
        };
      },
    },
    () => gateway.stop(),
  );
});
