import { createHash } from "node:crypto";

import { type CapturedLogger, captureLogger } from "../servicenow/capture.logger";
import {
  ADMIN_TOKEN,
  startTestGateway,
  type TestGateway,
  VIEWER_TOKEN,
} from "../support/test-gateway";

interface ClientErrorCase {
  readonly name: string;
  readonly method?: string;
  /** A JSON value to send, or the raw body. */
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  /** Query string of a GET. */
  readonly search?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Bearer token; the admin's unless given (null: none). */
  readonly token?: string | null;
  readonly status: number;
  readonly code: string;
  readonly message: RegExp;
  /** pino level of its log line: 30 info, 40 warn. */
  readonly level?: 30 | 40;
}

const TYPENAME = "{ __typename }";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const persisted = (version: unknown, sha256Hash: string) => ({
  persistedQuery: { version, sha256Hash },
});
const DEEP =
  "{ users { nodes { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }";
const COSTLY = "incidents(first: 500) { nodes { updates(first: 100) { value } } }";
/** GETs must carry a preflight header past CSRF prevention. */
const PREFLIGHT = { "apollo-require-preflight": "true" };

// Every request below is the caller's mistake. No Accept header: answered as application/json,
// so GraphQL request errors are 200 and only malformed HTTP requests are 4xx (GraphQL over HTTP).
const CASES: ClientErrorCase[] = [
  {
    name: "a request without a token",
    body: { query: TYPENAME },
    token: null,
    status: 401,
    code: "UNAUTHENTICATED",
    message: /^Missing bearer token: send Authorization: Bearer <token>\.$/,
    level: 40,
  },
  {
    name: "a request with a wrong token",
    body: { query: TYPENAME },
    token: "not-a-token-of-this-gateway",
    status: 401,
    code: "UNAUTHENTICATED",
    message: /^Invalid bearer token\.$/,
    level: 40,
  },
  {
    name: "a mutation with a viewer token",
    body: { query: 'mutation { deleteIntegration(id: "00000000-0000-4000-8000-000000000000") }' },
    token: VIEWER_TOKEN,
    status: 200,
    code: "FORBIDDEN",
    message: /needs the admin role/,
    level: 40,
  },
  {
    name: "a body that is not JSON",
    raw: '{"query": "{ __typename }", "variables": {"password": "hunter2"',
    status: 400,
    code: "BAD_REQUEST",
    message: /^The request body is not a JSON object: send \{"query"/,
  },
  {
    name: "a JSON body that is not an object",
    raw: '"{ __typename }"',
    status: 400,
    code: "BAD_REQUEST",
    message: /not a JSON object/,
  },
  {
    name: "a body over 1 MB",
    body: { query: TYPENAME, variables: { padding: "x".repeat(1024 * 1024) } },
    status: 413,
    code: "BAD_REQUEST",
    message: /^The request body is larger than 1mb\.$/,
  },
  {
    name: "a body in an unsupported charset",
    body: { query: TYPENAME },
    headers: { "content-type": "application/json; charset=latin1" },
    status: 415,
    code: "BAD_REQUEST",
    message: /^unsupported charset "LATIN1"$/,
  },
  {
    name: "a simple cross-site request (text/plain)",
    raw: JSON.stringify({ query: TYPENAME }),
    headers: { "content-type": "text/plain" },
    status: 400,
    code: "BAD_REQUEST",
    message: /Cross-Site Request Forgery/,
  },
  {
    name: "a body without a query",
    body: { variables: {} },
    status: 400,
    code: "BAD_REQUEST",
    message: /must contain a non-empty `query`/,
  },
  {
    name: "a batch of operations",
    body: [{ query: TYPENAME }, { query: TYPENAME }],
    status: 400,
    code: "BAD_REQUEST",
    message: /batching disabled/,
  },
  {
    name: "variables sent as a string",
    body: { query: TYPENAME, variables: "{}" },
    status: 400,
    code: "BAD_REQUEST",
    message: /`variables` in a POST body should be provided as an object/,
  },
  {
    name: "a PUT",
    method: "PUT",
    body: { query: TYPENAME },
    status: 405,
    code: "BAD_REQUEST",
    message: /supports only GET\/POST/,
  },
  {
    name: "a mutation over GET",
    method: "GET",
    search: { query: 'mutation { deleteIntegration(id: "x") }' },
    headers: PREFLIGHT,
    status: 405,
    code: "BAD_REQUEST",
    message: /GET requests only support query operations, not mutation operations/,
  },
  {
    name: "an Accept header the gateway cannot answer",
    body: { query: TYPENAME },
    headers: { accept: "application/xml" },
    status: 406,
    code: "BAD_REQUEST",
    message: /does not accept application\/json/,
  },
  {
    name: "a subscription over POST",
    body: { query: "subscription { incidentChanged { sysId } }" },
    status: 400,
    code: "BAD_REQUEST",
    message:
      /^Subscriptions are not served over plain HTTP: they use the graphql-ws protocol over a WebSocket on \/graphql\.$/,
  },
  {
    name: "a subscription over GET",
    method: "GET",
    search: { query: "subscription { incidentChanged { sysId } }" },
    headers: PREFLIGHT,
    status: 405,
    code: "BAD_REQUEST",
    message: /not subscription operations/,
  },
  {
    name: "a persisted query the gateway does not know",
    body: { extensions: persisted(1, sha256("{ unknown }")) },
    status: 200,
    code: "PERSISTED_QUERY_NOT_FOUND",
    message: /^PersistedQueryNotFound$/,
  },
  {
    name: "a persisted query whose hash does not match its query",
    body: { query: TYPENAME, extensions: persisted(1, sha256("{ somethingElse }")) },
    status: 200,
    code: "PERSISTED_QUERY_HASH_MISMATCH",
    message: /^provided sha does not match query$/,
  },
  {
    name: "a persisted query of an unsupported version",
    body: { query: TYPENAME, extensions: persisted(2, sha256(TYPENAME)) },
    status: 400,
    code: "BAD_REQUEST",
    message: /^Unsupported persisted query version$/,
  },
  {
    name: "a document that does not parse",
    body: { query: "{ incidents(" },
    status: 200,
    code: "GRAPHQL_PARSE_FAILED",
    message: /^Syntax Error/,
  },
  {
    name: "a document that does not validate",
    body: { query: "{ incidents { nope } }" },
    status: 200,
    code: "GRAPHQL_VALIDATION_FAILED",
    message: /Cannot query field "nope"/,
  },
  {
    name: "an operation name the document does not define",
    body: { query: "query A { __typename }", operationName: "B" },
    status: 200,
    code: "OPERATION_RESOLUTION_FAILURE",
    message: /^Unknown operation named "B"\.$/,
  },
  {
    name: "two operations and no operation name",
    body: { query: "query A { __typename } query B { __typename }" },
    status: 200,
    code: "OPERATION_RESOLUTION_FAILURE",
    message: /Must provide operation name/,
  },
  {
    name: "a variable of the wrong type",
    body: {
      query: "query ($first: Int) { incidents(first: $first) { totalCount } }",
      variables: { first: "ten" },
    },
    status: 200,
    code: "BAD_USER_INPUT",
    message: /^Variable "\$first" has an invalid value/,
  },
  {
    name: "a query nested too deep",
    body: { query: DEEP },
    status: 200,
    code: "QUERY_TOO_DEEP",
    message: /levels deep; the limit is 10/,
  },
  {
    name: "a query above the cost limit",
    body: { query: `{ a: ${COSTLY} b: ${COSTLY} }` },
    status: 200,
    code: "QUERY_TOO_COSTLY",
    message: /estimated cost 102000, limit 100000/,
  },
  {
    name: "an argument a resolver refuses",
    body: { query: "{ incidents(first: 0) { totalCount } }" },
    status: 200,
    code: "BAD_USER_INPUT",
    message: /between 1 and 500/,
  },
];

describe("client errors: each has a client code, its own message, and an info or warn log line", () => {
  let gateway: TestGateway;
  let logs: CapturedLogger;

  beforeAll(async () => {
    logs = captureLogger();
    gateway = await startTestGateway({ logger: logs.logger });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const send = (testCase: ClientErrorCase): Promise<Response> => {
    const token = testCase.token === undefined ? ADMIN_TOKEN : testCase.token;
    const url = new URL(gateway.gateway.graphqlUrl);
    for (const [name, value] of Object.entries(testCase.search ?? {})) {
      url.searchParams.set(name, value);
    }
    const method = testCase.method ?? "POST";
    return fetch(url, {
      method,
      headers: {
        ...(method === "GET" ? {} : { "content-type": "application/json" }),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...testCase.headers,
      },
      body: method === "GET" ? undefined : (testCase.raw ?? JSON.stringify(testCase.body)),
    });
  };

  it.each(CASES)("rejects $name with $code when it is sent", async (testCase) => {
    const logged = logs.lines.length;
    const response = await send(testCase);
    const body = (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code }).toEqual({
      status: testCase.status,
      code: testCase.code,
    });
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toMatch(testCase.message);
    expect(body.data ?? null).toBeNull();

    const lines = logs.lines.slice(logged);
    const errorLines = lines.filter((line) => (line.level as number) >= 50);
    expect(errorLines).toEqual([]);
    const line = lines.find((entry) => entry.code === testCase.code);
    expect(line).toMatchObject({ level: testCase.level ?? 30, msg: body.errors![0].message });
    // Nothing the caller sent is echoed into the log (the broken body held a password).
    expect(JSON.stringify(lines)).not.toContain("hunter2");
  });
});

describe("server faults", () => {
  it("answers a genuine server fault with INTERNAL_SERVER_ERROR and logs it at error", async () => {
    const logs = captureLogger();
    const gateway = await startTestGateway({
      logger: logs.logger,
      env: { NODE_ENV: "production" },
    });
    try {
      await gateway.gateway.dataSource.query("DROP TABLE incident");
      const { status, body } = await gateway.graphql("{ incidents { totalCount } }");
      expect(status).toBe(200);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: "Internal server error",
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        }),
      ]);
      expect(logs.lines.filter((line) => line.level === 50)).toEqual([
        expect.objectContaining({ msg: "unexpected error while resolving" }),
      ]);
    } finally {
      await gateway.stop();
    }
  });
});
