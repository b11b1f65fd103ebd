import "reflect-metadata";

import type { DataSource } from "typeorm";

import { type Config, type DatabaseConfig, loadConfig } from "../../src/config/config";
import type { ServiceNowRecordEntity } from "../../src/database/servicenow-record.entity";
import { startGateway } from "../../src/http/gateway.server";
import { createLogger } from "../../src/logging/logger";
import { SecretBox } from "../../src/secrets/secret-box";
import { compareCursors, keysetQuery, readDateTime, type RecordCursor } from "../../src/servicenow";
import type { SimRequestLogEntry, Simulator } from "../../src/simulator";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncState } from "../../src/sync/sync-state.entity";
import { syncTableOf } from "../../src/sync/sync-tables";
import type { SyncHarness } from "./sync-harness";
import type { GraphQLBody, TestGateway } from "./test-gateway";
import { ADMIN_TOKEN, TEST_SECRET_KEY, VIEWER_TOKEN } from "./test-gateway";

/** Any way of sending an admin GraphQL request: a child gateway or an in-process one. */
export type GraphQLCall = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
) => Promise<GraphQLBody<T>>;

export function graphqlOf(gateway: TestGateway): GraphQLCall {
  return async <T>(query: string, variables?: Record<string, unknown>) =>
    (await gateway.graphql<T>(query, variables)).body;
}

/**
 * Like startTestGateway, but on a database the caller owns (and drops): a second gateway on
 * a database an earlier one (or a child process) already migrated. stop() keeps the database.
 */
export async function startTestGatewayOn(
  database: DatabaseConfig,
  options: { env?: Record<string, string>; secretBox?: SecretBox } = {},
): Promise<TestGateway> {
  const base = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEWAY_VIEWER_TOKENS: VIEWER_TOKEN,
    SYNC_SCHEDULER_ENABLED: "false",
    ...options.env,
  });
  const config: Config = { ...base, database };
  const gateway = await startGateway({
    config,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    adminToken: ADMIN_TOKEN,
    secretBox: options.secretBox ?? new SecretBox(TEST_SECRET_KEY),
    awsSecrets: null,
  });
  return {
    gateway,
    config,
    async graphql<T>(
      query: string,
      variables: Record<string, unknown> = {},
      requestOptions: { token?: string | null } = {},
    ) {
      const token = requestOptions.token === undefined ? ADMIN_TOKEN : requestOptions.token;
      const response = await fetch(gateway.graphqlUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody<T> };
    },
    stop: () => gateway.stop(),
  };
}

/** Creates an ON_PREM Basic integration pointing at the simulator and validates it. */
export async function createSimulatorIntegration(
  graphql: GraphQLCall,
  input: {
    name: string;
    url: string;
    username: string;
    password: string;
    syncIntervalMinutes?: number;
  },
): Promise<string> {
  const created = await graphql<{ createIntegration: { id: string } }>(
    `
      mutation ($input: CreateIntegrationInput!) {
        createIntegration(input: $input) {
          id
        }
      }
    `,
    { input: { ...input, deployment: "ON_PREM" } },
  );
  if (!created.data) {
    throw new Error(`createIntegration failed: ${JSON.stringify(created.errors)}`);
  }
  const id = created.data.createIntegration.id;
  const validated = await graphql<{ validateConnection: { ok: boolean } }>(
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
    { id },
  );
  if (!validated.data?.validateConnection.ok) {
    throw new Error(`validateConnection failed: ${JSON.stringify(validated)}`);
  }
  return id;
}

export interface RunView {
  readonly id: string;
  readonly status: string;
  readonly trigger: string;
  readonly mode: string;
  readonly errorCode: string | null;
  readonly tables: ReadonlyArray<{ table: string; fetched: number; upserted: number }>;
}

const RUN_FIELDS = "id status trigger mode errorCode tables { table fetched upserted }";

export async function startSync(graphql: GraphQLCall, id: string, full: boolean): Promise<RunView> {
  const started = await graphql<{ syncIntegration: RunView }>(
    `mutation($id: ID!, $full: Boolean!) { syncIntegration(id: $id, full: $full) { ${RUN_FIELDS} } }`,
    { id, full },
  );
  if (!started.data) {
    throw new Error(`syncIntegration failed: ${JSON.stringify(started.errors)}`);
  }
  return started.data.syncIntegration;
}

export async function lastRunOf(graphql: GraphQLCall, id: string): Promise<RunView | null> {
  const result = await graphql<{ integration: { lastSyncRun: RunView | null } }>(
    `query($id: ID!) { integration(id: $id) { lastSyncRun { ${RUN_FIELDS} } } }`,
    { id },
  );
  if (!result.data) {
    throw new Error(`integration query failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data.integration.lastSyncRun;
}

export function fetchedOf(run: RunView | SyncRun | null, table: string): number {
  return run?.tables.find((entry) => entry.table === table)?.fetched ?? 0;
}

/** Polls until `probe` returns a value (not undefined); fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function watermarkOf(
  dataSource: DataSource,
  integrationId: string,
  table: string,
): Promise<RecordCursor | null> {
  const state = await dataSource.getRepository(SyncState).findOneBy({
    integrationId,
    tableName: table,
  });
  return state?.watermarkTime && state.watermarkSysId
    ? { timestamp: state.watermarkTime, sysId: state.watermarkSysId }
    : null;
}

/** The `sysparm_query` an incremental run must send first to resume after `after`. */
export function resumeQuery(after: RecordCursor, timeZone = "UTC"): string {
  return keysetQuery({ cursorField: "sys_updated_on", after, timeZone }).encodedQuery;
}

/** Table API reads of one table, in arrival order. */
export function tableRequests(simulator: Simulator, table: string): SimRequestLogEntry[] {
  return simulator.requestLog.filter((entry) => entry.table === table && entry.method === "GET");
}

/** sys_ids of the simulator's rows at or before `cursor` in (sys_updated_on, sys_id) order. */
export function simulatorSysIdsUpTo(
  simulator: Simulator,
  table: string,
  cursor: RecordCursor,
): string[] {
  return simulator
    .all(table)
    .filter((record) => {
      const key = { timestamp: readDateTime(record.sys_updated_on)!, sysId: record.sys_id };
      return compareCursors(key, cursor) <= 0;
    })
    .map((record) => record.sys_id)
    .sort();
}

/** sys_ids cached for one integration and table, sorted; duplicates would show twice. */
export async function cachedSysIds(
  dataSource: DataSource,
  integrationId: string,
  table: string,
): Promise<string[]> {
  const rows: Array<{ sysId: string }> = await dataSource
    .getRepository<ServiceNowRecordEntity>(syncTableOf(table).entity)
    .createQueryBuilder("record")
    .select("record.sysId", "sysId")
    .where("record.integrationId = :integrationId", { integrationId })
    .getRawMany();
  return rows.map((row) => row.sysId).sort();
}

/** A SyncHarness over a gateway and integration made elsewhere, for parity(). */
export function harnessFor(
  simulator: Simulator,
  gateway: TestGateway,
  integrationId: string,
): SyncHarness {
  return {
    simulator,
    simulatorUrl: simulator.url,
    gateway,
    integrationId,
    async sync(full = false) {
      const run = await startSync(graphqlOf(gateway), integrationId, full);
      await gateway.gateway.syncService.waitFor(integrationId);
      return gateway.gateway.dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id });
    },
    stop: () => gateway.stop(),
  };
}
