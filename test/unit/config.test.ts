import path from "node:path";

import {
  ConfigError,
  databaseKindOfEnvironment,
  loadConfig,
  parseDatabaseUrl,
} from "../../src/config/config";

const TOKEN = "an-admin-token-of-32-characters!";

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("reads writer tokens with their names and the write settings", () => {
    const config = loadConfig({
      GATEWAY_WRITER_TOKENS: "monitoring=writer-token-number-one, writer-token-number-two",
      SERVICENOW_WRITE_MAX_RETRY_AFTER_SECONDS: "5",
    });
    expect(config.writerTokens).toEqual([
      { name: "monitoring", token: "writer-token-number-one" },
      { name: "writer-2", token: "writer-token-number-two" },
    ]);
    expect(config.writes).toEqual({ maxRetryAfterMs: 5000, keyWaitMs: 60_000 });
    expect(loadConfig({}).writerTokens).toEqual([]);
    expect(loadConfig({}).writes.maxRetryAfterMs).toBe(10_000);
  });

  it("never echoes a writer token in its error", () => {
    const error = configErrorOf({ GATEWAY_WRITER_TOKENS: "alerts=tiny-secret" });
    expect(error.message).not.toContain("tiny-secret");
  });

  it("returns the documented defaults for an empty environment", () => {
    const config = loadConfig({});
    // toMatchObject: settings added later (by other features) come with their own tests.
    expect(config).toMatchObject({
      env: "development",
      port: 4000,
      host: "0.0.0.0",
      publicUrl: "http://localhost:4000",
      dataDir: path.resolve("data"),
      database: { kind: "sqlite", path: path.join(path.resolve("data"), "gateway.sqlite") },
      logLevel: "info",
      adminToken: null,
      viewerTokens: [],
      corsOrigins: [],
      secretKey: null,
      graphql: { maxDepth: 10, maxCost: 100_000 },
      sync: {
        schedulerEnabled: true,
        pageSize: 500,
        requestTimeoutMs: 30000,
        runRetentionDays: 30,
      },
    });
  });

  it("returns a frozen configuration", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.viewerTokens)).toBe(true);
  });

  it("reads every variable it knows", () => {
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "8080",
      HOST: "127.0.0.1",
      DATA_DIR: "/var/lib/gateway",
      PUBLIC_URL: "https://gateway.example.com/",
      LOG_LEVEL: "debug",
      GATEWAY_ADMIN_TOKEN: ` ${TOKEN} `,
      GATEWAY_VIEWER_TOKENS: "viewer-token-number-one, viewer-token-number-two,,",
      GATEWAY_SECRET_KEY: "k".repeat(44),
      GRAPHQL_MAX_DEPTH: "6",
      GRAPHQL_MAX_COST: "1000",
      SYNC_SCHEDULER_ENABLED: "off",
      SYNC_PAGE_SIZE: "100",
      SERVICENOW_TIMEOUT_MS: "5000",
      SYNC_RUN_RETENTION_DAYS: "7",
    });
    expect(config).toMatchObject({
      env: "test",
      port: 8080,
      host: "127.0.0.1",
      dataDir: "/var/lib/gateway",
      database: { kind: "sqlite", path: "/var/lib/gateway/gateway.sqlite" },
      publicUrl: "https://gateway.example.com",
      logLevel: "debug",
      adminToken: TOKEN,
      viewerTokens: ["viewer-token-number-one", "viewer-token-number-two"],
      secretKey: "k".repeat(44),
      graphql: { maxDepth: 6, maxCost: 1000 },
      sync: {
        schedulerEnabled: false,
        pageSize: 100,
        requestTimeoutMs: 5000,
        runRetentionDays: 7,
      },
    });
  });

  it("reads CORS_ORIGINS as origins written the way browsers send them", () => {
    const config = loadConfig({
      CORS_ORIGINS:
        " https://App.Example.com/ ,http://localhost:3000,https://app.example.com:443,, https://x.example:8443",
    });
    expect(config.corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:3000",
      "https://x.example:8443",
    ]);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });

  it.each([
    "*",
    "app.example.com",
    "https://app.example.com/path",
    "https://app.example.com?x=1",
    "https://app.example.com?",
    "https://app.example.com#top",
    "https://user:pw@app.example.com",
    "ftp://app.example.com",
    "null",
  ])("rejects CORS_ORIGINS=%s naming the variable", (origin) => {
    const error = configErrorOf({ CORS_ORIGINS: `https://ok.example.com,${origin}` });
    expect(error.variable).toBe("CORS_ORIGINS");
    expect(error.message).toMatch(origin === "*" ? /list each origin/ : /expected origins such as/);
  });

  it("is silent by default under test and defaults PUBLIC_URL to the port", () => {
    expect(loadConfig({ NODE_ENV: "test" }).logLevel).toBe("silent");
    expect(loadConfig({ PORT: "5000" }).publicUrl).toBe("http://localhost:5000");
  });

  it("treats an unknown NODE_ENV as development", () => {
    expect(loadConfig({ NODE_ENV: "staging" }).env).toBe("development");
  });

  it.each([
    ["postgres://u:p@db:5432/gw", { kind: "postgres", url: "postgres://u:p@db:5432/gw" }],
    ["postgresql://db/gw", { kind: "postgres", url: "postgresql://db/gw" }],
    ["POSTGRES://db/gw", { kind: "postgres", url: "POSTGRES://db/gw" }],
    ["/tmp/gw.sqlite", { kind: "sqlite", path: "/tmp/gw.sqlite" }],
    ["sqlite:///tmp/gw.sqlite", { kind: "sqlite", path: "/tmp/gw.sqlite" }],
    ["file:/tmp/gw.sqlite", { kind: "sqlite", path: "/tmp/gw.sqlite" }],
    ["sqlite::memory:", { kind: "sqlite", path: ":memory:" }],
    ["./rel/gw.sqlite", { kind: "sqlite", path: path.resolve("rel/gw.sqlite") }],
  ])("reads DATABASE_URL=%s", (url, expected) => {
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual(expected);
    expect(databaseKindOfEnvironment({ DATABASE_URL: url })).toBe(expected.kind);
  });

  it("uses SQLite in the data directory when DATABASE_URL is blank", () => {
    expect(loadConfig({ DATABASE_URL: "  ", DATA_DIR: "/srv/d" }).database).toEqual({
      kind: "sqlite",
      path: "/srv/d/gateway.sqlite",
    });
    expect(databaseKindOfEnvironment({})).toBe("sqlite");
  });

  it("rejects a DATABASE_URL with no path", () => {
    expect(() => parseDatabaseUrl("sqlite://", "/data")).toThrow(ConfigError);
  });

  it("rejects a postgres DATABASE_URL that is not a URL without echoing it (passwords)", () => {
    const error = configErrorOf({ DATABASE_URL: "postgres://gw:pa55-word@[db/x" });
    expect(error.variable).toBe("DATABASE_URL");
    expect(error.message).not.toContain("pa55-word");
    // The kind is still decided (entity column types need it before loadConfig runs).
    expect(databaseKindOfEnvironment({ DATABASE_URL: "postgres://gw:pa55-word@[db/x" })).toBe(
      "postgres",
    );
  });

  it("waits 60 s for the database by default; DATABASE_CONNECT_TIMEOUT_SECONDS sets it", () => {
    expect(loadConfig({}).databaseConnectTimeoutMs).toBe(60_000);
    expect(loadConfig({ DATABASE_CONNECT_TIMEOUT_SECONDS: "0" }).databaseConnectTimeoutMs).toBe(0);
    expect(configErrorOf({ DATABASE_CONNECT_TIMEOUT_SECONDS: "soon" }).variable).toBe(
      "DATABASE_CONNECT_TIMEOUT_SECONDS",
    );
  });

  it.each(["abc", "70000", "-1", "1.5", "4000x"])("rejects PORT=%s naming the variable", (port) => {
    const error = configErrorOf({ PORT: port });
    expect(error.variable).toBe("PORT");
    expect(error.message).toContain(`"${port}"`);
  });

  it("rejects production without an admin token", () => {
    const error = configErrorOf({ NODE_ENV: "production" });
    expect(error.variable).toBe("GATEWAY_ADMIN_TOKEN");
    expect(error.message).toMatch(/required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: "production", GATEWAY_ADMIN_TOKEN: TOKEN }).env).toBe(
      "production",
    );
  });

  it.each([
    [{ GATEWAY_ADMIN_TOKEN: "short" }, "GATEWAY_ADMIN_TOKEN"],
    [{ GATEWAY_VIEWER_TOKENS: "long-enough-viewer-token,short" }, "GATEWAY_VIEWER_TOKENS"],
    [{ PUBLIC_URL: "gateway.example.com" }, "PUBLIC_URL"],
    [{ SYNC_SCHEDULER_ENABLED: "maybe" }, "SYNC_SCHEDULER_ENABLED"],
    [{ GRAPHQL_MAX_DEPTH: "1" }, "GRAPHQL_MAX_DEPTH"],
    [{ SYNC_PAGE_SIZE: "5000" }, "SYNC_PAGE_SIZE"],
    [{ AWS_ENDPOINT_URL_SECRETS_MANAGER: "localhost:4566" }, "AWS_ENDPOINT_URL_SECRETS_MANAGER"],
    [{ AWS_SECRET_CACHE_SECONDS: "-5" }, "AWS_SECRET_CACHE_SECONDS"],
    [{ SYNC_RUN_RETENTION_DAYS: "0" }, "SYNC_RUN_RETENTION_DAYS"],
    [{ GATEWAY_WRITER_TOKENS: "alerts=short" }, "GATEWAY_WRITER_TOKENS"],
    [{ GATEWAY_WRITER_TOKENS: "bad name=long-enough-writer-token" }, "GATEWAY_WRITER_TOKENS"],
    [
      { GATEWAY_WRITER_TOKENS: "a=long-enough-writer-token,a=another-long-writer-token" },
      "GATEWAY_WRITER_TOKENS",
    ],
    [
      { SERVICENOW_WRITE_MAX_RETRY_AFTER_SECONDS: "-1" },
      "SERVICENOW_WRITE_MAX_RETRY_AFTER_SECONDS",
    ],
  ])("rejects %j naming %s", (env, variable) => {
    expect(configErrorOf(env).variable).toBe(variable);
  });

  it("leaves region, endpoint and credentials to the AWS SDK's defaults when unset", () => {
    expect(loadConfig({}).aws).toEqual({
      secretCacheTtlMs: 300_000,
      region: null,
      endpoint: null,
      credentials: null,
    });
  });

  it("reads the AWS region, endpoint and keys the SDK would read", () => {
    expect(
      loadConfig({
        AWS_REGION: "eu-west-1",
        AWS_ENDPOINT_URL_SECRETS_MANAGER:
          "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com",
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "example-secret",
        AWS_SESSION_TOKEN: "example-session",
        AWS_SECRET_CACHE_SECONDS: "0",
      }).aws,
    ).toEqual({
      secretCacheTtlMs: 0,
      region: "eu-west-1",
      endpoint: "https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com",
      credentials: {
        accessKeyId: "AKIAEXAMPLE",
        secretAccessKey: "example-secret",
        sessionToken: "example-session",
      },
    });
    expect(loadConfig({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }).aws.endpoint).toBe(
      "http://127.0.0.1:4566",
    );
  });

  it("rejects an AWS access key without its secret key, and never echoes the key", () => {
    const error = configErrorOf({ AWS_SECRET_ACCESS_KEY: "example-secret" });
    expect(error.variable).toBe("AWS_ACCESS_KEY_ID");
    expect(error.message).toMatch(/together, or neither/);
    expect(error.message).not.toContain("example-secret");
    expect(configErrorOf({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" }).variable).toBe(
      "AWS_SECRET_ACCESS_KEY",
    );
  });
});
