import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type Request, type Response, Router } from "express";
import { GraphQLError } from "graphql";
import { pinoHttp } from "pino-http";
import type { DataSource, Logger as TypeOrmLogger } from "typeorm";

import { AccessTokens, bearerToken } from "../auth/access-tokens";
import type { Config } from "../config/config";
import { databaseConnectionOf } from "../database/data-source";
import { connectDatabase } from "../database/database-connect";
import { locationOf } from "../database/database-errors";
import { ReadPlans } from "../database/read/read-plans";
import type { GraphQLContext } from "../graphql/context.type";
import { costLimitPlugin } from "../graphql/cost-limit.plugin";
import { depthLimitRule } from "../graphql/depth-limit.rule";
import { createErrorFormatter } from "../graphql/format-error";
import { introspectionLimitRule } from "../graphql/introspection-limit.rule";
import { jsonResponseStatusPlugin } from "../graphql/json-response-status.plugin";
import { createLoaders } from "../graphql/loaders/loaders";
import { readPlansPlugin } from "../graphql/read-plans.plugin";
import { buildGatewaySchema, ResolverContainer } from "../graphql/schema";
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  RETRY_AFTER_SECONDS,
  SERVICE_UNAVAILABLE,
  serviceUnavailablePlugin,
} from "../graphql/service-unavailable";
import {
  startSubscriptionServer,
  type SubscriptionServer,
} from "../graphql/subscriptions/subscription.server";
import { subscriptionsOverHttpPlugin } from "../graphql/subscriptions-over-http.plugin";
import type { Logger } from "../logging/logger";
import { CHANGE_REQUEST_TABLE } from "../modules/change-requests/change-request.table";
import { IncidentWriteResolver } from "../modules/incident-writes/incident-write.resolver";
import { IncidentWriteService } from "../modules/incident-writes/incident-write.service";
import { INCIDENT_TABLE } from "../modules/incidents/incident.table";
import { DoraService } from "../modules/insights/dora.service";
import { InsightsResolver } from "../modules/insights/insights.resolver";
import { RecordCountsService } from "../modules/insights/record-counts.service";
import { IntegrationResolver } from "../modules/integrations/integration.resolver";
import { IntegrationService } from "../modules/integrations/integration.service";
import { IntegrationConnectionFactory } from "../modules/integrations/integration-connection.factory";
import { IntegrationConnectionService } from "../modules/integrations/integration-connection.service";
import { PreflightService } from "../modules/integrations/preflight/preflight.service";
import { PostgresRecordChangeTransport } from "../modules/record-changes/postgres-record-change.transport";
import { RecordChangeBus } from "../modules/record-changes/record-change.bus";
import { DEFAULT_QUEUE_LIMITS } from "../modules/record-changes/record-change.queue";
import { registerRecordResolvers } from "../modules/records/record-resolvers";
import { SyncRunResolver } from "../modules/sync-runs/sync-run.resolver";
import { SyncRunService } from "../modules/sync-runs/sync-run.service";
import {
  DEFAULT_COALESCER_SETTINGS,
  WebhookCoalescer,
} from "../modules/webhooks/webhook.coalescer";
import { WebhookResolver } from "../modules/webhooks/webhook.resolver";
import { webhookRoutes } from "../modules/webhooks/webhook.routes";
import { WebhookService } from "../modules/webhooks/webhook.service";
import { WebhookRecordsWriter } from "../modules/webhooks/webhook-records.writer";
import type { AwsSecretsSource } from "../secrets/aws-secrets.source";
import { type SecretBox, SecretBoxError } from "../secrets/secret-box";
import { StartupError, StartupErrorCode } from "../startup/startup.error";
import { SyncRunner } from "../sync/sync.runner";
import { SyncScheduler } from "../sync/sync.scheduler";
import { SyncService } from "../sync/sync.service";
import { SyncLeaseRepository } from "../sync/sync-lease.repository";
import { corsMiddleware } from "./cors.middleware";
import { dashboardRoutes } from "./dashboard/dashboard.routes";
import { healthRoutes, type ReadinessProbe } from "./health.routes";
import { jsonBody } from "./json-body.middleware";
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
  /** Tests only: false answers every read through services and DataLoaders (no read plans). */
  readonly readPlans?: boolean;
  /** The level of one-line-per-request logs (default info; the demo keeps them at debug). */
  readonly requestLogLevel?: "info" | "debug";
  /** Aborting it while start-up waits for the database ends the wait (StartupAbortedError). */
  readonly signal?: AbortSignal;
  /** Tests only: events a subscriber may leave waiting before it is dropped (default 1,000). */
  readonly subscriberQueueLimit?: number;
}

export interface Gateway {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly dataSource: DataSource;
  readonly httpServer: http.Server;
  readonly syncService: SyncService;
  /** The compiled read path (its executor counts the statements it runs). */
  readonly readPlans: ReadPlans | null;
  /** Where committed record changes (sync pages, webhooks) are announced to subscribers. */
  readonly recordChanges: RecordChangeBus;
  /** Accepted webhook notifications waiting for their fetch (`idle()` waits them out). */
  readonly webhooks: WebhookCoalescer;
  /** Stops accepting requests, drains in-flight ones, closes the database. */
  stop(): Promise<void>;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Listens first, then opens the database (waiting for it up to DATABASE_CONNECT_TIMEOUT_SECONDS),
 * then mounts GraphQL and starts the scheduler; resolves once it serves. While it waits,
 * /healthz answers, /readyz says 503 and /graphql answers SERVICE_UNAVAILABLE, so an
 * orchestrator sees a live process that is not ready rather than a crash loop.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, logger } = options;
  const metrics = new GatewayMetrics();
  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);
  // Keep idle connections longer than clients and load balancers do (Node's default is 5 s,
  // undici's client reuses a socket for 4 s, load balancers idle 60 s): a server closing a
  // socket first races the client's next request on it, which then fails with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  let dataSource: DataSource | null = null;
  let serving = false;
  // Filled in once the database is open; until then the gate below answers for it.
  const databaseRoutes = Router();

  app.use(
    pinoHttp({
      logger,
      useLevel: options.requestLogLevel ?? "info",
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
  // The scheduler's probe joins once it exists.
  const probes: ReadinessProbe[] = [
    {
      name: "database",
      check: async () => {
        if (dataSource === null || !serving) {
          return false;
        }
        await dataSource.query("SELECT 1");
        return true;
      },
    },
  ];
  app.use(healthRoutes(() => probes));
  app.use(metrics.routes());
  // Static: it answers while the database opens (its GraphQL calls then get 503s).
  app.use(dashboardRoutes());
  // Before the start-up gate, so a browser frontend can read its 503 too.
  app.use("/graphql", corsMiddleware(config.corsOrigins));
  app.use((req, res, next) => (serving ? next() : answerStarting(req, res)));
  app.use(databaseRoutes);

  const url = await listen(httpServer, config);
  logger.info({ url: `${url}/graphql` }, "gateway listening; opening the database");
  try {
    dataSource = await connectDatabase(config.database, {
      timeoutMs: config.databaseConnectTimeoutMs,
      log: logger,
      signal: options.signal,
      synchronize: options.synchronize,
      logger: options.sqlLogger,
      onPoolError: (error) =>
        logger.warn(
          { reason: error.message },
          "lost a database connection; the pool opens a new one on the next query",
        ),
    });
  } catch (error) {
    await closeServer(httpServer);
    throw error;
  }
  logger.info({ database: locationOf(config.database).address }, "database ready");
  let core: ServingCore | null = null;
  try {
    core = await serve(options, dataSource, { httpServer, metrics, routes: databaseRoutes });
    const { scheduler } = core;
    if (scheduler) {
      probes.push({ name: "scheduler", check: () => scheduler.healthy() });
    }
    serving = true;
    await core.afterStart();
    logger.info({ url: `${url}/graphql` }, "gateway ready");
    const open = dataSource;
    const started = core;
    let stopping: Promise<void> | null = null;
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      dataSource: open,
      httpServer,
      syncService: started.syncService,
      readPlans: started.readPlans,
      recordChanges: started.recordChanges,
      webhooks: started.webhooks,
      stop() {
        stopping ??= (async () => {
          // No new runs, current runs stop between pages (committed pages stay), then HTTP drains.
          await started.scheduler?.stop();
          await started.syncService.stop();
          // WebSockets are not HTTP requests Apollo's drain sees: closed first, while the
          // database still answers their last reads.
          await started.closeSubscriptions();
          await started.apollo.stop();
          // After HTTP drained (no new notifications), before the database closes.
          await started.webhooks.stop();
          await open.destroy();
        })();
        return stopping;
      },
    };
  } catch (error) {
    serving = false;
    await core?.closeSubscriptions().catch(() => undefined);
    // Apollo's drain plugin closes the HTTP server once Apollo has started.
    await (core ? core.apollo.stop() : closeServer(httpServer)).catch(() => undefined);
    await core?.webhooks.stop();
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

interface ServingCore {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly syncService: SyncService;
  readonly scheduler: SyncScheduler | null;
  readonly readPlans: ReadPlans | null;
  readonly recordChanges: RecordChangeBus;
  /** Closes the graphql-ws sockets, then stops the replicas' transport (PostgreSQL). */
  closeSubscriptions(): Promise<void>;
  readonly webhooks: WebhookCoalescer;
  /** Start-up housekeeping that needs the database, then the scheduler. */
  afterStart(): Promise<void>;
}

/** Builds the services and GraphQL on an open database and mounts them on `routes`. */
async function serve(
  options: GatewayOptions,
  dataSource: DataSource,
  mount: { httpServer: http.Server; metrics: GatewayMetrics; routes: Router },
): Promise<ServingCore> {
  const { config, logger } = options;
  const { httpServer, metrics, routes } = mount;
  const production = config.env === "production";
  const recordChanges = new RecordChangeBus(logger);
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
      recordChanges,
    ),
    new SyncLeaseRepository(dataSource),
    { leaseTtlMs: config.sync.leaseTtlMs, runRetentionDays: config.sync.runRetentionDays },
    logger,
    metrics,
  );
  const scheduler = config.sync.schedulerEnabled
    ? new SyncScheduler(dataSource, syncService, { tickMs: config.sync.tickMs }, logger)
    : null;
  const webhookService = new WebhookService(
    dataSource,
    integrationService,
    options.secretBox,
    { publicUrl: config.publicUrl, secretGraceMs: config.webhooks.secretGraceMs },
    logger,
  );
  const webhookWriter = new WebhookRecordsWriter(
    dataSource,
    integrationService,
    connectionFactory,
    recordChanges,
    {
      timeoutMs: config.sync.requestTimeoutMs,
      retry: {
        maxAttempts: config.sync.retryMaxAttempts,
        baseDelayMs: config.sync.retryBaseDelayMs,
      },
      pageSize: config.sync.pageSize,
    },
    metrics,
    logger,
  );
  const webhooks = new WebhookCoalescer(
    (batch, signal) => webhookWriter.apply(batch, signal),
    DEFAULT_COALESCER_SETTINGS,
    (error, batch) => {
      metrics.webhookFlushFailed();
      logger.warn(
        {
          err: error,
          integrationId: batch.integrationId,
          table: batch.table,
          records: batch.changes.size,
        },
        "could not apply webhook notifications; the next sync run corrects the cache",
      );
    },
    logger,
  );
  const container = registerRecordResolvers(new ResolverContainer(), dataSource)
    .register(
      IntegrationResolver,
      new IntegrationResolver(integrationService, connectionService, syncService, (id) =>
        webhookService.forget(id),
      ),
    )
    .register(SyncRunResolver, new SyncRunResolver(new SyncRunService(dataSource), syncService))
    .register(WebhookResolver, new WebhookResolver(webhookService))
    .register(
      IncidentWriteResolver,
      new IncidentWriteResolver(
        new IncidentWriteService(
          dataSource,
          integrationService,
          connectionFactory,
          {
            timeoutMs: config.sync.requestTimeoutMs,
            maxRetryAfterMs: config.writes.maxRetryAfterMs,
            keyWaitMs: config.writes.keyWaitMs,
            retry: {
              maxAttempts: config.sync.retryMaxAttempts,
              baseDelayMs: config.sync.retryBaseDelayMs,
            },
          },
          logger,
          metrics,
        ),
      ),
    )
    .register(
      InsightsResolver,
      new InsightsResolver(
        new RecordCountsService(dataSource, INCIDENT_TABLE),
        new RecordCountsService(dataSource, CHANGE_REQUEST_TABLE),
        new DoraService(dataSource),
      ),
    );
  const schema = await buildGatewaySchema(container);
  const readPlans = options.readPlans === false ? null : new ReadPlans(dataSource);
  const tokens = new AccessTokens(options.adminToken, config.viewerTokens, config.writerTokens);

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    // The process owns SIGINT/SIGTERM (index.ts, the demo) and calls stop(). Apollo's own handlers
    // would start a second, concurrent stop() that never settles (5.x leaves its barrier
    // unresolved), so gateway.stop() would hang.
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter(logger, !production),
    // graphql-js's specified rules, which Apollo runs first, include MaxIntrospectionDepthRule.
    validationRules: [depthLimitRule(config.graphql.maxDepth), introspectionLimitRule()],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // No HTTP caching of GraphQL answers here: skip its per-field hook.
      ApolloServerPluginCacheControlDisabled(),
      // Inline traces are for federated subgraphs, which this schema is not; Apollo would
      // otherwise load its usage-reporting protobuf code (0.4 MB of source) to find that out.
      ApolloServerPluginInlineTraceDisabled(),
      metrics.apolloPlugin(),
      subscriptionsOverHttpPlugin(),
      readPlansPlugin(),
      costLimitPlugin(config.graphql.maxCost),
      serviceUnavailablePlugin(),
      jsonResponseStatusPlugin(),
      landingPagePlugin(production),
    ],
  });
  await apollo.start();

  // Across replicas on PostgreSQL; on SQLite changes stay in the process (one writer anyway).
  const connection = databaseConnectionOf(dataSource.options);
  const transport =
    connection?.kind === "postgres"
      ? new PostgresRecordChangeTransport(
          connection,
          dataSource,
          (change) => recordChanges.deliver(change),
          logger,
        )
      : null;
  if (transport !== null) {
    await transport.start();
    recordChanges.forwardTo((change) => transport.send(change));
  }
  const subscriptions: SubscriptionServer = startSubscriptionServer({
    httpServer,
    schema,
    tokens,
    dataSource,
    readPlans,
    recordChanges,
    queueLimits: {
      ...DEFAULT_QUEUE_LIMITS,
      events: options.subscriberQueueLimit ?? DEFAULT_QUEUE_LIMITS.events,
    },
    maxDepth: config.graphql.maxDepth,
    maxCost: config.graphql.maxCost,
    production,
    metrics,
    logger,
  });

  routes.use(oauthCallbackRoutes(connectionService, logger));
  routes.use(webhookRoutes(webhookService, webhooks, metrics));
  routes.use(
    "/graphql",
    jsonBody({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const token = bearerToken(req.headers.authorization);
        const caller = token === null ? null : tokens.callerOf(token);
        if (caller === null) {
          throw new GraphQLError(
            token === null
              ? "Missing bearer token: send Authorization: Bearer <token>."
              : "Invalid bearer token.",
            { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } },
          );
        }
        return {
          caller,
          loaders: createLoaders(dataSource),
          logger: req.log,
          requestId: String(req.id),
          readPlans,
        };
      },
    }),
  );

  return {
    apollo,
    syncService,
    scheduler,
    readPlans,
    recordChanges,
    async closeSubscriptions() {
      await subscriptions.close();
      recordChanges.forwardTo(null);
      await transport?.stop();
    },
    webhooks,
    async afterStart() {
      let reencrypted: number;
      try {
        reencrypted =
          (await integrationService.reencryptSecrets()) + (await webhookService.reencryptSecrets());
      } catch (error) {
        if (error instanceof SecretBoxError) {
          throw new StartupError(
            StartupErrorCode.SECRET_KEY_UNKNOWN,
            "stored integrations",
            error.message,
            { cause: error },
          );
        }
        throw error;
      }
      if (reencrypted > 0) {
        logger.info(
          { integrations: reencrypted },
          "re-encrypted stored secrets under the current key",
        );
      }
      const abandoned = await syncService.recoverAbandonedRuns();
      if (abandoned > 0) {
        logger.warn({ runs: abandoned }, "marked sync runs of a stopped process as abandoned");
      }
      scheduler?.start();
    },
  };
}

type LandingPageModule = typeof import("@apollo/server/plugin/landingPage/default");

/** Apollo Sandbox outside production; its module (the page's HTML) is loaded only then. */
function landingPagePlugin(production: boolean): ApolloServerPlugin {
  if (production) {
    return ApolloServerPluginLandingPageDisabled();
  }
  // require, not import(): import() would load the package's ESM build beside its CommonJS one.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const landingPage = require("@apollo/server/plugin/landingPage/default") as LandingPageModule;
  return landingPage.ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    includeCookies: false,
  });
}

/** The answer for everything but health and metrics until the database is open. */
function answerStarting(req: Request, res: Response): void {
  res.status(503).setHeader("retry-after", String(RETRY_AFTER_SECONDS));
  if (req.path === "/graphql") {
    res.json({
      errors: [
        { message: DATABASE_UNAVAILABLE_MESSAGE, extensions: { code: SERVICE_UNAVAILABLE } },
      ],
    });
    return;
  }
  res.type("text/plain").send("The gateway is starting: its database is not open yet.\n");
}

/** Listens on HOST:PORT; a refusal is a StartupError naming the address and the cause. */
async function listen(httpServer: http.Server, config: Config): Promise<string> {
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    throw listenError(error, `${config.host}:${config.port}`);
  }
  const address = httpServer.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host}:${address.port}`;
}

function listenError(error: unknown, where: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "EADDRINUSE":
      return StartupError.ofSystemError(StartupErrorCode.PORT_IN_USE, where, error);
    case "EACCES":
    case "EPERM":
      return StartupError.ofSystemError(StartupErrorCode.PORT_NOT_PERMITTED, where, error);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return StartupError.ofSystemError(StartupErrorCode.HOST_NOT_AVAILABLE, where, error);
    default:
      return error;
  }
}

async function closeServer(httpServer: http.Server): Promise<void> {
  if (!httpServer.listening) {
    return;
  }
  httpServer.closeAllConnections();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
}
