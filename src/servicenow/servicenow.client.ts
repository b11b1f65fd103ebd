import { setTimeout as delay } from "node:timers/promises";

import type { Logger } from "../logging/logger";
import { type EncodedQuery, query as encodedQuery } from "./encoded-query.builder";
import { type AuthProvider, secretsOfAuthorization } from "./servicenow.auth";
import { isServiceNowError, ServiceNowError } from "./servicenow.errors";
import type {
  DisplayValueMode,
  PageLinks,
  RateLimitInfo,
  RawRecord,
  RawValue,
} from "./servicenow.types";
import {
  errorFromException,
  errorFromStatus,
  invalidResponse,
  isJsonContentType,
  parseLinks,
  parseRateLimit,
  parseTotalCount,
  type RequestContext,
  safeRequestPath,
} from "./servicenow-response.translator";
import { instanceEndpoint, normalizeInstanceUrl } from "./servicenow-url";

export interface RetryOptions {
  /** Total HTTP attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Backoff ceiling for attempt n is min(maxDelayMs, baseDelayMs · 2^(n-1)); full jitter below. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A 429 asking to wait longer than this fails RATE_LIMITED at once instead of blocking. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

export interface ServiceNowClientOptions {
  readonly instanceUrl: string;
  readonly auth: AuthProvider;
  readonly logger: Logger;
  /** Per HTTP attempt, body included (default 30 s; ServiceNow itself cancels at 60 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryOptions>;
  /**
   * Writes wait out a 429 only when Retry-After is at most this (default 10 s): a person or a
   * monitoring system is waiting on the answer. Longer waits fail RATE_LIMITED at once.
   */
  readonly writeMaxRetryAfterMs?: number;
  readonly userAgent?: string;
  readonly fetchImpl?: typeof fetch;
  /** Waits between attempts; rejects when `signal` aborts. Injected by tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): the jitter source. */
  readonly random?: () => number;
  readonly now?: () => number;
}

export interface TableQueryParams {
  /** An encoded query from the builder (`query()`, `keysetQuery()`); never raw user text. */
  readonly query?: EncodedQuery | string;
  readonly fields?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly displayValue?: DisplayValueMode;
  readonly excludeReferenceLink?: boolean;
  /** Skip the count (`X-Total-Count` is then absent). */
  readonly noCount?: boolean;
  /** Cancels the call (shutdown); rejects with the signal's reason, never retried. */
  readonly signal?: AbortSignal;
}

export interface TablePage {
  readonly records: RawRecord[];
  /** `X-Total-Count`: rows matching before ACLs; absent with `noCount`. */
  readonly totalCount?: number;
  readonly links: PageLinks;
  readonly rateLimit?: RateLimitInfo;
  /** The instance's clock when it answered (HTTP `Date` header), if it sent one. */
  readonly serverTime?: Date;
}

export interface RecordResult {
  readonly record: RawRecord;
  readonly rateLimit?: RateLimitInfo;
}

/** What a write answers with: the stored record, in the shape the sync reads it. */
export interface WriteParams {
  /** `sysparm_fields` of the returned record (all fields when absent). */
  readonly fields?: readonly string[];
  readonly displayValue?: DisplayValueMode;
  readonly excludeReferenceLink?: boolean;
  readonly signal?: AbortSignal;
}

/** Field values to write: ServiceNow field name → value (sys_ids for references). */
export type WriteValues = Readonly<Record<string, string>>;

export type QueryParamValue = string | number | boolean | undefined;

export interface ServiceNowRequestInit {
  readonly method?: string;
  readonly query?: Readonly<Record<string, QueryParamValue>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Overrides `retry.maxRetryAfterMs` for this call (writes use `writeMaxRetryAfterMs`). */
  readonly maxRetryAfterMs?: number;
}

export interface ServiceNowResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON; null for an empty body. */
  readonly body: unknown;
  readonly totalCount?: number;
  readonly links: PageLinks;
  readonly rateLimit?: RateLimitInfo;
  readonly attempts: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_WRITE_MAX_RETRY_AFTER_MS = 10_000;
/** Network failures that happen before a request is sent: it cannot have reached ServiceNow. */
const NOT_SENT_NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const DEFAULT_USER_AGENT = "servicenow-graphql-gateway";
const TABLE_NAME = /^[a-z0-9_]+$/i;
const FIELD_NAME = /^[a-z0-9_.]+$/i;
const SYS_ID = /^[a-z0-9_]+$/i;

/**
 * The one place that talks HTTP to an instance: auth, per-request timeouts, error translation and
 * retries (429 after Retry-After; 5xx, resets and timeouts with bounded, fully jittered backoff).
 * Nothing above it retries.
 */
export class ServiceNowClient {
  readonly instanceUrl: URL;
  readonly auth: AuthProvider;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #writeMaxRetryAfterMs: number;
  readonly #userAgent: string;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: ServiceNowClientOptions) {
    this.instanceUrl = normalizeInstanceUrl(options.instanceUrl);
    this.auth = options.auth;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!Number.isInteger(this.#retry.maxAttempts) || this.#retry.maxAttempts < 1) {
      throw new RangeError("retry.maxAttempts must be a positive integer");
    }
    this.#writeMaxRetryAfterMs = options.writeMaxRetryAfterMs ?? DEFAULT_WRITE_MAX_RETRY_AFTER_MS;
    this.#userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.#fetch = options.fetchImpl ?? fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /** `GET /api/now/table/{table}`: one page of records. */
  async getRecords(table: string, params: TableQueryParams = {}): Promise<TablePage> {
    const response = await this.request(`/api/now/table/${checkTable(table)}`, {
      query: tableQuery(params),
      signal: params.signal,
    });
    const result = resultOf(response.body);
    if (!Array.isArray(result)) {
      throw this.#shapeError(response, "a list under `result`");
    }
    return {
      records: result.map((item) => toRawRecord(item, () => this.#shapeError(response, "records"))),
      links: response.links,
      ...(response.totalCount === undefined ? {} : { totalCount: response.totalCount }),
      ...(response.rateLimit === undefined ? {} : { rateLimit: response.rateLimit }),
      ...serverTimeOf(response.headers),
    };
  }

  /** `GET /api/now/table/{table}/{sys_id}`: NOT_FOUND when it does not exist or an ACL hides it. */
  async getRecord(
    table: string,
    sysId: string,
    params: Omit<TableQueryParams, "query" | "limit" | "offset" | "noCount"> = {},
  ): Promise<RecordResult> {
    if (!SYS_ID.test(sysId)) {
      throw badInput(`"${sysId.slice(0, 40)}" is not a sys_id`);
    }
    const response = await this.request(`/api/now/table/${checkTable(table)}/${sysId}`, {
      query: tableQuery(params),
      signal: params.signal,
    });
    const record = toRawRecord(resultOf(response.body), () =>
      this.#shapeError(response, "one record under `result`"),
    );
    return {
      record,
      ...(response.rateLimit === undefined ? {} : { rateLimit: response.rateLimit }),
    };
  }

  /**
   * `POST /api/now/table/{table}`: creates a record and answers it (201). Never retried once the
   * request may have reached ServiceNow (the Table API has no idempotency: a second POST is a
   * second record); such failures carry `outcomeUnknown`. A 429 is waited out only up to
   * `writeMaxRetryAfterMs`; a 401 with a renewable token is renewed and sent again.
   */
  async createRecord(
    table: string,
    values: WriteValues,
    params: WriteParams = {},
  ): Promise<RecordResult> {
    return this.#write("POST", `/api/now/table/${checkTable(table)}`, values, params);
  }

  /**
   * `PATCH /api/now/table/{table}/{sys_id}`: updates fields (journal fields `comments` and
   * `work_notes` add an entry) and answers the record. Not retried either: a repeated journal
   * field would add its entry twice.
   */
  async updateRecord(
    table: string,
    sysId: string,
    values: WriteValues,
    params: WriteParams = {},
  ): Promise<RecordResult> {
    if (!SYS_ID.test(sysId)) {
      throw badInput(`"${sysId.slice(0, 40)}" is not a sys_id`);
    }
    return this.#write("PATCH", `/api/now/table/${checkTable(table)}/${sysId}`, values, params);
  }

  /**
   * The records whose `correlation_id` is the key (a read: retried as reads are). The key goes
   * through the encoded-query builder, which refuses what could change the query.
   */
  async findByCorrelationId(
    table: string,
    correlationId: string,
    params: Omit<TableQueryParams, "query" | "offset" | "noCount"> = {},
  ): Promise<RawRecord[]> {
    const page = await this.getRecords(table, {
      ...params,
      query: encodedQuery().where("correlation_id", "=", correlationId).orderBy("sys_created_on"),
      limit: params.limit ?? 10,
      noCount: true,
    });
    return page.records;
  }

  async #write(
    method: "POST" | "PATCH",
    path: string,
    values: WriteValues,
    params: WriteParams,
  ): Promise<RecordResult> {
    let response: ServiceNowResponse;
    try {
      response = await this.request(path, {
        method,
        query: tableQuery(params),
        headers: { "content-type": "application/json" },
        body: JSON.stringify(values),
        signal: params.signal,
        maxRetryAfterMs: this.#writeMaxRetryAfterMs,
      });
    } catch (error) {
      if (isServiceNowError(error)) {
        error.outcomeUnknown = mayHaveReachedServiceNow(error);
      }
      throw error;
    }
    const record = toRawRecord(resultOf(response.body), () => {
      const error = this.#shapeError(response, "the written record under `result`");
      // The write went through; only its answer is unreadable.
      error.outcomeUnknown = true;
      return error;
    });
    return {
      record,
      ...(response.rateLimit === undefined ? {} : { rateLimit: response.rateLimit }),
    };
  }

  /**
   * Any instance path (`/api/now/...`), answered with parsed JSON. Errors are translated and
   * retried like every other call; non-GET methods are only retried after a 429.
   */
  async request(path: string, init: ServiceNowRequestInit = {}): Promise<ServiceNowResponse> {
    const url = instanceEndpoint(this.instanceUrl, path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const method = (init.method ?? "GET").toUpperCase();
    const idempotent = method === "GET" || method === "HEAD";
    const { signal } = init;
    let renewedOnce = false;
    let attempt = 1;

    for (;;) {
      signal?.throwIfAborted();
      let failure: ServiceNowError;
      try {
        const outcome = await this.#attempt(url, method, init, attempt);
        if (outcome.kind === "response") {
          return outcome.response;
        }
        // A 401 with a renewable credential: renew once and repeat at once, outside the backoff.
        // A renewal that fails transiently leaves `renewedOnce` unset so a later attempt renews.
        if (!renewedOnce && this.auth.onUnauthorized !== undefined) {
          const renewed = await this.auth.onUnauthorized(outcome.authorization);
          renewedOnce = true;
          if (renewed) {
            continue;
          }
        }
        failure = outcome.error;
      } catch (error) {
        if (signal?.aborted === true) {
          throw signal.reason;
        }
        if (!isServiceNowError(error)) {
          throw error;
        }
        failure = error;
      }

      const waitMs = this.#retryDelay(
        failure,
        attempt,
        idempotent,
        init.maxRetryAfterMs ?? this.#retry.maxRetryAfterMs,
      );
      if (waitMs === undefined) {
        failure.attempts = attempt;
        throw failure;
      }
      this.#logger.warn(
        {
          attempt,
          maxAttempts: this.#retry.maxAttempts,
          code: failure.code,
          status: failure.status,
          networkCode: failure.networkCode,
          delayMs: waitMs,
          method,
          url: failure.url,
        },
        "ServiceNow request failed; retrying",
      );
      try {
        await this.#sleep(waitMs, signal);
      } catch (error) {
        throw signal?.aborted === true ? signal.reason : error;
      }
      attempt += 1;
    }
  }

  async #attempt(
    url: URL,
    method: string,
    init: ServiceNowRequestInit,
    attempt: number,
  ): Promise<
    | { kind: "response"; response: ServiceNowResponse }
    | { kind: "unauthorized"; authorization: string; error: ServiceNowError }
  > {
    const authorization = await this.auth.authorize();
    const context: RequestContext = {
      method,
      url: safeRequestPath(url),
      secrets: secretsOfAuthorization(authorization),
      nowMs: this.#now(),
    };
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]);
    const startedAt = performance.now();

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method,
        headers: {
          accept: "application/json",
          "user-agent": this.#userAgent,
          ...init.headers,
          authorization,
        },
        body: init.body,
        // Never follow: a redirect would carry credentials elsewhere and hides a wrong URL.
        redirect: "manual",
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (init.signal?.aborted === true) {
        throw init.signal.reason;
      }
      throw errorFromException(error, context, timeout.aborted ? this.#timeoutMs : undefined);
    }

    this.#logger.debug(
      {
        method,
        url: context.url,
        status: response.status,
        attempt,
        durationMs: Math.round(performance.now() - startedAt),
      },
      "ServiceNow request",
    );

    if (response.status < 200 || response.status >= 300) {
      const error = errorFromStatus(response.status, response.headers, text, context, {
        authKind: this.auth.kind,
        write: method !== "GET" && method !== "HEAD",
      });
      if (response.status === 401) {
        return { kind: "unauthorized", authorization, error };
      }
      throw error;
    }
    return {
      kind: "response",
      response: {
        status: response.status,
        headers: response.headers,
        body: parseBody(response, text, context),
        links: parseLinks(response.headers.get("link")),
        attempts: attempt,
        ...optional("totalCount", parseTotalCount(response.headers)),
        ...optional("rateLimit", parseRateLimit(response.headers)),
      },
    };
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up now. */
  #retryDelay(
    error: ServiceNowError,
    attempt: number,
    idempotent: boolean,
    maxRetryAfterMs: number,
  ): number | undefined {
    if (!error.retryable || attempt >= this.#retry.maxAttempts) {
      return undefined;
    }
    if (error.code === "RATE_LIMITED" && error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    if (!idempotent && error.code !== "RATE_LIMITED") {
      return undefined;
    }
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.#random() * ceiling);
  }

  #shapeError(response: ServiceNowResponse, expected: string): ServiceNowError {
    return new ServiceNowError({
      code: "INVALID_RESPONSE",
      retryable: false,
      status: response.status,
      message: `ServiceNow answered without ${expected} in the expected shape`,
    });
  }
}

/**
 * Whether a failed write may still have been committed: anything but a refusal or a failure
 * before the request left (DNS, connection refused).
 */
function mayHaveReachedServiceNow(error: ServiceNowError): boolean {
  switch (error.code) {
    case "TIMEOUT":
    case "SERVER_ERROR":
    case "INVALID_RESPONSE":
      return true;
    case "UNREACHABLE":
      return error.networkCode === undefined || !NOT_SENT_NETWORK_CODES.has(error.networkCode);
    default:
      return false;
  }
}

function tableQuery(params: TableQueryParams): Record<string, QueryParamValue> {
  const query = params.query === undefined ? "" : String(params.query);
  return {
    sysparm_query: query === "" ? undefined : query,
    sysparm_fields: params.fields === undefined ? undefined : checkFields(params.fields),
    sysparm_limit: checkCount(params.limit, "limit", 1),
    sysparm_offset: checkCount(params.offset, "offset", 0),
    sysparm_display_value:
      params.displayValue === undefined ? undefined : String(params.displayValue),
    sysparm_exclude_reference_link: params.excludeReferenceLink,
    sysparm_no_count: params.noCount,
  };
}

function parseBody(response: Response, text: string, context: RequestContext): unknown {
  if (text === "" && (response.status === 204 || response.status === 202)) {
    return null;
  }
  const contentType = response.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    const what = /html/i.test(contentType ?? "")
      ? "an HTML page"
      : `"${contentType ?? "no"}" content`;
    throw invalidResponse(
      `ServiceNow answered ${response.status} with ${what} instead of JSON: the instance may be hibernating or a login/proxy page is in the way`,
      response.status,
      context,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A body cut short (proxy, reset mid-stream) is transient; an HTML page is not.
    throw invalidResponse(
      `ServiceNow answered ${response.status} with malformed JSON`,
      response.status,
      context,
      true,
    );
  }
}

function serverTimeOf(headers: Headers): { serverTime?: Date } {
  const raw = headers.get("date");
  const time = raw === null ? Number.NaN : Date.parse(raw);
  return Number.isNaN(time) ? {} : { serverTime: new Date(time) };
}

function resultOf(body: unknown): unknown {
  return typeof body === "object" && body !== null && "result" in body ? body.result : undefined;
}

/**
 * Checks a record's shape and normalises stray scalars to strings, so mappers can rely on the
 * three RawValue shapes. Mutates the freshly parsed object in place to avoid copying large pages.
 */
function toRawRecord(item: unknown, invalid: () => ServiceNowError): RawRecord {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw invalid();
  }
  const record = item as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value === "string") {
      continue;
    }
    if (value === null) {
      record[key] = "";
    } else if (typeof value === "number" || typeof value === "boolean") {
      record[key] = String(value);
    } else if (typeof value === "object" && !Array.isArray(value)) {
      const inner = value as Record<string, unknown>;
      if (inner.value === null || inner.value === undefined) {
        inner.value = "";
      } else if (typeof inner.value !== "string") {
        inner.value = String(inner.value);
      }
    } else {
      throw invalid();
    }
  }
  return record as Record<string, RawValue>;
}

function checkTable(table: string): string {
  if (!TABLE_NAME.test(table)) {
    throw badInput(`"${table.slice(0, 40)}" is not a ServiceNow table name`);
  }
  return table;
}

function checkFields(fields: readonly string[]): string {
  for (const field of fields) {
    if (!FIELD_NAME.test(field)) {
      throw badInput(`"${field.slice(0, 40)}" is not a ServiceNow field name`);
    }
  }
  return fields.join(",");
}

function checkCount(value: number | undefined, name: string, min: number): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < min)) {
    throw badInput(`sysparm_${name} must be an integer ≥ ${min}`);
  }
  return value;
}

function badInput(message: string): ServiceNowError {
  return new ServiceNowError({ code: "BAD_REQUEST", retryable: false, message });
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}
