import { randomBytes } from "node:crypto";
import net, { type AddressInfo } from "node:net";

import { loadConfig } from "../../src/config/config";
import { startGateway } from "../../src/http/gateway.server";
import { createLogger } from "../../src/logging/logger";
import { SecretBox } from "../../src/secrets/secret-box";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/test-gateway";

const FRONTEND = "https://app.example.com";
const LOCAL_FRONTEND = "http://localhost:3000";
const QUERY = JSON.stringify({ query: "{ __typename }" });

const CORS_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-max-age",
  "access-control-expose-headers",
  "access-control-allow-credentials",
];
const corsHeadersOf = (response: Response): Record<string, string> =>
  Object.fromEntries(
    CORS_HEADERS.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );

describe("CORS", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    // Written loosely on purpose: spaces, a trailing slash, an upper-case host.
    gateway = await startTestGateway({
      env: { CORS_ORIGINS: ` ${FRONTEND}/ , http://LOCALHOST:3000` },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const preflight = (origin: string) =>
    fetch(gateway.gateway.graphqlUrl, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
  const post = (origin: string, headers: Record<string, string> = {}, body = QUERY) =>
    fetch(gateway.gateway.graphqlUrl, {
      method: "POST",
      headers: {
        origin,
        "content-type": "application/json",
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...headers,
      },
      body,
    });

  it.each([FRONTEND, LOCAL_FRONTEND])(
    "answers the preflight of %s, a listed origin, with that origin and the headers it may send",
    async (origin) => {
      const response = await preflight(origin);
      expect(response.status).toBe(204);
      expect(corsHeadersOf(response)).toEqual({
        "access-control-allow-origin": origin,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers":
          "authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id",
        "access-control-max-age": "7200",
      });
      expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
    },
  );

  it("lets a listed origin read the answer to a query sent with its token", async () => {
    const response = await post(FRONTEND);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
    expect(corsHeadersOf(response)).toEqual({
      "access-control-allow-origin": FRONTEND,
      "access-control-expose-headers": "x-request-id",
    });
    expect(response.headers.get("vary")).toMatch(/\bOrigin\b/);
  });

  it("lets a listed origin read why a call without a token was refused", async () => {
    const response = await post(FRONTEND, { authorization: "" });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe(FRONTEND);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: "UNAUTHENTICATED" } }],
    });
  });

  it.each([
    "https://evil.example.com",
    "https://app.example.com.evil.example.com",
    "http://app.example.com",
    "https://app.example.com:8443",
    "null",
  ])("refuses %s, an origin not listed, any CORS header", async (origin) => {
    const refusedPreflight = await preflight(origin);
    expect(corsHeadersOf(refusedPreflight)).toEqual({});
    expect(refusedPreflight.headers.get("vary")).toMatch(/\bOrigin\b/);
    // The server still answers (CORS is the browser's to enforce), without letting it be read.
    const refusedPost = await post(origin);
    expect(corsHeadersOf(refusedPost)).toEqual({});
    expect(refusedPost.headers.get("vary")).toMatch(/\bOrigin\b/);
  });

  it("rejects a simple cross-site request from a listed origin when it lacks a preflight (CSRF prevention)", async () => {
    const textPlain = await post(FRONTEND, { "content-type": "text/plain" });
    expect(textPlain.status).toBe(400);
    expect(await textPlain.json()).toMatchObject({
      errors: [{ extensions: { code: "BAD_REQUEST" }, message: expect.stringMatching(/CSRF/) }],
    });
    const url = `${gateway.gateway.graphqlUrl}?query=${encodeURIComponent("{ __typename }")}`;
    const simpleGet = await fetch(url, {
      headers: { origin: FRONTEND, authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(simpleGet.status).toBe(400);
    const preflightedGet = await fetch(url, {
      headers: {
        origin: FRONTEND,
        authorization: `Bearer ${ADMIN_TOKEN}`,
        "apollo-require-preflight": "true",
      },
    });
    expect(preflightedGet.status).toBe(200);
  });
});

describe("CORS when CORS_ORIGINS is not set", () => {
  it("refuses every origin any CORS header when no origin is listed", async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(gateway.gateway.graphqlUrl, {
        method: "OPTIONS",
        headers: { origin: FRONTEND, "access-control-request-method": "POST" },
      });
      expect(corsHeadersOf(response)).toEqual({});
      const query = await fetch(gateway.gateway.graphqlUrl, {
        method: "POST",
        headers: {
          origin: FRONTEND,
          "content-type": "application/json",
          authorization: `Bearer ${ADMIN_TOKEN}`,
        },
        body: QUERY,
      });
      expect(query.status).toBe(200);
      expect(corsHeadersOf(query)).toEqual({});
    } finally {
      await gateway.stop();
    }
  });
});

describe("CORS while the gateway waits for its database", () => {
  it("lets a listed origin read the 503 it answers before the database is open", async () => {
    // A PostgreSQL nobody listens on: start-up keeps waiting, with the HTTP server up.
    const closed = await freePort();
    const port = await freePort();
    const abort = new AbortController();
    const starting = startGateway({
      config: loadConfig({
        NODE_ENV: "test",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/none`,
        DATABASE_CONNECT_TIMEOUT_SECONDS: "60",
        GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
        SYNC_SCHEDULER_ENABLED: "false",
        CORS_ORIGINS: FRONTEND,
      }),
      logger: createLogger("silent"),
      adminToken: ADMIN_TOKEN,
      secretBox: new SecretBox(randomBytes(32)),
      signal: abort.signal,
    });
    const outcome = starting.then(
      () => "started",
      (error: unknown) => (error instanceof Error ? error.name : "failed"),
    );
    try {
      const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
      const answer = await untilListening(() =>
        fetch(graphqlUrl, {
          method: "POST",
          headers: {
            origin: FRONTEND,
            "content-type": "application/json",
            authorization: `Bearer ${ADMIN_TOKEN}`,
          },
          body: QUERY,
        }),
      );
      expect(answer.status).toBe(503);
      expect(answer.headers.get("access-control-allow-origin")).toBe(FRONTEND);
      expect(await answer.json()).toMatchObject({
        errors: [{ extensions: { code: "SERVICE_UNAVAILABLE" } }],
      });
      const preflight = await fetch(graphqlUrl, {
        method: "OPTIONS",
        headers: { origin: FRONTEND, "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(FRONTEND);
    } finally {
      abort.abort();
      expect(await outcome).toBe("StartupAbortedError");
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Retries while the port refuses connections (the server is about to listen). */
async function untilListening(request: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= 100) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
