import { type Harness, startHarness } from "./simulator.harness";

describe("simulator faults", () => {
  let h: Harness;
  const incidents = (): Promise<Response> =>
    h.get("/api/now/table/incident", { sysparm_limit: "1" });

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      sim.insert("incident", { short_description: "one" });
      sim.insert("sys_user_group", { name: "Network" });
    });
  });
  afterEach(() => h.sim.faults.clear());
  afterAll(() => h.sim.stop());

  it.each([500, 502, 503])(
    "answers %i with a ServiceNow error body for the next requests only",
    async (status) => {
      h.sim.faults.inject({ kind: "status", status, times: 2 });
      const first = await incidents();
      expect(first.status).toBe(status);
      expect(await first.json()).toMatchObject({
        error: { message: expect.any(String) },
        status: "failure",
      });
      expect((await incidents()).status).toBe(status);
      expect((await incidents()).status).toBe(200);
    },
  );

  it("fails only the matching table when the fault names one", async () => {
    h.sim.faults.inject({ kind: "status", match: { table: "sys_user_group" } });
    expect((await incidents()).status).toBe(200);
    expect((await h.get("/api/now/table/sys_user_group")).status).toBe(503);
    expect((await h.get("/api/now/table/sys_user_group")).status).toBe(200);
  });

  it("fails only paths with the prefix when the fault names one", async () => {
    h.sim.faults.inject({ kind: "status", status: 500, match: { pathPrefix: "/oauth_token.do" } });
    expect((await incidents()).status).toBe(200);
    const response = await fetch(`${h.url}/oauth_token.do`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=password",
    });
    expect(response.status).toBe(500);
  });

  it("answers after the delay when the fault is a delay", async () => {
    h.sim.faults.inject({ kind: "delay", delayMs: 300 });
    const started = Date.now();
    const response = await incidents();
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("drops the connection when the fault is a reset", async () => {
    h.sim.faults.inject({ kind: "reset" });
    await expect(incidents()).rejects.toThrow();
    expect(h.sim.requestLog.at(-1)).toMatchObject({ status: 0, fault: "reset" });
    expect((await incidents()).status).toBe(200);
  });

  it("answers 200 text/html when the instance hibernates", async () => {
    h.sim.faults.inject({ kind: "html" });
    const response = await incidents();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("hibernating");
  });

  it("answers 200 with JSON that does not parse when the fault is malformed", async () => {
    h.sim.faults.inject({ kind: "malformed" });
    const response = await incidents();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    await expect(response.json()).rejects.toThrow(/JSON/);
  });

  it("answers 429 with Retry-After and rate-limit headers when the fault is rateLimit", async () => {
    h.sim.faults.inject({ kind: "rateLimit", retryAfterSeconds: 7 });
    const response = await incidents();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
    expect(response.headers.get("x-ratelimit-reset")).toMatch(/^\d+$/);
    expect(response.headers.get("x-ratelimit-rule")).toMatch(/^[0-9a-f]{32}$/);
    expect(await response.json()).toMatchObject({ error: { message: "Rate limit exceeded" } });
  });

  it("never answers until the client gives up when the fault is a timeout", async () => {
    h.sim.faults.inject({ kind: "timeout" });
    const started = Date.now();
    await expect(
      fetch(`${h.url}/api/now/table/incident`, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect((await incidents()).status).toBe(200);
  });
});

describe("simulator rate limit rule", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  it("answers 429 with Retry-After past the hourly limit and headers on every answer", async () => {
    h.sim.setClock(new Date("2024-06-01T10:59:30Z"));
    h.sim.rateLimit({ limitPerHour: 2 });
    try {
      const statuses = [];
      let last: Response | null = null;
      for (let i = 0; i < 3; i++) {
        last = await h.get("/api/now/table/incident");
        statuses.push(last.status);
        expect(last.headers.get("x-ratelimit-limit")).toBe("2");
        expect(last.headers.get("x-ratelimit-reset")).toBe(
          String(Date.parse("2024-06-01T11:00:00Z") / 1000),
        );
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last?.headers.get("retry-after")).toBe("30");
      // A new hour, a new window.
      h.sim.setClock(new Date("2024-06-01T11:00:01Z"));
      expect((await h.get("/api/now/table/incident")).status).toBe(200);
    } finally {
      h.sim.rateLimit(null);
      h.sim.setClock(null);
    }
    expect((await h.get("/api/now/table/incident")).headers.get("x-ratelimit-limit")).toBeNull();
  });
});
