import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import Negotiator from "negotiator";

const APPLICATION_JSON = "application/json; charset=utf-8";
/** Apollo's candidates, in Apollo's order, so both pick the same type for one Accept header. */
const RESPONSE_MEDIA_TYPES = [
  APPLICATION_JSON,
  "application/graphql-response+json; charset=utf-8",
  "application/json; callbackSpec=1.0; charset=utf-8",
];

/**
 * GraphQL over HTTP: a response sent as `application/json` (what a client gets that sends
 * `Accept: application/json`, or no Accept header) uses status 200 for every well-formed request,
 * whatever its GraphQL errors: a document that does not parse or validate, variables that do not
 * coerce, a limit exceeded. Apollo answers those 400, which the spec keeps for
 * `application/graphql-response+json`; this plugin changes only the `application/json` case.
 * Requests that are not well-formed (`BAD_REQUEST`: no query, batching, a subscription over
 * HTTP, …) keep their 4xx.
 */
export function jsonResponseStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.http.status !== 400 || response.body.kind !== "single") {
            return;
          }
          const errors = response.body.singleResult.errors ?? [];
          if (
            errors.length === 0 ||
            errors.some((error) => error.extensions?.code === ApolloServerErrorCode.BAD_REQUEST)
          ) {
            return;
          }
          const accept = request.http?.headers.get("accept");
          const mediaType = accept
            ? new Negotiator({ headers: { accept } }).mediaType(RESPONSE_MEDIA_TYPES)
            : APPLICATION_JSON;
          if (mediaType === APPLICATION_JSON) {
            response.http.status = 200;
            response.http.headers.set("content-type", APPLICATION_JSON);
          }
        },
      };
    },
  };
}
