import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  type GatewayProcess,
  killGatewayProcesses,
  spawnGatewayProcess,
} from "../support/gateway-process";
import { POSTGRES_BASE_URL, postgresReachable } from "../support/postgres-available";
import { createTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createPostgresTestDatabase, type TestDatabase } from "../support/test-database";
import { ADMIN_TOKEN } from "../support/test-gateway";

/** Put into the URL the gateway gets; PostgreSQL here trusts loopback, so any password works. */
const DB_PASSWORD = "outage-test-password-91c2";
const QUERY = "{ integrations { id } }";

/** Polls `condition` until it holds; fails with `describe()` after the deadline. */
async function until(
  what: string,
  condition: () => Promise<boolean>,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting until ${what}:\n${describe()}`);
}

async function status(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  await response.arrayBuffer();
  return response.status;
}

async function graphql(gateway: GatewayProcess): Promise<{
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Awaited<ReturnType<typeof graphql>>["body"],
  };
}

const describeOnPostgres = postgresReachable() ? describe : describe.skip;

describeOnPostgres("a PostgreSQL that is late, or goes away and comes back", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    database = await createPostgresTestDatabase(POSTGRES_BASE_URL);
    if (database.config.kind !== "postgres") {
      throw new Error("expected a PostgreSQL test database");
    }
    const target = new URL(database.config.url);
    proxy = await createTcpProxy({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    // The gateway talks to the proxy, which is closed: nothing listens there yet.
    const viaProxy = new URL(database.config.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    viaProxy.password = DB_PASSWORD;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-outage-"));
    gateway = await spawnGatewayProcess({
      database: { kind: "postgres", url: viaProxy.toString() },
      dataDir,
      env: { DATABASE_CONNECT_TIMEOUT_SECONDS: "60" },
    });
  });

  afterAll(async () => {
    await killGatewayProcesses();
    await proxy?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("waits for it at start-up (live, not ready, GraphQL 503), then serves", async () => {
    // Three waits logged (0.5 + 1 + 2 s of backoff): the database turns up seconds later.
    await until(
      "the gateway has waited for the database three times",
      async () => gateway.output().split("database not reachable yet").length - 1 >= 3,
      gateway.output,
    );
    expect(await status(`${gateway.url}/healthz`)).toBe(200);
    expect(await status(`${gateway.url}/readyz`)).toBe(503);
    const waiting = await graphql(gateway);
    expect(waiting.status).toBe(503);
    expect(waiting.retryAfter).toBe("5");
    expect(waiting.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");

    await proxy.open();
    await until(
      "/readyz says ready",
      async () => (await status(`${gateway.url}/readyz`)) === 200,
      gateway.output,
    );
    const served = await graphql(gateway);
    expect(served.status).toBe(200);
    expect(served.body).toEqual({ data: { integrations: [] } });
    expect(gateway.output()).toContain(`"database":"127.0.0.1:${proxy.port}"`);
    expect(gateway.output()).not.toContain(DB_PASSWORD);
  });

  it("answers SERVICE_UNAVAILABLE and /readyz 503 while it is away, and recovers by itself", async () => {
    await proxy.open();
    await until(
      "/readyz says ready",
      async () => (await status(`${gateway.url}/readyz`)) === 200,
      gateway.output,
    );

    await proxy.close();
    await until(
      "/readyz says not ready",
      async () => (await status(`${gateway.url}/readyz`)) === 503,
      gateway.output,
    );
    expect(await status(`${gateway.url}/healthz`)).toBe(200);
    const away = await graphql(gateway);
    expect(away.status).toBe(503);
    expect(away.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: "SERVICE_UNAVAILABLE" } }),
    ]);

    await proxy.open();
    await until(
      "/readyz says ready again",
      async () => (await status(`${gateway.url}/readyz`)) === 200,
      gateway.output,
    );
    const back = await graphql(gateway);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ data: { integrations: [] } });

    // It never crashed or called the outage an internal error.
    expect(gateway.output()).not.toContain("INTERNAL_SERVER_ERROR");
    expect(gateway.output()).not.toContain("unexpected error");
    expect(gateway.output()).not.toContain(DB_PASSWORD);
    const exited = await Promise.race([gateway.exited, Promise.resolve("running")]);
    expect(exited).toBe("running");
  });
});
