import { basic, type Harness, startHarness } from "./simulator.harness";

const WRITER = { userName: "svc.writer", password: "writer-pass" } as const;

let h: Harness;
let callerSysId: string;

beforeEach(async () => {
  h = await startHarness({}, (sim) => {
    sim.addUser({ ...WRITER, roles: ["itil"] });
    sim.addUser({ userName: "reader", password: "reader-pass" });
    callerSysId = sim.insert("sys_user", { user_name: "jane.doe", name: "Jane Doe" }).sys_id;
  });
});

afterEach(async () => {
  await h.sim.stop();
});

function write(
  method: string,
  path: string,
  body: unknown,
  auth = basic(WRITER.userName, WRITER.password),
  params: Record<string, string> = {},
) {
  const query = new URLSearchParams(params).toString();
  return fetch(`${h.url}${path}${query ? `?${query}` : ""}`, {
    method,
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface ErrorBody {
  error: { message: string; detail: string | null };
  status: string;
}

describe("simulator writes", () => {
  it("creates an incident with POST: 201, numbered, stamped, priority from impact × urgency", async () => {
    const response = await write("POST", "/api/now/table/incident", {
      short_description: "Disk full on db-1",
      caller_id: callerSysId,
      impact: "1",
      urgency: 2,
      correlation_id: "alert-1",
      correlation_display: "gateway",
      sys_id: "ignored",
      u_unknown_is_kept: "yes",
      not_a_field: "ignored",
    });
    expect(response.status).toBe(201);
    const { result } = (await response.json()) as { result: Record<string, unknown> };
    expect(result).toMatchObject({
      number: "INC0010001",
      short_description: "Disk full on db-1",
      state: "1",
      priority: "2",
      correlation_id: "alert-1",
      sys_created_by: WRITER.userName,
    });
    expect(result.sys_id).not.toBe("ignored");
    expect(result).not.toHaveProperty("not_a_field");
    expect(response.headers.get("location")).toContain(
      `/api/now/table/incident/${String(result.sys_id)}`,
    );
    const stored = h.sim.get("incident", String(result.sys_id));
    expect(stored?.caller_id).toBe(callerSysId);
    expect(stored?.opened_by).toBe(h.sim.users.find((u) => u.userName === WRITER.userName)?.sysId);
  });

  it("answers the data policy like ServiceNow: 403, Operation Failed, the mandatory labels", async () => {
    const response = await write("POST", "/api/now/table/incident", { description: "no title" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as ErrorBody;
    expect(body.status).toBe("failure");
    expect(body.error.message).toBe("Operation Failed");
    expect(body.error.detail).toContain(
      "Data Policy Exception: \n\tThe following fields are mandatory: Short description, Caller",
    );
    expect(h.sim.all("incident")).toHaveLength(0);
  });

  it("updates with PATCH, needs the resolution code and notes to resolve, stamps resolved_*", async () => {
    const created = h.sim.insert("incident", { short_description: "x", caller_id: callerSysId });
    const path = `/api/now/table/incident/${created.sys_id}`;
    const refused = await write("PATCH", path, { state: "6" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.detail).toContain(
      "mandatory: Resolution code, Resolution notes",
    );
    const response = await write("PATCH", path, {
      state: "6",
      close_code: "Solved (Permanently)",
      close_notes: "Disk cleaned",
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: Record<string, string> };
    expect(result).toMatchObject({ state: "6", close_code: "Solved (Permanently)" });
    expect(result.resolved_at).not.toBe("");
    expect(Number(result.sys_mod_count)).toBe(Number(created.sys_mod_count ?? "0") + 1);
    expect((await write("PATCH", "/api/now/table/incident/0123456789abcdef", {})).status).toBe(404);
  });

  it("turns comments and work_notes in the body into journal entries", async () => {
    const response = await write("POST", "/api/now/table/incident", {
      short_description: "x",
      caller_id: callerSysId,
      comments: "Customer called",
    });
    const { result } = (await response.json()) as { result: Record<string, string> };
    await write("PATCH", `/api/now/table/incident/${result.sys_id}`, { work_notes: "Rebooted" });
    const journal = h.sim
      .all("sys_journal_field")
      .filter((entry) => entry.element_id === result.sys_id)
      .map((entry) => [entry.name, entry.element, entry.value, entry.sys_created_by]);
    expect(journal).toEqual([
      ["incident", "comments", "Customer called", WRITER.userName],
      ["incident", "work_notes", "Rebooted", WRITER.userName],
    ]);
  });

  it("answers correlation_id queries", async () => {
    h.sim.insert("incident", {
      short_description: "a",
      caller_id: callerSysId,
      correlation_id: "k-1",
    });
    h.sim.insert("incident", {
      short_description: "b",
      caller_id: callerSysId,
      correlation_id: "k-2",
    });
    const { result } = await h.list("incident", {
      sysparm_query: "correlation_id=k-2",
      sysparm_fields: "short_description",
    });
    expect(result).toEqual([{ short_description: "b" }]);
  });

  it("refuses writes of users without a writer role (ACL) and bodies that are not JSON", async () => {
    const acl = await write("POST", "/api/now/table/incident", {}, basic("reader", "reader-pass"));
    expect(acl.status).toBe(403);
    expect(((await acl.json()) as ErrorBody).error.detail).toBe(
      "ACL Exception Insert Failed due to security constraints",
    );
    expect((await write("POST", "/api/now/table/incident", "{nope")).status).toBe(400);
  });

  it("lists the roles of users in sys_user_has_role", async () => {
    const { result } = await h.list(
      "sys_user_has_role",
      { sysparm_query: "user.user_name=javascript:gs.getUserName()", sysparm_fields: "role.name" },
      basic(WRITER.userName, WRITER.password),
    );
    expect(result).toEqual([{ "role.name": "itil" }]);
  });

  it("applies the per-user hourly rate limit to writes: 429 with Retry-After and X-RateLimit-*", async () => {
    h.sim.setClock(new Date("2026-03-02T10:59:00Z"));
    h.sim.rateLimit({ limitPerHour: 1, name: "writes" });
    const body = { short_description: "x", caller_id: callerSysId };
    const first = await write("POST", "/api/now/table/incident", body);
    expect(first.status).toBe(201);
    expect(first.headers.get("x-ratelimit-limit")).toBe("1");
    const second = await write("POST", "/api/now/table/incident", body);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("60");
    expect(second.headers.get("x-ratelimit-reset")).toBe(
      String(Date.parse("2026-03-02T11:00:00Z") / 1000),
    );
    expect(second.headers.get("x-ratelimit-rule")).toMatch(/^[0-9a-f]{32}$/);
    expect(((await second.json()) as ErrorBody).error.message).toBe("Rate limit exceeded");
    expect(h.sim.all("incident")).toHaveLength(1);
  });

  it("commits a POST and drops its answer with the dropResponse fault", async () => {
    h.sim.faults.inject({ kind: "dropResponse", match: { table: "incident", method: "POST" } });
    await expect(
      write("POST", "/api/now/table/incident", {
        short_description: "lost answer",
        caller_id: callerSysId,
        correlation_id: "k-lost",
      }),
    ).rejects.toThrow();
    expect(h.sim.all("incident").map((record) => record.correlation_id)).toEqual(["k-lost"]);
    // Reads are untouched by a fault matched to POST.
    expect((await h.list("incident")).result).toHaveLength(1);
  });
});
