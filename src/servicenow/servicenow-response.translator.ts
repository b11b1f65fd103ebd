import { ServiceNowError, type ServiceNowErrorCode } from "./servicenow.errors";
import type { PageLinks, RateLimitInfo } from "./servicenow.types";

/**
 * Turns HTTP outcomes (status, headers, body, or a thrown network error) into ServiceNowErrors and
 * header values. Shared by the Table API client and the OAuth token endpoint.
 */

export interface RequestContext {
  readonly method: string;
  /** From `safeRequestPath`: no credentials, sensitive parameters redacted. */
  readonly url: string;
  /** Strings that must never appear in an error (credentials, tokens, header values). */
  readonly secrets: readonly string[];
  readonly nowMs: number;
}

const SENSITIVE_PARAMS = new Set([
  "access_token",
  "refresh_token",
  "code",
  "client_secret",
  "password",
  "token",
  "state",
]);
const REDACTED = "[redacted]";
const MAX_RETRY_AFTER_SECONDS = 31 * 86_400;

/** Path and query of a URL with OAuth-ish parameters redacted; never user info or host. */
export function safeRequestPath(url: URL): string {
  const params = new URLSearchParams(url.search);
  for (const key of [...params.keys()]) {
    if (SENSITIVE_PARAMS.has(key.toLowerCase())) {
      params.set(key, REDACTED);
    }
  }
  const search = params.toString();
  return search === "" ? url.pathname : `${url.pathname}?${search}`;
}

/** `Retry-After` as delta seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Math.min(Number(trimmed), MAX_RETRY_AFTER_SECONDS) * 1000;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** `X-RateLimit-Limit/Remaining/Reset/Rule`, present only when a rate limit rule applies. */
export function parseRateLimit(headers: Headers): RateLimitInfo | undefined {
  const limit = toInt(headers.get("x-ratelimit-limit"));
  const reset = toInt(headers.get("x-ratelimit-reset"));
  if (limit === undefined || reset === undefined) {
    return undefined;
  }
  const remaining = toInt(headers.get("x-ratelimit-remaining"));
  const rule = headers.get("x-ratelimit-rule") ?? undefined;
  return {
    limit,
    resetAt: new Date(reset * 1000),
    ...(remaining === undefined ? {} : { remaining }),
    ...(rule === undefined ? {} : { rule }),
  };
}

export function parseTotalCount(headers: Headers): number | undefined {
  return toInt(headers.get("x-total-count"));
}

/** `<url>;rel="next",<url>;rel="last"` → `{ next, last }`. */
export function parseLinks(header: string | null): PageLinks {
  const links: Record<string, string> = {};
  if (header === null) {
    return links;
  }
  for (const match of header.matchAll(/<([^>]*)>\s*;\s*rel="?([a-z]+)"?/gi)) {
    const [, url, rel] = match;
    if (url !== undefined && rel !== undefined && /^(first|prev|next|last)$/i.test(rel)) {
      links[rel.toLowerCase()] = url;
    }
  }
  return links;
}

export function isJsonContentType(contentType: string | null): boolean {
  return contentType !== null && /\bjson\b/i.test(contentType);
}

export interface ServiceNowErrorBody {
  readonly message?: string;
  readonly detail?: string;
}

/**
 * The Table API's `{"error": {"message", "detail"}, "status": "failure"}` or the token
 * endpoint's `{"error", "error_description"}`; empty when the body is neither.
 */
export function parseErrorBody(text: string): ServiceNowErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(body)) {
    return {};
  }
  const { error } = body;
  if (isObject(error)) {
    return { message: asString(error.message), detail: asString(error.detail) };
  }
  return { message: asString(error), detail: asString(body.error_description) };
}

export interface StatusErrorOptions {
  /** `basic` adds the basic-auth restriction hint to a 401. */
  readonly authKind?: string;
  /** A Table API write (POST, PATCH, PUT, DELETE): a 400/403 is then a REJECTED refusal. */
  readonly write?: boolean;
}

/** A non-2xx response (or a 3xx, which we never follow) as a ServiceNowError. */
export function errorFromStatus(
  status: number,
  headers: Headers,
  bodyText: string,
  context: RequestContext,
  options: StatusErrorOptions = {},
): ServiceNowError {
  const body = parseErrorBody(bodyText);
  const serviceNowMessage = scrubOptional(body.message, context.secrets);
  const serviceNowDetail = scrubOptional(body.detail, context.secrets);
  const said = serviceNowMessage === undefined ? `${status}` : `${status} ${serviceNowMessage}`;
  const where = `${context.method} ${pathOnly(context.url)}`;
  let code: ServiceNowErrorCode;
  let retryable = false;
  let human: string;
  let retryAfterMs: number | undefined;

  const write = options.write === true;
  let field: string | undefined;

  if (write && (status === 400 || status === 403)) {
    // Data policies, ACLs and business rules refuse writes with 403 (or 400): ServiceNow's own
    // words are what the caller needs.
    code = "REJECTED";
    field = rejectedField(`${serviceNowMessage ?? ""} ${serviceNowDetail ?? ""}`);
    const words = [serviceNowMessage, serviceNowDetail]
      .filter((text) => text !== undefined)
      .join(": ");
    human = `ServiceNow refused the write (${status}${words === "" ? "" : ` ${words}`})`;
  } else if (status >= 300 && status < 400) {
    code = "INVALID_RESPONSE";
    human = `ServiceNow redirected the request${redirectTarget(headers)} instead of answering: check the instance URL (scheme, host, path)`;
  } else if (status === 400) {
    code = "BAD_REQUEST";
    human = `ServiceNow refused the request as invalid (${said}): check the table and field names`;
  } else if (status === 401) {
    code = "AUTH_FAILED";
    human =
      options.authKind === "basic"
        ? `ServiceNow rejected the credentials (${said}). If the username and password are right, the instance may refuse basic auth for this user (glide.authenticate.basic_auth.restriction.enforce): make it a "web service access only" user or grant it snc_basic_auth_api_access`
        : `ServiceNow rejected the credentials (${said})`;
  } else if (status === 403) {
    code = "FORBIDDEN";
    human = `The ServiceNow user is not allowed to do this (${said}): grant read access to the table (roles, ACLs) or a REST API scope that covers the call`;
  } else if (status === 404) {
    code = "NOT_FOUND";
    human = `ServiceNow found nothing here (${said}): the record or table does not exist, or an ACL hides it`;
  } else if (status === 408) {
    code = "TIMEOUT";
    retryable = true;
    human = `ServiceNow timed out the request (${said})`;
  } else if (status === 429) {
    code = "RATE_LIMITED";
    retryable = true;
    retryAfterMs =
      parseRetryAfterMs(headers.get("retry-after"), context.nowMs) ??
      resetDelayMs(headers, context.nowMs);
    const wait =
      retryAfterMs === undefined
        ? ""
        : `; it may be retried in ${Math.ceil(retryAfterMs / 1000)} s`;
    human = `ServiceNow's rate limit for this user was reached (${said})${wait}`;
  } else if (status >= 500) {
    code = "SERVER_ERROR";
    retryable = true;
    const cancelled = /maximum execution time/i.test(`${body.message} ${body.detail}`)
      ? ": the transaction ran out of time, ask for smaller pages"
      : "";
    human = `ServiceNow failed to answer (${said})${cancelled}`;
  } else if (status >= 400) {
    code = "BAD_REQUEST";
    human = `ServiceNow refused the request (${said})`;
  } else {
    code = "INVALID_RESPONSE";
    human = `ServiceNow answered with an unexpected status ${status}`;
  }

  return new ServiceNowError({
    code,
    retryable,
    status,
    method: context.method,
    url: context.url,
    serviceNowMessage,
    serviceNowDetail,
    retryAfterMs,
    ...(field === undefined ? {} : { field }),
    message: scrubSecrets(`${human} — ${where}`, context.secrets),
  });
}

/**
 * The field a refusal names, if any: a data policy lists mandatory fields by label ("The
 * following fields are mandatory: Caller, Short description"), other refusals name a column
 * ("Invalid field: u_x", "field: caller_id").
 */
export function rejectedField(text: string): string | undefined {
  const mandatory = /fields? (?:are|is) mandatory:\s*([^,\n]+)/i.exec(text);
  if (mandatory?.[1] !== undefined) {
    return mandatory[1].trim();
  }
  const named = /\bfield(?: name)?\s*[:=]\s*['"]?([a-z][a-z0-9_]*)/i.exec(text);
  return named?.[1];
}

export function invalidResponse(
  reason: string,
  status: number,
  context: RequestContext,
  retryable = false,
): ServiceNowError {
  return new ServiceNowError({
    code: "INVALID_RESPONSE",
    retryable,
    status,
    method: context.method,
    url: context.url,
    message: scrubSecrets(
      `${reason} — ${context.method} ${pathOnly(context.url)}`,
      context.secrets,
    ),
  });
}

/** A thrown fetch failure (DNS, connect, reset, TLS, abort by timeout) as a ServiceNowError. */
export function errorFromException(
  error: unknown,
  context: RequestContext,
  timedOutAfterMs: number | undefined,
): ServiceNowError {
  const where = `${context.method} ${pathOnly(context.url)}`;
  const base = { method: context.method, url: context.url, cause: error };
  if (timedOutAfterMs !== undefined) {
    return new ServiceNowError({
      ...base,
      code: "TIMEOUT",
      retryable: true,
      message: `ServiceNow did not answer within ${timedOutAfterMs} ms — ${where}`,
    });
  }
  const networkCode = findNetworkCode(error);
  const { code, retryable, human } = describeNetworkFailure(networkCode);
  return new ServiceNowError({
    ...base,
    code,
    retryable,
    networkCode,
    message: scrubSecrets(`${human} — ${where}`, context.secrets),
  });
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    // Very short strings would shred ordinary words; real secrets are longer.
    if (secret.length >= 4) {
      scrubbed = scrubbed.split(secret).join(REDACTED);
    }
  }
  return scrubbed;
}

function scrubOptional(text: string | undefined, secrets: readonly string[]): string | undefined {
  return text === undefined ? undefined : scrubSecrets(text, secrets);
}

function describeNetworkFailure(networkCode: string | undefined): {
  code: ServiceNowErrorCode;
  retryable: boolean;
  human: string;
} {
  switch (networkCode) {
    case "ENOTFOUND":
      return {
        code: "UNREACHABLE",
        retryable: false,
        human: "The instance host name does not resolve (DNS ENOTFOUND): check the URL",
      };
    case "EAI_AGAIN":
      return {
        code: "UNREACHABLE",
        retryable: true,
        human: "The DNS lookup of the instance failed temporarily (EAI_AGAIN)",
      };
    case "ECONNREFUSED":
      return {
        code: "UNREACHABLE",
        retryable: false,
        human:
          "Nothing accepts connections at the instance address (ECONNREFUSED): check host and port",
      };
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return {
        code: "UNREACHABLE",
        retryable: true,
        human: `The connection to ServiceNow was reset (${networkCode})`,
      };
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return {
        code: "UNREACHABLE",
        retryable: true,
        human: `Connecting to the instance timed out (${networkCode}): check network access`,
      };
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
      return {
        code: "TIMEOUT",
        retryable: true,
        human: `ServiceNow stopped answering (${networkCode})`,
      };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return {
        code: "UNREACHABLE",
        retryable: false,
        human: `The instance address cannot be reached from here (${networkCode}): check routing and firewalls`,
      };
    default:
      if (networkCode !== undefined && isTlsCode(networkCode)) {
        return {
          code: "UNREACHABLE",
          retryable: false,
          human: `The TLS handshake with the instance failed (${networkCode}): check its certificate`,
        };
      }
      return {
        code: "UNREACHABLE",
        retryable: false,
        human: `The request to ServiceNow failed${networkCode === undefined ? "" : ` (${networkCode})`}`,
      };
  }
}

function isTlsCode(code: string): boolean {
  return /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/.test(
    code,
  );
}

/** A thrown fetch/DNS failure in words a person can act on, e.g. for a reachability check. */
export function describeNetworkError(error: unknown): string {
  return describeNetworkFailure(findNetworkCode(error)).human;
}

/** The first `code` along the cause chain (undici wraps errors as `TypeError: fetch failed`). */
export function findNetworkCode(error: unknown, depth = 0): string | undefined {
  if (!isObject(error) || depth > 5) {
    return undefined;
  }
  if (typeof error.code === "string" && error.code !== "") {
    return error.code;
  }
  if (Array.isArray(error.errors)) {
    for (const inner of error.errors) {
      const code = findNetworkCode(inner, depth + 1);
      if (code !== undefined) {
        return code;
      }
    }
  }
  return findNetworkCode(error.cause, depth + 1);
}

function resetDelayMs(headers: Headers, nowMs: number): number | undefined {
  const reset = toInt(headers.get("x-ratelimit-reset"));
  return reset === undefined ? undefined : Math.max(0, reset * 1000 - nowMs);
}

function redirectTarget(headers: Headers): string {
  const location = headers.get("location");
  if (location === null) {
    return "";
  }
  try {
    const target = new URL(location, "http://relative.invalid");
    // Origin and path only: a login redirect's query can carry SAML or session material.
    return target.host === "relative.invalid"
      ? ` to ${target.pathname}`
      : ` to ${target.origin}${target.pathname}`;
  } catch {
    return "";
  }
}

function pathOnly(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : url.slice(0, index);
}

function toInt(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
