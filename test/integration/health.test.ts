import { startTestGateway, type TestGateway } from "../support/test-gateway";

describe("health endpoints", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("returns 200 from /healthz without a token", async () => {
    const response = await fetch(`${gateway.gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("returns 200 from /readyz with the database ok", async () => {
    const response = await fetch(`${gateway.gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", checks: { database: "ok" } });
  });

  it("returns 503 from /readyz and SERVICE_UNAVAILABLE while the database is unusable, and 200 once it is back", async () => {
    const { dataSource } = gateway.gateway;
    await dataSource.destroy();
    try {
      const response = await fetch(`${gateway.gateway.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "not ready",
        checks: { database: "failing" },
      });
      const live = await fetch(`${gateway.gateway.url}/healthz`);
      expect(live.status).toBe(200);
      // A query meanwhile is not an internal error: the service is unavailable, try later.
      const query = await gateway.graphql("{ integrations { id } }");
      expect(query.status).toBe(503);
      expect(query.body.errors?.map((error) => error.extensions?.code)).toEqual([
        "SERVICE_UNAVAILABLE",
      ]);
    } finally {
      await dataSource.initialize();
    }
    expect((await fetch(`${gateway.gateway.url}/readyz`)).status).toBe(200);
  });
});
