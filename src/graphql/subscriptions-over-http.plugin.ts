import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { GraphQLError } from "graphql";

/**
 * A `subscription` sent as a plain POST: graphql-js would fail it deep in execution ("Schema is
 * not configured to execute subscription operation"), which reads as a server fault. Say instead
 * where subscriptions are served. (A GET is refused earlier by Apollo: 405, queries only.)
 */
export function subscriptionsOverHttpPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError(
              "Subscriptions are not served over plain HTTP: they use the graphql-ws protocol over a WebSocket on /graphql.",
              { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
