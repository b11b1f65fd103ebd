import { randomUUID } from "node:crypto";
import type http from "node:http";

import {
  type DocumentNode,
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import type { Context } from "graphql-ws";
import { type Extra, useServer } from "graphql-ws/use/ws";
import type { DataSource } from "typeorm";
import { WebSocketServer } from "ws";

import { type AccessTokens, bearerToken } from "../../auth/access-tokens";
import type { ReadPlans } from "../../database/read/read-plans";
import type { GatewayMetrics } from "../../http/metrics";
import type { Logger } from "../../logging/logger";
import { ChangedRecordsReader } from "../../modules/record-changes/changed-records.reader";
import type { RecordChangeBus } from "../../modules/record-changes/record-change.bus";
import type { RecordChangeFeed } from "../../modules/record-changes/record-change.feed";
import {
  RecordChangeQueue,
  type RecordChangeQueueLimits,
} from "../../modules/record-changes/record-change.queue";
import type { Caller, GraphQLContext } from "../context.type";
import { operationCost, tooCostly } from "../cost-limit.plugin";
import { depthLimitRule } from "../depth-limit.rule";
import { createErrorFormatter } from "../format-error";
import { introspectionLimitRule } from "../introspection-limit.rule";
import { createLoaders, type Loaders } from "../loaders/loaders";

/** graphql-ws closes a refused connection_init with 4403 Forbidden (its onConnect → false). */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 4430;
export const SLOW_SUBSCRIBER_REASON = "subscriber too slow";

/** How long a stopping gateway waits for clients to answer its close frame. */
const CLOSE_GRACE_MS = 1000;

export interface SubscriptionServerOptions {
  readonly httpServer: http.Server;
  readonly schema: GraphQLSchema;
  readonly tokens: AccessTokens;
  readonly dataSource: DataSource;
  readonly readPlans: ReadPlans | null;
  readonly recordChanges: RecordChangeBus;
  readonly queueLimits: RecordChangeQueueLimits;
  readonly maxDepth: number;
  /** GRAPHQL_MAX_COST, applied to what one event of a subscription resolves. */
  readonly maxCost: number;
  readonly production: boolean;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
}

export interface SubscriptionServer {
  /** Closes every socket (1001 Going away) and stops accepting upgrades. */
  close(): Promise<void>;
}

/** What a connection keeps between graphql-ws callbacks. */
type ConnectionExtra = {
  caller: Caller;
  connectionId: string;
};

type ConnectionContext = Context<Record<string, unknown>, Extra & Partial<ConnectionExtra>>;

/** A subscription's context: an HTTP request's, with loaders renewed for every event. */
interface SubscriptionContext extends GraphQLContext {
  renewLoaders(): void;
}

/** The error with `code` unless it carries one already. */
function coded(error: unknown, code: string): GraphQLError {
  const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  if (typeof graphqlError.extensions.code === "string") {
    return graphqlError;
  }
  return new GraphQLError(graphqlError.message, {
    nodes: graphqlError.nodes,
    source: graphqlError.source,
    positions: graphqlError.positions,
    extensions: { ...graphqlError.extensions, code },
  });
}

function isSubscriptionContext(value: unknown): value is SubscriptionContext {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<SubscriptionContext>).renewLoaders === "function"
  );
}

/**
 * GraphQL subscriptions over graphql-ws, on the HTTP server's port and path (/graphql): an
 * upgrade there is a WebSocket, anything else stays Express's. The token comes in the
 * connection_init payload (`{ "authorization": "Bearer <token>" }`) and is checked as HTTP's;
 * operations get the HTTP limits (depth, introspection, cost per event) and errors leave through
 * the same formatter. Only subscriptions are served here: queries and mutations go over HTTP,
 * where CSRF prevention and the operation metrics apply.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, tokens, dataSource, readPlans, logger, metrics } = options;
  const log = logger.child({ component: "subscriptions" });
  const format = createErrorFormatter(log, !options.production);
  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => format(error.toJSON(), error));
  const rules = [...specifiedRules, depthLimitRule(options.maxDepth), introspectionLimitRule()];
  const records = new ChangedRecordsReader(dataSource, readPlans);
  const webSockets = new WebSocketServer({ server: options.httpServer, path: "/graphql" });

  const feedFor = (ctx: ConnectionContext): RecordChangeFeed => ({
    records,
    listen: (accept) => {
      metrics.subscriberCountChanged(1);
      return new RecordChangeQueue(options.recordChanges, accept, options.queueLimits, {
        onOverflow: () => {
          metrics.subscriberDropped();
          log.warn(
            { connectionId: ctx.extra.connectionId, limits: options.queueLimits },
            "closing a subscriber that does not keep up with record changes",
          );
          ctx.extra.socket.close(SLOW_SUBSCRIBER_CLOSE_CODE, SLOW_SUBSCRIBER_REASON);
        },
        onEnd: () => metrics.subscriberCountChanged(-1),
      });
    },
  });

  const server = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      isProd: options.production,
      onConnect: (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const token = bearerToken(typeof authorization === "string" ? authorization : undefined);
        const caller = token === null ? null : tokens.callerOf(token);
        if (caller === null) {
          log.warn(
            { reason: token === null ? "missing bearer token" : "invalid bearer token" },
            "refused a subscription connection (4403)",
          );
          return false;
        }
        ctx.extra.caller = caller;
        ctx.extra.connectionId = randomUUID();
        return true;
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [coded(error, "GRAPHQL_PARSE_FAILED")];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) {
          // Apollo's codes for the same refusals over HTTP; our rules' own codes stay.
          return errors.map((error) => coded(error, "GRAPHQL_VALIDATION_FAILED"));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError(
              "The document has no operation, or several: name one in operationName.",
              {
                extensions: { code: "BAD_REQUEST" },
              },
            ),
          ];
        }
        if (operation.operation !== "subscription") {
          return [
            new GraphQLError(
              "Only subscriptions are served over graphql-ws: send queries and mutations as HTTP POST /graphql.",
              { extensions: { code: "BAD_REQUEST" } },
            ),
          ];
        }
        const cost = operationCost(schema, document, operation, payload.variables ?? {});
        if (cost > options.maxCost) {
          return [tooCostly(cost, options.maxCost)];
        }
        const caller = ctx.extra.caller;
        if (caller === undefined) {
          // onConnect refused it already; graphql-ws never subscribes before acknowledging.
          return [
            new GraphQLError("Not authenticated", { extensions: { code: "UNAUTHENTICATED" } }),
          ];
        }
        const requestId = `${ctx.extra.connectionId ?? "ws"}:${id}`;
        let loaders: Loaders = createLoaders(dataSource);
        const contextValue: SubscriptionContext = {
          caller,
          get loaders() {
            return loaders;
          },
          logger: log.child({ requestId, tokenName: caller.tokenName }),
          requestId,
          readPlans,
          recordChanges: feedFor(ctx),
          // DataLoaders cache for their context's lifetime: a long-lived subscription would
          // answer a later event's relations from an earlier event's reads.
          renewLoaders() {
            loaders = createLoaders(dataSource);
          },
        };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (isSubscriptionContext(args.contextValue)) {
          args.contextValue.renewLoaders();
        }
        if (result.errors === undefined || result.errors.length === 0) {
          return undefined;
        }
        return { ...result, errors: formatAll(result.errors) };
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    },
    webSockets,
  );
  log.debug("subscriptions served over graphql-ws on /graphql");
  return {
    async close() {
      // dispose() waits for every client's closing handshake; one that never answers (paused,
      // gone) would hold the stop for ws's 30 s close timeout.
      const terminate = setTimeout(() => {
        for (const socket of webSockets.clients) {
          socket.terminate();
        }
      }, CLOSE_GRACE_MS);
      try {
        await server.dispose();
      } finally {
        clearTimeout(terminate);
      }
    },
  };
}
