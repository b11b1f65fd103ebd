import {
  ADMIN_TOKEN,
  startTestGateway,
  type TestGateway,
  VIEWER_TOKEN,
} from "../support/test-gateway";

const QUERY = "query { integrations { id } incidents(first: 1) { totalCount } }";

describe("bearer-token authentication on /graphql", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const post = (headers: Record<string, string>) =>
    fetch(gateway.gateway.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: QUERY }),
    });

  it("returns HTTP 401 with UNAUTHENTICATED and no data when no token is sent", async () => {
    const { status, body } = await gateway.graphql(QUERY, {}, { token: null });
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions?.code).toBe("UNAUTHENTICATED");
    expect(body.errors![0].message).toMatch(/Authorization: Bearer/);
  });

  it("returns HTTP 401 with UNAUTHENTICATED when the token is wrong", async () => {
    for (const token of ["not-a-token", `${ADMIN_TOKEN}x`, VIEWER_TOKEN.slice(0, -1)]) {
      const { status, body } = await gateway.graphql(QUERY, {}, { token });
      expect(status).toBe(401);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
      expect(body.errors?.[0].message).toBe("Invalid bearer token.");
    }
  });

  it("returns HTTP 401 when the Authorization header is not a bearer token", async () => {
    for (const authorization of [`Basic ${ADMIN_TOKEN}`, ADMIN_TOKEN, "Bearer", `Bearer a b`]) {
      const response = await post({ authorization });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers queries for a viewer token and for the admin token", async () => {
    for (const token of [VIEWER_TOKEN, ADMIN_TOKEN]) {
      const { status, body } = await gateway.graphql(QUERY, {}, { token });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ integrations: [], incidents: { totalCount: 0 } });
    }
  });

  it("accepts the scheme name in any case", async () => {
    const response = await post({ authorization: `bearer ${VIEWER_TOKEN}` });
    expect(response.status).toBe(200);
  });

  it.each([
    [
      "deleteIntegration",
      `mutation { deleteIntegration(id: "00000000-0000-4000-8000-000000000000") }`,
    ],
    [
      "validateConnection",
      `mutation { validateConnection(id: "00000000-0000-4000-8000-000000000000") { ok } }`,
    ],
  ])(
    "returns FORBIDDEN when a viewer calls %s, while an admin gets past authorization",
    async (_name, mutation) => {
      const asViewer = await gateway.graphql(mutation, {}, { token: VIEWER_TOKEN });
      expect(asViewer.body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
      const asAdmin = await gateway.graphql(mutation, {}, { token: ADMIN_TOKEN });
      expect(asAdmin.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    },
  );
});
