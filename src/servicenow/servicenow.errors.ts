export const SERVICENOW_ERROR_CODES = [
  "AUTH_FAILED",
  "FORBIDDEN",
  "NOT_FOUND",
  "RATE_LIMITED",
  "TIMEOUT",
  "UNREACHABLE",
  "INVALID_RESPONSE",
  "SERVER_ERROR",
  "BAD_REQUEST",
  /** A write refused by the instance: data policy, ACL, business rule (400 or 403 on a write). */
  "REJECTED",
] as const;

export type ServiceNowErrorCode = (typeof SERVICENOW_ERROR_CODES)[number];

export interface ServiceNowErrorInit {
  readonly code: ServiceNowErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly method?: string;
  /** Path and query of the request, with sensitive parameters redacted; never credentials. */
  readonly url?: string;
  readonly serviceNowMessage?: string;
  readonly serviceNowDetail?: string;
  readonly retryAfterMs?: number;
  /** `ENOTFOUND`, `EAI_AGAIN`, `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, TLS codes… */
  readonly networkCode?: string;
  /** The OAuth grant is gone (refresh token rejected): a person must authorize again. */
  readonly needsReauthorization?: boolean;
  /** REJECTED: the field ServiceNow named (a column name or, for data policies, its label). */
  readonly field?: string;
  readonly cause?: unknown;
}

/**
 * Every failure talking to ServiceNow. Callers switch on `code`; `retryable` says whether trying
 * the same request later may succeed. Messages are written for the person fixing the integration
 * and never contain a password, secret, token or Authorization header.
 */
export class ServiceNowError extends Error {
  override readonly name = "ServiceNowError";
  readonly code: ServiceNowErrorCode;
  readonly retryable: boolean;
  readonly status?: number;
  readonly method?: string;
  readonly url?: string;
  readonly serviceNowMessage?: string;
  readonly serviceNowDetail?: string;
  readonly retryAfterMs?: number;
  readonly networkCode?: string;
  readonly needsReauthorization?: boolean;
  readonly field?: string;
  /**
   * Set by the write methods: the request may have reached ServiceNow and been committed even
   * though no answer came back (timeout, reset, 5xx, a cut-short body). Never retried blindly.
   */
  outcomeUnknown?: boolean;
  /** How many HTTP attempts were made before giving up (set by the client). */
  attempts?: number;

  constructor(init: ServiceNowErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.retryable = init.retryable;
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.serviceNowMessage = init.serviceNowMessage;
    this.serviceNowDetail = init.serviceNowDetail;
    this.retryAfterMs = init.retryAfterMs;
    this.networkCode = init.networkCode;
    this.needsReauthorization = init.needsReauthorization;
    this.field = init.field;
  }

  /** RATE_LIMITED: whole seconds to wait before trying again, when the instance said. */
  get retryAfterSeconds(): number | undefined {
    return this.retryAfterMs === undefined ? undefined : Math.ceil(this.retryAfterMs / 1000);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      status: this.status,
      method: this.method,
      url: this.url,
      serviceNowMessage: this.serviceNowMessage,
      serviceNowDetail: this.serviceNowDetail,
      retryAfterMs: this.retryAfterMs,
      networkCode: this.networkCode,
      needsReauthorization: this.needsReauthorization,
      field: this.field,
      outcomeUnknown: this.outcomeUnknown,
      attempts: this.attempts,
    };
  }
}

export function isServiceNowError(error: unknown): error is ServiceNowError {
  return error instanceof ServiceNowError;
}

export type EncodedQueryErrorCode = "INVALID_FIELD" | "INVALID_VALUE" | "INVALID_QUERY";

/**
 * A query that cannot be encoded safely. Thrown before anything is sent, because ServiceNow
 * silently ignores bad terms and would answer with the wrong rows instead of an error.
 */
export class EncodedQueryError extends Error {
  override readonly name = "EncodedQueryError";
  readonly code: EncodedQueryErrorCode;

  constructor(code: EncodedQueryErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export class InvalidTimeZoneError extends Error {
  override readonly name = "InvalidTimeZoneError";
  readonly code = "INVALID_TIME_ZONE";

  constructor(readonly timeZone: string) {
    super(`Unknown time zone "${timeZone}": expected an IANA name such as "Europe/Paris"`);
  }
}
