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
