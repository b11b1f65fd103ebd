import path from "node:path";

import type { NamedToken } from "../auth/access-tokens";

export type DatabaseConfig =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string };

export interface Config {
  readonly env: "production" | "development" | "test";
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** How long start-up waits for an unreachable database before giving up (0: one attempt). */
  readonly databaseConnectTimeoutMs: number;
  readonly logLevel: string;
  /** Admin bearer token; null means "generate one into the data directory" (not in production). */
  readonly adminToken: string | null;
  readonly viewerTokens: readonly string[];
  /** GATEWAY_WRITER_TOKENS: `name=token` (or a bare token, named writer-N), comma-separated. */
  readonly writerTokens: readonly NamedToken[];
  /** Incident writes to ServiceNow. */
  readonly writes: {
    /** A 429 is waited out when Retry-After is at most this, else answered at once. */
    readonly maxRetryAfterMs: number;
    /** How long a request waits for a concurrent one holding the same correlation id. */
    readonly keyWaitMs: number;
  };
  /** Browser origins (`https://app.example.com`) allowed to call /graphql cross-origin. */
  readonly corsOrigins: readonly string[];
  /** Base64 or hex 32-byte key; null means "generate one into the data directory". */
  readonly secretKey: string | null;
  /** Older keys, still accepted for decryption while secrets are re-encrypted. */
  readonly previousSecretKeys: readonly string[];
  readonly aws: AwsConfig;
  readonly graphql: { readonly maxDepth: number; readonly maxCost: number };
  readonly sync: {
    readonly schedulerEnabled: boolean;
    readonly pageSize: number;
    readonly requestTimeoutMs: number;
    readonly tickMs: number;
    readonly leaseTtlMs: number;
    readonly retryMaxAttempts: number;
    readonly retryBaseDelayMs: number;
    /** Finished sync runs older than this are deleted (the last success and failure stay). */
    readonly runRetentionDays: number;
  };
  /** ServiceNow push notifications (src/modules/webhooks/). */
  readonly webhooks: {
    /** How long the previous webhook secret keeps verifying after a rotation. */
    readonly secretGraceMs: number;
  };
}

/** AWS Secrets Manager access (credentials of integrations that name an `awsSecretId`). */
export interface AwsConfig {
  readonly secretCacheTtlMs: number;
  /** AWS_REGION; null: the SDK's own lookup (profile). */
  readonly region: string | null;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER (or AWS_ENDPOINT_URL): a VPC or local endpoint. */
  readonly endpoint: string | null;
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; null: the SDK's default credential chain. */
  readonly credentials: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string | null;
  } | null;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") {
    return fallback;
  }
  if (["1", "true", "yes", "on"].includes(raw)) {
    return true;
  }
  if (["0", "false", "no", "off"].includes(raw)) {
    return false;
  }
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function optional(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

/** `CORS_ORIGINS`: comma-separated origins, each scheme, host and optional port, nothing else. */
export function parseOrigins(raw: string | null, variable = "CORS_ORIGINS"): readonly string[] {
  const origins = new Set<string>();
  for (const entry of (raw ?? "").split(",").map((value) => value.trim())) {
    if (entry === "") {
      continue;
    }
    if (entry === "*") {
      throw new ConfigError(variable, "list each origin; * is not accepted");
    }
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (
      url === null ||
      (url.protocol !== "https:" && url.protocol !== "http:") ||
      url.username !== "" ||
      url.password !== "" ||
      url.pathname !== "/" ||
      url.search !== "" ||
      url.hash !== "" ||
      /[?#]/.test(entry)
    ) {
      throw new ConfigError(
        variable,
        `expected origins such as https://app.example.com or http://localhost:3000 (scheme, host, optional port; no path), got "${entry}"`,
      );
    }
    // As browsers send it in Origin: lower-case host, no default port, no trailing slash.
    origins.add(url.origin);
  }
  return Object.freeze([...origins]);
}

export function parseDatabaseUrl(raw: string | null, dataDir: string): DatabaseConfig {
  if (raw === null) {
    return { kind: "sqlite", path: path.join(dataDir, "gateway.sqlite") };
  }
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      // Not echoed: the URL may hold a password.
      throw new ConfigError(
        "DATABASE_URL",
        "is not a valid URL (expected postgres://user:password@host:5432/database; percent-encode special characters in the password)",
      );
    }
    return { kind: "postgres", url: raw };
  }
  const sqlitePath = raw.replace(/^(sqlite|file):(\/\/)?/i, "");
  if (sqlitePath === "") {
    throw new ConfigError("DATABASE_URL", "expected a SQLite file path or a postgres:// URL");
  }
  return {
    kind: "sqlite",
    path: sqlitePath === ":memory:" ? sqlitePath : path.resolve(sqlitePath),
  };
}

function httpUrl(env: Env, name: string): string | null {
  const raw = optional(env, name);
  if (raw === null) {
    return null;
  }
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    protocol = "";
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function awsConfig(env: Env): AwsConfig {
  const accessKeyId = optional(env, "AWS_ACCESS_KEY_ID");
  const secretAccessKey = optional(env, "AWS_SECRET_ACCESS_KEY");
  if ((accessKeyId === null) !== (secretAccessKey === null)) {
    throw new ConfigError(
      accessKeyId === null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
      "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together, or neither",
    );
  }
  return Object.freeze({
    secretCacheTtlMs: integer(env, "AWS_SECRET_CACHE_SECONDS", 300, 0, 86400) * 1000,
    region: optional(env, "AWS_REGION"),
    endpoint: httpUrl(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER") ?? httpUrl(env, "AWS_ENDPOINT_URL"),
    credentials:
      accessKeyId !== null && secretAccessKey !== null
        ? Object.freeze({
            accessKeyId,
            secretAccessKey,
            sessionToken: optional(env, "AWS_SESSION_TOKEN"),
          })
        : null,
  });
}

/** `GATEWAY_WRITER_TOKENS`: `ci-alerts=token1,portal=token2`; a bare token is `writer-N`. */
export function parseWriterTokens(raw: string | null): readonly NamedToken[] {
  const tokens: NamedToken[] = [];
  const names = new Set<string>();
  for (const [index, entry] of (raw ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "")
    .entries()) {
    const separator = entry.indexOf("=");
    const name = separator === -1 ? `writer-${index + 1}` : entry.slice(0, separator).trim();
    const token = separator === -1 ? entry : entry.slice(separator + 1).trim();
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) {
      throw new ConfigError(
        "GATEWAY_WRITER_TOKENS",
        "each entry is name=token with a name of letters, digits, . _ or -",
      );
    }
    if (token.length < 16) {
      // The token is not echoed: it is a secret.
      throw new ConfigError(
        "GATEWAY_WRITER_TOKENS",
        `the token of ${name} must be at least 16 characters`,
      );
    }
    if (names.has(name)) {
      throw new ConfigError("GATEWAY_WRITER_TOKENS", `${name} is listed twice`);
    }
    names.add(name);
    tokens.push(Object.freeze({ name, token }));
  }
  return Object.freeze(tokens);
}

/** Reads the environment once. Nothing else in the product reads `process.env`. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv =
    env.NODE_ENV === "production" || env.NODE_ENV === "test" ? env.NODE_ENV : "development";
  const port = integer(env, "PORT", 4000, 0, 65535);
  const host = optional(env, "HOST") ?? "0.0.0.0";
  const dataDir = path.resolve(optional(env, "DATA_DIR") ?? "data");
  const publicUrl = (optional(env, "PUBLIC_URL") ?? `http://localhost:${port}`).replace(/\/+$/, "");
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError("PUBLIC_URL", `expected an absolute URL, got "${publicUrl}"`);
  }
  const adminToken = optional(env, "GATEWAY_ADMIN_TOKEN");
  if (adminToken !== null && adminToken.length < 16) {
    throw new ConfigError("GATEWAY_ADMIN_TOKEN", "must be at least 16 characters");
  }
  if (adminToken === null && nodeEnv === "production") {
    throw new ConfigError("GATEWAY_ADMIN_TOKEN", "is required when NODE_ENV=production");
  }
  const viewerTokens = (optional(env, "GATEWAY_VIEWER_TOKENS") ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token !== "");
  for (const token of viewerTokens) {
    if (token.length < 16) {
      throw new ConfigError("GATEWAY_VIEWER_TOKENS", "each token must be at least 16 characters");
    }
  }
  return Object.freeze({
    env: nodeEnv,
    port,
    host,
    publicUrl,
    dataDir,
    database: Object.freeze(parseDatabaseUrl(optional(env, "DATABASE_URL"), dataDir)),
    databaseConnectTimeoutMs: integer(env, "DATABASE_CONNECT_TIMEOUT_SECONDS", 60, 0, 3600) * 1000,
    logLevel: logLevelOfEnvironment(env),
    adminToken,
    viewerTokens: Object.freeze(viewerTokens),
    writerTokens: parseWriterTokens(optional(env, "GATEWAY_WRITER_TOKENS")),
    writes: Object.freeze({
      maxRetryAfterMs: integer(env, "SERVICENOW_WRITE_MAX_RETRY_AFTER_SECONDS", 10, 0, 3600) * 1000,
      keyWaitMs: integer(env, "WRITE_KEY_WAIT_SECONDS", 60, 1, 600) * 1000,
    }),
    corsOrigins: parseOrigins(optional(env, "CORS_ORIGINS")),
    secretKey: optional(env, "GATEWAY_SECRET_KEY"),
    previousSecretKeys: Object.freeze(
      (optional(env, "GATEWAY_SECRET_KEYS_PREVIOUS") ?? "")
        .split(",")
        .map((key) => key.trim())
        .filter((key) => key !== ""),
    ),
    aws: awsConfig(env),
    graphql: Object.freeze({
      maxDepth: integer(env, "GRAPHQL_MAX_DEPTH", 10, 2, 50),
      maxCost: integer(env, "GRAPHQL_MAX_COST", 100_000, 100, 10_000_000),
    }),
    sync: Object.freeze({
      schedulerEnabled: boolean(env, "SYNC_SCHEDULER_ENABLED", true),
      pageSize: integer(env, "SYNC_PAGE_SIZE", 500, 10, 2000),
      requestTimeoutMs: integer(env, "SERVICENOW_TIMEOUT_MS", 30000, 1000, 300000),
      tickMs: integer(env, "SYNC_TICK_SECONDS", 30, 1, 3600) * 1000,
      leaseTtlMs: integer(env, "SYNC_LEASE_SECONDS", 120, 5, 3600) * 1000,
      retryMaxAttempts: integer(env, "SERVICENOW_RETRY_ATTEMPTS", 5, 1, 20),
      retryBaseDelayMs: integer(env, "SERVICENOW_RETRY_BASE_MS", 1000, 1, 60000),
      runRetentionDays: integer(env, "SYNC_RUN_RETENTION_DAYS", 30, 1, 36500),
    }),
    webhooks: Object.freeze({
      secretGraceMs: integer(env, "WEBHOOK_SECRET_GRACE_SECONDS", 600, 0, 86400) * 1000,
    }),
  });
}

/** The database kind the process's configuration selects; entity column types depend on it. */
export function databaseKindOfEnvironment(env: Env = process.env): DatabaseConfig["kind"] {
  // Kind only, never throwing: entity modules call this on import, before loadConfig can report
  // a malformed DATABASE_URL properly.
  return /^postgres(ql)?:\/\//i.test(optional(env, "DATABASE_URL") ?? "") ? "postgres" : "sqlite";
}

/**
 * LOG_LEVEL as loadConfig reads it; also for the bootstrap's failure report, which needs it
 * when the rest of the configuration is what failed.
 */
export function logLevelOfEnvironment(env: Env = process.env): string {
  return optional(env, "LOG_LEVEL") ?? (env.NODE_ENV === "test" ? "silent" : "info");
}
