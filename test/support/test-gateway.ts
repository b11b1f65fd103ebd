import "reflect-metadata";

import { randomBytes } from "node:crypto";

import type { Logger as TypeOrmLogger } from "typeorm";

import { type Config, type DatabaseConfig, loadConfig } from "../../src/config/config";
import { type Gateway, startGateway } from "../../src/http/gateway.server";
import { createLogger, type Logger } from "../../src/logging/logger";
import { createAwsSecretsSource } from "../../src/secrets/aws-secrets.factory";
import type { AwsSecretsSource } from "../../src/secrets/aws-secrets.source";
import { SecretBox } from "../../src/secrets/secret-box";
import { createTestDatabase, type TestDatabase } from "./test-database";

export const ADMIN_TOKEN = "test-admin-token-0123456789";
export const VIEWER_TOKEN = "test-viewer-token-0123456789";
export const TEST_SECRET_KEY = randomBytes(32);

export interface TestGateway {
  readonly gateway: Gateway;
  readonly config: Config;
  /** POST /graphql with a token (admin by default); returns the parsed body and status. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string | null },
  ): Promise<{ status: number; body: GraphQLBody<T> }>;
  stop(): Promise<void>;
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: string[];
    extensions?: { code?: string; field?: string; [key: string]: unknown };
  }>;
}

/**
 * A real gateway (Express + Apollo + TypeORM) on a random loopback port and a private
 * database built by the migrations, as in production.
 */
export async function startTestGateway(
  options: {
    env?: Record<string, string>;
    sqlLogger?: TypeOrmLogger;
    migrations?: boolean;
    /** Default: built from the config, as the bootstrap does (AWS_* in `env`). */
    awsSecrets?: AwsSecretsSource | null;
    /** The clock of the default AWS source's cache (tests of AWS_SECRET_CACHE_SECONDS). */
    awsClock?: () => number;
    logger?: Logger;
    /** false: every read through services and DataLoaders, as before the read plans. */
    readPlans?: boolean;
    /** Instead of a private database per file (e.g. in-memory SQLite). */
    database?: DatabaseConfig;
    /** Events a subscriber may leave waiting before it is dropped (4430). */
    subscriberQueueLimit?: number;
  } = {},
): Promise<TestGateway> {
  const database: TestDatabase = options.database
    ? { config: options.database, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const base = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEWAY_VIEWER_TOKENS: VIEWER_TOKEN,
    SYNC_SCHEDULER_ENABLED: "false",
    ...options.env,
  });
  const config: Config = { ...base, database: database.config };
  const gateway = await startGateway({
    config,
    logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    adminToken: ADMIN_TOKEN,
    secretBox: new SecretBox(TEST_SECRET_KEY),
    awsSecrets:
      options.awsSecrets === undefined
        ? createAwsSecretsSource(config.aws, { now: options.awsClock })
        : options.awsSecrets,
    sqlLogger: options.sqlLogger,
    synchronize: options.migrations === false,
    readPlans: options.readPlans,
    subscriberQueueLimit: options.subscriberQueueLimit,
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
    async stop() {
      await gateway.stop();
      await database.drop();
    },
  };
}
