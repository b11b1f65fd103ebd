import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError } from "graphql";
import { pinoHttp } from "pino-http";
import type { DataSource, Logger as TypeOrmLogger } from "typeorm";

import { AccessTokens, bearerToken } from "../auth/access-tokens";
import type { Config } from "../config/config";
import { openDataSource } from "../database/data-source";
import type { GraphQLContext } from "../graphql/context.type";
import { costLimitPlugin } from "../graphql/cost-limit.plugin";
import { depthLimitRule } from "../graphql/depth-limit.rule";
import { createErrorFormatter } from "../graphql/format-error";
import { createLoaders } from "../graphql/loaders";
import { buildGatewaySchema, ResolverContainer } from "../graphql/schema";
import type { Logger } from "../logging/logger";
import { ChangeRequestResolver } from "../modules/change-requests/change-request.resolver";
import { ChangeRequestService } from "../modules/change-requests/change-request.service";
import { IncidentResolver } from "../modules/incidents/incident.resolver";
import { IncidentService } from "../modules/incidents/incident.service";
import { IntegrationResolver } from "../modules/integrations/integration.resolver";
import { IntegrationService } from "../modules/integrations/integration.service";
import { IntegrationConnectionFactory } from "../modules/integrations/integration-connection.factory";
import { IntegrationConnectionService } from "../modules/integrations/integration-connection.service";
import { PreflightService } from "../modules/integrations/preflight/preflight.service";
import { UserResolver } from "../modules/users/user.resolver";
import { UserService } from "../modules/users/user.service";
import type { AwsSecretsSource } from "../secrets/aws-secrets.source";
import type { SecretBox } from "../secrets/secret-box";
import { SyncRunner } from "../sync/sync.runner";
import { SyncScheduler } from "../sync/sync.scheduler";
import { SyncService } from "../sync/sync.service";
import { SyncLeaseRepository } from "../sync/sync-lease.repository";
import { SyncRunResolver } from "../sync/sync-run.resolver";
import { SyncRunService } from "../sync/sync-run.service";
import { healthRoutes } from "./health.routes";
import { GatewayMetrics } from "./metrics";
import { oauthCallbackRoutes } from "./oauth-callback.routes";

export interface GatewayOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly adminToken: string;
  readonly secretBox: SecretBox;
  /** Reads credentials kept in AWS Secrets Manager; null disables such references. */
  readonly awsSecrets?: AwsSecretsSource | null;
  /** Tests only: build the schema from entities instead of migrations. */
  readonly synchronize?: boolean;
  /** Tests only: observe SQL statements. */
  readonly sqlLogger?: TypeOrmLogger;
}

export interface Gateway {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly dataSource: DataSource;
  readonly httpServer: http.Server;
  readonly syncService: SyncService;
  /** Stops accepting requests, drains in-flight ones, closes the database. */
  stop(): Promise<void>;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  const dataSource = await openDataSource(config.database, {
    synchronize: options.synchronize,
    logger: options.sqlLogger,
  });
  logger.debug({ database: config.database.kind }, "database ready");
  try {
    return await serve(options, dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

async function serve(options: GatewayOptions, dataSource: DataSource): Promise<Gateway> {
  const { config, logger } = options;
  const production = config.env === "production";
  const metrics = new GatewayMetrics();
  const integrationService = new IntegrationService(
    dataSource,
    config.publicUrl,
    options.secretBox,
  );
  const connectionFactory = new IntegrationConnectionFactory(
    integrationService,
    options.awsSecrets ?? null,
    logger,
  );
  const connectionService = new IntegrationConnectionService(
    dataSource,
    integrationService,
    connectionFactory,
    new PreflightService(connectionFactory, logger),
    { timeoutMs: Math.min(config.sync.requestTimeoutMs, 15000) },
    logger,
  );
  const syncService = new SyncService(
    dataSource,
    integrationService,
    new SyncRunner(
      dataSource,
      connectionFactory,
      {
        pageSize: config.sync.pageSize,
        requestTimeoutMs: config.sync.requestTimeoutMs,
        retry: {
          maxAttempts: config.sync.retryMaxAttempts,
          baseDelayMs: config.sync.retryBaseDelayMs,
        },
        reconcileEveryMs: 24 * 60 * 60 * 1000,
      },
      logger,
    ),
    new SyncLeaseRepository(dataSource),
    { leaseTtlMs: config.sync.leaseTtlMs },
    logger,
    metrics,
  );
  const scheduler = config.sync.schedulerEnabled
    ? new SyncScheduler(dataSource, syncService, { tickMs: config.sync.tickMs }, logger)
    : null;
  const container = new ResolverContainer()
    .register(
      IntegrationResolver,
      new IntegrationResolver(integrationService, connectionService, syncService),
    )
    .register(IncidentResolver, new IncidentResolver(new IncidentService(dataSource)))
    .register(
      ChangeRequestResolver,
      new ChangeRequestResolver(new ChangeRequestService(dataSource)),
    )
    .register(UserResolver, new UserResolver(new UserService(dataSource)))
    .register(SyncRunResolver, new SyncRunResolver(new SyncRunService(dataSource), syncService));
  const schema = await buildGatewaySchema(container);
  const tokens = new AccessTokens(options.adminToken, config.viewerTokens);

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter(logger, !production),
    validationRules: [depthLimitRule(config.graphql.maxDepth)],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of GraphQL answers here: skip its per-field hook.
      ApolloServerPluginCacheControlDisabled(),
      metrics.apolloPlugin(),
      costLimitPlugin(config.graphql.maxCost),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id =
          typeof incoming === "string" && REQUEST_ID_PATTERN.test(incoming)
            ? incoming
            : randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    }),
  );
  app.use(
    healthRoutes(
      dataSource,
      scheduler ? [{ name: "scheduler", check: () => scheduler.healthy() }] : [],
    ),
  );
  app.use(metrics.routes());
  app.use(oauthCallbackRoutes(connectionService, logger));
  app.use(
    "/graphql",
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const token = bearerToken(req.headers.authorization);
        const role = token === null ? null : tokens.roleOf(token);
        if (role === null) {
          throw new GraphQLError(
            token === null
              ? "Missing bearer token: send Authorization: Bearer <token>."
              : "Invalid bearer token.",
            { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } },
          );
        }
        return {
          caller: { role },
          loaders: createLoaders(dataSource),
          logger: req.log,
          requestId: String(req.id),
        };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${host}:${address.port}`;
  logger.info({ url: `${url}/graphql` }, "gateway listening");
  const reencrypted = await integrationService.reencryptSecrets();
  if (reencrypted > 0) {
    logger.info({ integrations: reencrypted }, "re-encrypted stored secrets under the current key");
  }
  const abandoned = await syncService.recoverAbandonedRuns();
  if (abandoned > 0) {
    logger.warn({ runs: abandoned }, "marked sync runs of a stopped process as abandoned");
  }
  scheduler?.start();

  let stopping: Promise<void> | null = null;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    dataSource,
    httpServer,
    syncService,
    stop() {
      stopping ??= (async () => {
        // No new runs, current runs stop between pages (committed pages stay), then HTTP drains.
        await scheduler?.stop();
        await syncService.stop();
        await apollo.stop();
        await dataSource.destroy();
      })();
      return stopping;
    },
  };
}
