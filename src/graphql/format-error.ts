import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import type { ValidationError } from "class-validator";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";

import { GatewayError } from "../common/gateway.error";
import type { Logger } from "../logging/logger";
import { formatDatabaseUnavailable, SERVICE_UNAVAILABLE } from "./service-unavailable";

function firstConstraint(
  errors: readonly ValidationError[],
  prefix = "",
): { field: string; message: string } | null {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      return { field, message: messages.join("; ") };
    }
    const nested = firstConstraint(error.children ?? [], field);
    if (nested) {
      return nested;
    }
  }
  return null;
}

const VARIABLE_ERROR = /^Variable "\$(\w+)" got invalid value /;

/**
 * graphql-js quotes the offending variable value in its message, and for an unknown input
 * field that is the whole input object, secrets included (a mistyped `pasword`, or the real
 * `password` beside it). Rebuild the message from the path and the reason, without values.
 */
function describeVariableError(
  message: string,
  error: unknown,
): { message: string; field?: string } | null {
  const variable = VARIABLE_ERROR.exec(message);
  if (!variable) {
    return null;
  }
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const reason = inner?.message ?? "";
  const head =
    reason && message.endsWith(`; ${reason}`) ? message.slice(0, -reason.length - 2) : message;
  const path = / at "([^"]*)"$/.exec(head)?.[1];
  // Scalar errors end with the rejected value ("… non string value: 5"): drop it too.
  const safeReason = reason.replace(/(value)\s*:\s[\s\S]*$/i, "$1").trim();
  return {
    message: `Variable "$${variable[1]}" has an invalid value${path ? ` at "${path}"` : ""}${safeReason ? `: ${safeReason}` : ""}.`,
    ...(path ? { field: path } : { field: variable[1] }),
  };
}

/**
 * Request errors that Apollo raises without a code (`requestPipeline.ts`), which would otherwise
 * read as server faults. Matched on Apollo's wording; the client-errors test notices a change.
 */
const UNCODED_APOLLO_REQUEST_ERRORS: ReadonlyMap<string, string> = new Map([
  ["provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH"],
  ["Unsupported persisted query version", ApolloServerErrorCode.BAD_REQUEST],
]);

/** Caller mistakes worth a warning: someone may be probing tokens or roles. */
const WARN_CODES: ReadonlySet<unknown> = new Set(["UNAUTHENTICATED", "FORBIDDEN"]);

/**
 * Every error leaves with a code. Expected errors keep their message, name the field at fault and
 * are logged at info (auth failures at warn); unexpected ones are logged at error and replaced by
 * a generic message (no internals, no secrets).
 */
export function createErrorFormatter(logger: Logger, includeStacktrace: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatForClient(formatted, error, includeStacktrace, logger);
    const code = result.extensions?.code;
    if (code === SERVICE_UNAVAILABLE) {
      // Not the caller's doing, and already logged at warn with its reason.
    } else if (code === "INTERNAL_SERVER_ERROR") {
      logger.error(
        { err: unwrapResolverError(error), path: formatted.path },
        "unexpected error while resolving",
      );
    } else {
      // The message logged is the one sent: variable values already taken out.
      logger[WARN_CODES.has(code) ? "warn" : "info"](
        { code, path: result.path, field: result.extensions?.field },
        result.message,
      );
    }
    return result;
  };
}

function formatForClient(
  formatted: GraphQLFormattedError,
  error: unknown,
  includeStacktrace: boolean,
  logger: Logger,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof GatewayError) {
    return {
      ...base,
      message: original.message,
      extensions: {
        code: original.code,
        ...(original.field ? { field: original.field } : {}),
        ...(original.details ?? {}),
      },
    };
  }
  if (original instanceof ArgumentValidationError) {
    const fault = firstConstraint(original.extensions.validationErrors);
    return {
      ...base,
      message: fault ? fault.message : "Invalid argument",
      extensions: { code: "BAD_USER_INPUT", ...(fault ? { field: fault.field } : {}) },
    };
  }
  const variableError = describeVariableError(formatted.message, error);
  if (variableError) {
    return {
      ...base,
      message: variableError.message,
      extensions: {
        code: "BAD_USER_INPUT",
        ...(variableError.field ? { field: variableError.field } : {}),
      },
    };
  }
  const apolloCode =
    error instanceof GraphQLError && error.extensions.code === undefined
      ? UNCODED_APOLLO_REQUEST_ERRORS.get(error.message)
      : undefined;
  if (apolloCode !== undefined) {
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: apolloCode } };
  }
  let code = formatted.extensions?.code;
  // Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED; keep our rules' own codes.
  const cause = error instanceof GraphQLError ? error.originalError : undefined;
  if (
    code === "GRAPHQL_VALIDATION_FAILED" &&
    cause instanceof GraphQLError &&
    typeof cause.extensions.code === "string"
  ) {
    code = cause.extensions.code;
    formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
  }
  if (code === "UNAUTHORIZED") {
    return {
      ...base,
      message: "This operation needs the admin role.",
      extensions: { code: "FORBIDDEN" },
    };
  }
  if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") {
    return includeStacktrace
      ? formatted
      : { ...formatted, extensions: { ...formatted.extensions, stacktrace: undefined } };
  }
  const unavailable = formatDatabaseUnavailable(original, base, logger);
  if (unavailable) {
    return unavailable;
  }
  return {
    ...base,
    message: "Internal server error",
    extensions: {
      code: "INTERNAL_SERVER_ERROR",
      ...(includeStacktrace && original instanceof Error
        ? { stacktrace: original.stack?.split("\n") }
        : {}),
    },
  };
}
