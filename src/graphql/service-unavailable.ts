import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";

import type { GatewayErrorCode } from "../common/gateway.error";
import { isDatabaseUnavailableError } from "../database/database-errors";
import type { Logger } from "../logging/logger";

export const SERVICE_UNAVAILABLE: GatewayErrorCode = "SERVICE_UNAVAILABLE";

/** Seconds a client is told to wait (Retry-After) while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

export const DATABASE_UNAVAILABLE_MESSAGE =
  "The gateway cannot reach its database right now; try again shortly.";

/**
 * A resolver error caused by the database being away (restart, network cut) becomes
 * SERVICE_UNAVAILABLE: the query was fine and will work once the database is back. Null for
 * any other error.
 */
export function formatDatabaseUnavailable(
  original: unknown,
  base: Pick<GraphQLFormattedError, "locations" | "path">,
  logger: Logger,
): GraphQLFormattedError | null {
  if (!isDatabaseUnavailableError(original)) {
    return null;
  }
  logger.warn(
    { path: base.path, reason: original instanceof Error ? original.message : String(original) },
    "database unavailable while resolving",
  );
  return {
    ...base,
    message: DATABASE_UNAVAILABLE_MESSAGE,
    extensions: { code: SERVICE_UNAVAILABLE },
  };
}

/** Answers HTTP 503 with Retry-After when an error says SERVICE_UNAVAILABLE (load balancers retry). */
export function serviceUnavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors =
            response.body.kind === "single"
              ? response.body.singleResult.errors
              : response.body.initialResult.errors;
          if (errors?.some((error) => error.extensions?.code === SERVICE_UNAVAILABLE)) {
            response.http.status = 503;
            response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
          }
        },
      };
    },
  };
}
