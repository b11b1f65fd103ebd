import { randomBytes } from "node:crypto";

import { SimulatorError } from "./simulator.errors";
import type { SimRecord, SimulatorStore } from "./simulator.store";

/**
 * Who may call the simulated instance: integration users (Basic auth, or OAuth on their behalf),
 * OAuth clients, and the tokens and authorization codes issued to them.
 */

export interface SimUserInput {
  readonly userName: string;
  readonly password: string;
  readonly roles?: readonly string[];
  /** IANA zone stored on the user's sys_user record; empty means the instance default. */
  readonly timeZone?: string;
  /** Overrides the instance's Basic auth policy for this user (false: 401 even when correct). */
  readonly basicAuthAllowed?: boolean;
  /** Tables this user may read; absent means all. Others answer 403. */
  readonly readableTables?: readonly string[];
  /** sys_user.web_service_access_only; such users pass the Basic auth restriction. */
  readonly webServiceAccessOnly?: boolean;
  /** sys_user.name; defaults to the user name. */
  readonly name?: string;
}

export interface SimUser {
  readonly userName: string;
  readonly password: string;
  readonly roles: readonly string[];
  /** sys_id of the user's sys_user record. */
  readonly sysId: string;
  readonly basicAuthAllowed: boolean | null;
  readonly readableTables: readonly string[] | null;
}

export interface SimOAuthClientInput {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  /** Access token lifespan; ServiceNow's default is 1800 s. */
  readonly accessTokenTtlSeconds?: number;
  /** Refresh token lifespan; ServiceNow's default is 100 days. */
  readonly refreshTokenTtlSeconds?: number;
  /** The user client_credentials tokens act as (ServiceNow's "OAuth Application User"). */
  readonly clientCredentialsUser?: string;
}

export interface SimOAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly clientCredentialsUser: string | null;
}

export type AuthKind = "basic" | "bearer" | "none";

export type AuthResult =
  | { readonly ok: true; readonly kind: AuthKind; readonly user: SimUser }
  | {
      readonly ok: false;
      readonly kind: AuthKind;
      readonly reason: "missing" | "invalid" | "basic_refused" | "expired" | "inactive";
    };

export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly scope: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
}

export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description: string;
}

export type TokenResult =
  | { readonly ok: true; readonly body: TokenResponse }
  | { readonly ok: false; readonly status: 400 | 401; readonly body: OAuthErrorBody };

export type AuthorizeResult =
  | { readonly ok: true; readonly location: string }
  | { readonly ok: false; readonly message: string };

export type BrowserConsent = "allow" | "deny";

export interface AuthOptions {
  readonly now: () => Date;
  /** glide.oauth.inbound.client.credential.grant_type.enabled; off on real instances. */
  readonly clientCredentialsEnabled: boolean;
  /** glide.authenticate.basic_auth.restriction.enforce: Basic only for web-service users. */
  readonly enforceBasicAuthRestriction: boolean;
  /** Who approves /oauth_auth.do requests; defaults to the first user. */
  readonly browserUser?: string;
}

interface IssuedToken {
  readonly userName: string;
  readonly clientId: string;
  readonly expiresAt: number;
}

interface IssuedCode extends IssuedToken {
  readonly redirectUri: string;
}

const DEFAULT_ACCESS_TTL_SECONDS = 1800;
const DEFAULT_REFRESH_TTL_SECONDS = 100 * 24 * 60 * 60;
const CODE_TTL_MS = 60_000;
const BASIC_AUTH_ROLE = "snc_basic_auth_api_access";
const ACCESS_DENIED: OAuthErrorBody = { error: "server_error", error_description: "access_denied" };

function newToken(): string {
  // ServiceNow tokens are long opaque strings of this alphabet.
  return randomBytes(64).toString("base64url").slice(0, 86);
}

function invalidRequest(description: string): TokenResult {
  return {
    ok: false,
    status: 400,
    body: { error: "invalid_request", error_description: description },
  };
}

/** RFC 6749 form-encodes client credentials inside the Basic header; tolerate raw ones. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

const denied: TokenResult = { ok: false, status: 401, body: ACCESS_DENIED };

export class SimulatorAuth {
  private readonly userMap = new Map<string, SimUser>();
  private readonly clients = new Map<string, SimOAuthClient>();
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, IssuedToken>();
  private readonly codes = new Map<string, IssuedCode>();
  private browserUser: string | undefined;
  private consent: BrowserConsent = "allow";
  private clientCredentialsEnabled: boolean;

  constructor(
    private readonly store: SimulatorStore,
    private readonly options: AuthOptions,
  ) {
    this.browserUser = options.browserUser;
    this.clientCredentialsEnabled = options.clientCredentialsEnabled;
  }

  get users(): readonly SimUser[] {
    return [...this.userMap.values()];
  }

  user(userName: string): SimUser | undefined {
    return this.userMap.get(userName);
  }

  /** Adds an integration user, creating (or reusing) its sys_user record. */
  addUser(input: SimUserInput): SimUser {
    if (!input.userName || !input.password) {
      throw new SimulatorError("INVALID_INPUT", "A user needs a userName and a password");
    }
    if (this.userMap.has(input.userName)) {
      throw new SimulatorError("DUPLICATE", `User ${input.userName} already exists`);
    }
    const fields = {
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.webServiceAccessOnly !== undefined
        ? { web_service_access_only: input.webServiceAccessOnly }
        : {}),
    };
    const existing = this.store.findBy("sys_user", "user_name", input.userName);
    const record = existing
      ? this.store.update("sys_user", existing.sys_id, fields)
      : this.store.insert("sys_user", {
          user_name: input.userName,
          name: input.name ?? input.userName,
          email: `${input.userName}@example.com`,
          active: true,
          time_zone: "",
          ...fields,
        });
    const user: SimUser = {
      userName: input.userName,
      password: input.password,
      roles: [...(input.roles ?? [])],
      sysId: record.sys_id,
      basicAuthAllowed: input.basicAuthAllowed ?? null,
      readableTables: input.readableTables ? [...input.readableTables] : null,
    };
    this.userMap.set(user.userName, user);
    return user;
  }

  setPassword(userName: string, password: string): void {
    const user = this.userMap.get(userName);
    if (!user) {
      throw new SimulatorError("NOT_FOUND", `No user ${userName}`);
    }
    if (!password) {
      throw new SimulatorError("INVALID_INPUT", "A password cannot be empty");
    }
    this.userMap.set(userName, { ...user, password });
  }

  addOAuthClient(input: SimOAuthClientInput): SimOAuthClient {
    if (!input.clientId || !input.clientSecret) {
      throw new SimulatorError("INVALID_INPUT", "A client needs a clientId and a clientSecret");
    }
    if (this.clients.has(input.clientId)) {
      throw new SimulatorError("DUPLICATE", `OAuth client ${input.clientId} already exists`);
    }
    const client: SimOAuthClient = {
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      redirectUris: [...input.redirectUris],
      accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS,
      refreshTokenTtlSeconds: input.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS,
      clientCredentialsUser: input.clientCredentialsUser ?? null,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  setBrowserUser(userName: string | undefined, consent: BrowserConsent = "allow"): void {
    this.browserUser = userName;
    this.consent = consent;
  }

  setClientCredentialsEnabled(enabled: boolean): void {
    this.clientCredentialsEnabled = enabled;
  }

  /** Every access token issued so far stops working (refresh tokens too when asked). */
  expireAccessTokens(options: { readonly refreshTokens?: boolean } = {}): void {
    this.accessTokens.clear();
    if (options.refreshTokens) {
      this.refreshTokens.clear();
    }
  }

  /** The user's sys_user record, read at request time so edits to time_zone apply at once. */
  userRecord(user: SimUser): SimRecord | undefined {
    return this.store.get("sys_user", user.sysId);
  }

  canRead(user: SimUser, table: string): boolean {
    return user.readableTables === null || user.readableTables.includes(table);
  }

  authenticate(authorization: string | undefined): AuthResult {
    if (!authorization) {
      return { ok: false, kind: "none", reason: "missing" };
    }
    const [scheme, credentials = ""] = authorization.trim().split(/\s+/, 2);
    if (/^basic$/i.test(scheme)) {
      return this.basic(credentials);
    }
    if (/^bearer$/i.test(scheme)) {
      const token = this.accessTokens.get(credentials);
      if (!token) {
        return { ok: false, kind: "bearer", reason: "invalid" };
      }
      if (token.expiresAt <= this.nowMs()) {
        this.accessTokens.delete(credentials);
        return { ok: false, kind: "bearer", reason: "expired" };
      }
      const user = this.userMap.get(token.userName);
      if (!user || !this.isActive(user)) {
        return { ok: false, kind: "bearer", reason: "inactive" };
      }
      return { ok: true, kind: "bearer", user };
    }
    return { ok: false, kind: "none", reason: "invalid" };
  }

  /** POST /oauth_token.do, with the form already parsed. */
  token(form: URLSearchParams, authorization: string | undefined): TokenResult {
    const grantType = form.get("grant_type");
    if (!grantType) {
      return invalidRequest("grant_type is required");
    }
    const [basicId, basicSecret] = this.clientFromBasic(authorization);
    const clientId = form.get("client_id") ?? basicId;
    const clientSecret = form.get("client_secret") ?? basicSecret;
    if (!clientId || !clientSecret) {
      return invalidRequest("client_id and client_secret are required");
    }
    const client = this.clients.get(clientId);
    if (!client || client.clientSecret !== clientSecret) {
      return denied;
    }
    switch (grantType) {
      case "password": {
        const userName = form.get("username");
        const password = form.get("password");
        if (!userName || !password) {
          return invalidRequest("username and password are required");
        }
        const user = this.userMap.get(userName);
        if (!user || user.password !== password || !this.isActive(user)) {
          return denied;
        }
        return this.issue(client, user.userName, true);
      }
      case "authorization_code": {
        const code = form.get("code");
        const redirectUri = form.get("redirect_uri");
        if (!code) {
          return invalidRequest("code is required");
        }
        const issued = this.codes.get(code);
        // Single use: a code is spent by its first exchange, successful or not.
        this.codes.delete(code);
        if (
          !issued ||
          issued.expiresAt <= this.nowMs() ||
          issued.clientId !== client.clientId ||
          (redirectUri !== null && redirectUri !== issued.redirectUri)
        ) {
          return denied;
        }
        return this.issue(client, issued.userName, true);
      }
      case "refresh_token": {
        const refreshToken = form.get("refresh_token");
        if (!refreshToken) {
          return invalidRequest("refresh_token is required");
        }
        const issued = this.refreshTokens.get(refreshToken);
        if (!issued || issued.expiresAt <= this.nowMs() || issued.clientId !== client.clientId) {
          return denied;
        }
        const user = this.userMap.get(issued.userName);
        if (!user || !this.isActive(user)) {
          return denied;
        }
        // ServiceNow hands back the same refresh token until it expires.
        const access = this.issue(client, issued.userName, false);
        return access.ok
          ? { ok: true, body: { ...access.body, refresh_token: refreshToken } }
          : access;
      }
      case "client_credentials": {
        const userName = client.clientCredentialsUser;
        if (!this.clientCredentialsEnabled || !userName || !this.userMap.has(userName)) {
          return denied;
        }
        return this.issue(client, userName, false);
      }
      default:
        return {
          ok: false,
          status: 400,
          body: {
            error: "unsupported_grant_type",
            error_description: `grant_type ${grantType} is not supported`,
          },
        };
    }
  }

  /** GET /oauth_auth.do: the browser user logs in and allows (or denies) at once. */
  authorize(query: URLSearchParams): AuthorizeResult {
    const client = this.clients.get(query.get("client_id") ?? "");
    if (!client) {
      return { ok: false, message: "Invalid client_id" };
    }
    const requested = query.get("redirect_uri");
    const redirectUri =
      requested ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : null);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      return { ok: false, message: "Invalid redirect_uri" };
    }
    if (query.get("response_type") !== "code") {
      return { ok: false, message: "Invalid response_type" };
    }
    const userName = this.browserUser ?? this.userMap.keys().next().value;
    if (!userName || !this.userMap.has(userName)) {
      return { ok: false, message: "No user is logged in to approve the request" };
    }
    const location = new URL(redirectUri);
    const state = query.get("state");
    if (this.consent === "deny") {
      location.searchParams.set("error", "access_denied");
    } else {
      const code = newToken();
      this.codes.set(code, {
        userName,
        clientId: client.clientId,
        redirectUri,
        expiresAt: this.nowMs() + CODE_TTL_MS,
      });
      location.searchParams.set("code", code);
    }
    if (state !== null) {
      location.searchParams.set("state", state);
    }
    return { ok: true, location: location.toString() };
  }

  private basic(credentials: string): AuthResult {
    const decoded = Buffer.from(credentials, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) {
      return { ok: false, kind: "basic", reason: "invalid" };
    }
    const user = this.userMap.get(decoded.slice(0, colon));
    if (!user || user.password !== decoded.slice(colon + 1)) {
      return { ok: false, kind: "basic", reason: "invalid" };
    }
    if (!this.isActive(user)) {
      return { ok: false, kind: "basic", reason: "inactive" };
    }
    if (!this.basicAllowed(user)) {
      return { ok: false, kind: "basic", reason: "basic_refused" };
    }
    return { ok: true, kind: "basic", user };
  }

  private basicAllowed(user: SimUser): boolean {
    if (user.basicAuthAllowed !== null) {
      return user.basicAuthAllowed;
    }
    if (!this.options.enforceBasicAuthRestriction) {
      return true;
    }
    return (
      user.roles.includes(BASIC_AUTH_ROLE) ||
      this.userRecord(user)?.web_service_access_only === "true"
    );
  }

  private isActive(user: SimUser): boolean {
    const record = this.userRecord(user);
    return record !== undefined && record.active !== "false" && record.locked_out !== "true";
  }

  private clientFromBasic(authorization: string | undefined): [string | null, string | null] {
    const match = /^basic\s+(\S+)$/i.exec(authorization?.trim() ?? "");
    if (!match) {
      return [null, null];
    }
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0
      ? [null, null]
      : [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
  }

  private issue(client: SimOAuthClient, userName: string, withRefresh: boolean): TokenResult {
    const now = this.nowMs();
    const accessToken = newToken();
    this.accessTokens.set(accessToken, {
      userName,
      clientId: client.clientId,
      expiresAt: now + client.accessTokenTtlSeconds * 1000,
    });
    const body: TokenResponse = {
      access_token: accessToken,
      scope: "useraccount",
      token_type: "Bearer",
      // ServiceNow reports one second less than the lifespan (1799 for 1800).
      expires_in: Math.max(client.accessTokenTtlSeconds - 1, 0),
    };
    if (!withRefresh) {
      return { ok: true, body };
    }
    const refreshToken = newToken();
    this.refreshTokens.set(refreshToken, {
      userName,
      clientId: client.clientId,
      expiresAt: now + client.refreshTokenTtlSeconds * 1000,
    });
    return {
      ok: true,
      body: {
        access_token: accessToken,
        refresh_token: refreshToken,
        scope: body.scope,
        token_type: body.token_type,
        expires_in: body.expires_in,
      },
    };
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }
}
