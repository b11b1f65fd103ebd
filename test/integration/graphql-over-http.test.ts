import { type AuditResult, auditServer } from "graphql-http";

import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../support/test-gateway";

/** The audit's requests carry no token; each gets the admin one added, as a client would send. */
function withAdminToken(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${ADMIN_TOKEN}`);
  return fetch(input, { ...init, headers });
}

const describeResult = (result: AuditResult): string =>
  result.status === "ok"
    ? `${result.id} ok`
    : `${result.id} ${result.status}: ${result.name} (${result.reason})`;

describe("GraphQL over HTTP", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("passes graphql-http's server audit with no error and no warning", async () => {
    const results = await auditServer({ url: gateway.gateway.graphqlUrl, fetchFn: withAdminToken });
    expect(results.length).toBeGreaterThan(50);
    const failures = results.filter(
      (result) => result.status === "error" || result.status === "warn",
    );
    expect(failures.map(describeResult)).toEqual([]);
    // Notices are MAY-level: GET requests without a preflight header are refused by CSRF prevention.
    const notices = results.filter((result) => result.status === "notice");
    expect(notices.map((result) => result.id).sort()).toEqual(["5A70", "6A70", "D6D5"]);
  });

  it("rejects the audit's requests when they come without a token", async () => {
    const response = await fetch(gateway.gateway.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: "UNAUTHENTICATED" } }],
    });
  });

  const post = (query: string, accept?: string) =>
    withAdminToken(gateway.gateway.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
      body: JSON.stringify({ query, variables: { first: "ten" } }),
    });

  const requestErrors: Array<[string, string, string]> = [
    ["a document that does not parse", "{ incidents(", "GRAPHQL_PARSE_FAILED"],
    ["a document that does not validate", "{ incidents { nope } }", "GRAPHQL_VALIDATION_FAILED"],
    [
      "variables that do not coerce",
      "query ($first: Int) { incidents(first: $first) { totalCount } }",
      "BAD_USER_INPUT",
    ],
    [
      "a query nested too deep",
      "{ users { nodes { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }",
      "QUERY_TOO_DEEP",
    ],
    [
      "a query above the cost limit",
      "{ a: incidents(first: 500) { nodes { updates(first: 100) { value } } } b: incidents(first: 500) { nodes { updates(first: 100) { value } } } }",
      "QUERY_TOO_COSTLY",
    ],
  ];

  it.each(requestErrors)(
    "answers %s with 200 as application/json, and 400 as application/graphql-response+json",
    async (_, query, code) => {
      for (const accept of [undefined, "application/json", "*/*"]) {
        const response = await post(query, accept);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
        expect(await response.json()).toMatchObject({ errors: [{ extensions: { code } }] });
      }
      for (const accept of [
        "application/graphql-response+json",
        "application/graphql-response+json, application/json;q=0.9",
      ]) {
        const response = await post(query, accept);
        expect(response.status).toBe(400);
        expect(response.headers.get("content-type")).toBe(
          "application/graphql-response+json; charset=utf-8",
        );
        expect(await response.json()).toMatchObject({ errors: [{ extensions: { code } }] });
      }
    },
  );
});
