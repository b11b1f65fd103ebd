/** Codes a client can switch on; they appear as `extensions.code` on GraphQL errors. */
export type GatewayErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR"
  // Incident writes (src/modules/incident-writes/).
  | "WRITES_DISABLED"
  | "TRANSACTION_LIMIT_REACHED"
  | "SERVICENOW_REJECTED"
  | "SERVICENOW_RATE_LIMITED"
  | "SERVICENOW_UNAVAILABLE";

/**
 * An error meant for the API's caller: its message is safe to show (never a secret) and,
 * for bad input, `field` names the argument at fault (e.g. `first`, `input.url`).
 */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "GatewayError";
  }

  static badInput(field: string, message: string): GatewayError {
    return new GatewayError("BAD_USER_INPUT", message, field);
  }

  static notFound(message: string, field?: string): GatewayError {
    return new GatewayError("NOT_FOUND", message, field);
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
