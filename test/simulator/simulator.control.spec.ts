import { basic, type Harness, startHarness } from "./simulator.harness";

describe("simulator /__sim HTTP controls", () => {
  let h: Harness;
  const control = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(`${h.url}/__sim/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
  const result = <T>(reply: { json: unknown }): T => (reply.json as { result: T }).result;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  it("inserts, updates and deletes records, writing sys_audit_delete on delete", async () => {
    await control("POST", "clock", { now: "2024-01-01T10:00:00Z" });
    const created = await control("POST", "records/incident", { short_description: "via http" });
    expect(created.status).toBe(201);
    const record = result<Record<string, string>>(created);
    expect(record).toMatchObject({
      number: "INC0010001",
      sys_created_on: "2024-01-01 10:00:00",
      sys_updated_on: "2024-01-01 10:00:00",
      sys_mod_count: "0",
    });
    expect(record.sys_id).toMatch(/^[0-9a-f]{32}$/);

    await control("POST", "clock", { now: "2024-01-01T11:00:00Z" });
    const updated = result<Record<string, string>>(
      await control("PATCH", `records/incident/${record.sys_id}`, { state: "2" }),
    );
    expect(updated).toMatchObject({
      state: "2",
      sys_updated_on: "2024-01-01 11:00:00",
      sys_mod_count: "1",
    });

    expect((await control("DELETE", `records/incident/${record.sys_id}`)).status).toBe(204);
    expect((await control("GET", `records/incident/${record.sys_id}`)).status).toBe(404);
    const { result: audit } = await h.list("sys_audit_delete", {
      sysparm_fields: "tablename,documentkey,sys_created_on",
    });
    expect(audit).toEqual([
      { tablename: "incident", documentkey: record.sys_id, sys_created_on: "2024-01-01 11:00:00" },
    ]);
    await control("POST", "clock", { now: null });
  });

  it("answers 400 when a record names an unknown field or table", async () => {
    expect((await control("POST", "records/incident", { shortdesc: "x" })).status).toBe(400);
    expect((await control("POST", "records/nope", { name: "x" })).status).toBe(400);
  });

  it("injects faults that the next Table API request suffers", async () => {
    expect(
      (await control("POST", "faults", { kind: "status", status: 502, times: 1 })).status,
    ).toBe(201);
    expect((await h.get("/api/now/table/incident")).status).toBe(502);
    expect((await h.get("/api/now/table/incident")).status).toBe(200);
    expect((await control("POST", "faults", { kind: "explode" })).status).toBe(400);
  });

  it("expires access tokens", async () => {
    await control("POST", "users", { userName: "svc", password: "pw" });
    await control("POST", "oauth-clients", { clientId: "c", clientSecret: "s", redirectUris: [] });
    const issued = (await (
      await fetch(`${h.url}/oauth_token.do`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "grant_type=password&client_id=c&client_secret=s&username=svc&password=pw",
      })
    ).json()) as { access_token: string };
    const bearer = `Bearer ${issued.access_token}`;
    expect((await h.get("/api/now/table/incident", {}, bearer)).status).toBe(200);
    expect((await control("POST", "expire-tokens")).status).toBe(204);
    expect((await h.get("/api/now/table/incident", {}, bearer)).status).toBe(401);
  });

  it("sets rate limits and ACL rules", async () => {
    await control("POST", "records/sys_user_group", { name: "Hidden" });
    await control("POST", "records/sys_user_group", { name: "Shown" });
    await control("POST", "acl", { table: "sys_user_group", query: "name=Hidden" });
    const { response, result: groups } = await h.list("sys_user_group", { sysparm_fields: "name" });
    expect(groups).toEqual([{ name: "Shown" }]);
    expect(response.headers.get("x-total-count")).toBe("2");
    await control("POST", "acl", { table: "sys_user_group", query: null });

    await control("POST", "rate-limit", { limitPerHour: 0 });
    expect((await h.get("/api/now/table/incident")).status).toBe(429);
    await control("POST", "rate-limit", { limitPerHour: null });
    expect((await h.get("/api/now/table/incident")).status).toBe(200);
  });

  it("returns the request log with the query parameters each request sent", async () => {
    await control("DELETE", "requests");
    await h.get(
      "/api/now/table/incident",
      { sysparm_fields: "sys_id,number" },
      basic("admin", "admin"),
    );
    const log = result<{ path: string; query: Record<string, string>; authKind: string }[]>(
      await control("GET", "requests"),
    );
    expect(log).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/api/now/table/incident",
        table: "incident",
        query: { sysparm_fields: "sys_id,number" },
        authKind: "basic",
        userName: "admin",
        status: 200,
      }),
    ]);
  });

  it("counts the Table API requests it serves per table, beyond the request log's limit, until reset", async () => {
    expect((await control("DELETE", "table-requests")).status).toBe(204);
    await h.get("/api/now/table/incident", { sysparm_limit: "1" }, basic("admin", "admin"));
    await h.get("/api/now/v2/table/incident", {}, basic("admin", "admin"));
    await h.get("/api/now/table/sys_user", {}, basic("admin", "admin"));
    await h.get("/api/now/table/no_such_table", {}, basic("admin", "admin"));
    await control("GET", "requests");
    expect(result<Record<string, number>>(await control("GET", "table-requests"))).toEqual({
      incident: 2,
      no_such_table: 1,
      sys_user: 1,
    });
    h.sim.resetTableRequestCounts();
    expect(h.sim.tableRequestCounts()).toEqual({});
  });

  it("generates a dataset", async () => {
    const reply = await control("POST", "generate", {
      seed: 5,
      users: 10,
      groups: 2,
      incidents: 25,
      changes: 3,
      start: "2023-01-01T00:00:00Z",
      end: "2023-02-01T00:00:00Z",
    });
    expect(reply.status).toBe(201);
    expect(result<{ counts: Record<string, number> }>(reply).counts.incident).toBe(25);
    const { response } = await h.list("incident", {
      sysparm_query: "sys_created_on>=2023-01-01^sys_created_on<2023-02-01",
      sysparm_limit: "1",
    });
    expect(response.headers.get("x-total-count")).toBe("25");
  });
});
