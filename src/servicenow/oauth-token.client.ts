import { ServiceNowError } from "./servicenow.errors";
import {
  errorFromException,
  errorFromStatus,
  invalidResponse,
  isJsonContentType,
  type RequestContext,
  safeRequestPath,
} from "./servicenow-response.translator";
import { instanceEndpoint, normalizeInstanceUrl } from "./servicenow-url";

/**
 * ServiceNow's OAuth endpoints: `/oauth_auth.do` (the user allows access in a browser) and
 * `/oauth_token.do` (form-encoded grants; JSON bodies are rejected by the instance).
 */

export interface OAuthTokens {
  readonly accessToken: string;
  /** Null when the grant returned none (then the only way on is a new grant). */
  readonly refreshToken: string | null;
  readonly expiresAt: Date;
  readonly scope?: string;
}

export interface OAuthClientConfig {
  readonly instanceUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenHttpOptions {
  readonly fetchImpl?: typeof fetch;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly userAgent?: string;
  readonly signal?: AbortSignal;
}

export interface AuthorizeUrlInput {
  readonly instanceUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly scope?: string;
}

/** Where to send the user: `/oauth_auth.do?response_type=code&client_id=…&redirect_uri=…&state=…`. */
export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const url = instanceEndpoint(normalizeInstanceUrl(input.instanceUrl), "/oauth_auth.do");
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  if (input.scope !== undefined) {
    url.searchParams.set("scope", input.scope);
  }
  return url.toString();
}

export interface AuthorizationCodeInput extends OAuthClientConfig, TokenHttpOptions {
  readonly code: string;
  readonly redirectUri: string;
}

/** Trades the `code` from the redirect for tokens. Codes are single-use: never retried. */
export function exchangeAuthorizationCode(input: AuthorizationCodeInput): Promise<OAuthTokens> {
  return requestTokens(
    input,
    { grant_type: "authorization_code", code: input.code, redirect_uri: input.redirectUri },
    "the authorization code (it may have expired or been used already, or the redirect URL differs from the registered one)",
    false,
  );
}

export interface RefreshTokenInput extends OAuthClientConfig, TokenHttpOptions {
  readonly refreshToken: string;
}

/** A new access token. A refused refresh token is AUTH_FAILED with `needsReauthorization`. */
export function refreshAccessToken(input: RefreshTokenInput): Promise<OAuthTokens> {
  return requestTokens(
    input,
    { grant_type: "refresh_token", refresh_token: input.refreshToken },
    "the refresh token: authorize the integration again",
    true,
  );
}

export interface PasswordGrantInput extends OAuthClientConfig, TokenHttpOptions {
  readonly username: string;
  readonly password: string;
}

export function requestPasswordGrant(input: PasswordGrantInput): Promise<OAuthTokens> {
  return requestTokens(
    input,
    { grant_type: "password", username: input.username, password: input.password },
    "the password grant: check the client id and secret, the username and the password",
    false,
  );
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_EXPIRES_IN_SECONDS = 1800;
const SECRET_GRANT_FIELDS = ["password", "refresh_token", "code"] as const;

async function requestTokens(
  config: OAuthClientConfig & TokenHttpOptions,
  grant: Readonly<Record<string, string>>,
  refusal: string,
  needsReauthorization: boolean,
): Promise<OAuthTokens> {
  const now = config.now ?? Date.now;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = instanceEndpoint(normalizeInstanceUrl(config.instanceUrl), "/oauth_token.do");
  const body = new URLSearchParams({
    ...grant,
    client_id: config.clientId,
    client_secret: config.clientSecret,
  });
  const secrets = [config.clientSecret, ...SECRET_GRANT_FIELDS.flatMap((key) => grant[key] ?? [])];
  const context: RequestContext = {
    method: "POST",
    url: safeRequestPath(url),
    secrets,
    nowMs: now(),
  };
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = config.signal === undefined ? timeout : AbortSignal.any([timeout, config.signal]);

  let response: Response;
  let text: string;
  try {
    response = await (config.fetchImpl ?? fetch)(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        ...(config.userAgent === undefined ? {} : { "user-agent": config.userAgent }),
      },
      body: body.toString(),
      redirect: "manual",
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (config.signal?.aborted === true) {
      throw config.signal.reason;
    }
    throw errorFromException(error, context, timeout.aborted ? timeoutMs : undefined);
  }

  if (!response.ok) {
    const error = errorFromStatus(response.status, response.headers, text, context);
    const refused = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw refused ? tokenRefused(error, refusal, needsReauthorization) : error;
  }
  if (!isJsonContentType(response.headers.get("content-type"))) {
    throw invalidResponse(
      "The OAuth token endpoint did not answer with JSON (the instance may be hibernating)",
      response.status,
      context,
    );
  }
  const parsed = parseJson(text);
  const accessToken = stringField(parsed, "access_token");
  if (accessToken === undefined) {
    throw invalidResponse(
      "The OAuth token endpoint answered without an access_token",
      response.status,
      context,
    );
  }
  const expiresIn = Number(field(parsed, "expires_in") ?? DEFAULT_EXPIRES_IN_SECONDS);
  const scope = stringField(parsed, "scope");
  return {
    accessToken,
    refreshToken: stringField(parsed, "refresh_token") ?? null,
    expiresAt: new Date(
      now() + (Number.isFinite(expiresIn) ? expiresIn : DEFAULT_EXPIRES_IN_SECONDS) * 1000,
    ),
    ...(scope === undefined ? {} : { scope }),
  };
}

function tokenRefused(
  error: ServiceNowError,
  refusal: string,
  needsReauthorization: boolean,
): ServiceNowError {
  const said = [error.serviceNowMessage, error.serviceNowDetail]
    .filter((part) => part !== undefined)
    .join(": ");
  return new ServiceNowError({
    code: "AUTH_FAILED",
    retryable: false,
    status: error.status,
    method: error.method,
    url: error.url,
    serviceNowMessage: error.serviceNowMessage,
    serviceNowDetail: error.serviceNowDetail,
    needsReauthorization,
    message: `ServiceNow refused ${refusal} (${error.status}${said === "" ? "" : ` ${said}`})`,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === "string" && found !== "" ? found : undefined;
}
