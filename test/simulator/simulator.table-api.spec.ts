import { SERVICENOW_TABLES } from "../../src/servicenow/servicenow-tables";
import type { Simulator } from "../../src/simulator";
import { type Harness, rawValues, readFixture, startHarness } from "./simulator.harness";

type Json = Record<string, unknown>;

const incidentFixture = readFixture<{ result: Json }>(
  "incident.single.display_value_false.json",
).result;
const changeFixture = readFixture<{ result: Json[] }>("change_request.list.display_value_all.json")
  .result[0];
const changeSysId = rawValues(changeFixture).sys_id;

/** The records the fixtures reference, with the sys_ids and names they were recorded with. */
function insertFixtureReferences(sim: Simulator): void {
  sim.insert("sys_user", {
    sys_id: "46c6f9efa9fe198101ddf5eed9adf6e7",
    user_name: "joe.employee",
    name: "Joe Employee",
  });
  sim.insert("sys_user", {
    sys_id: "5137153cc611227c000bbd1bd8cd2007",
    user_name: "david.loo",
    name: "David Loo",
  });
  sim.insert("sys_user", {
    sys_id: "6816f79cc0a8016401c5a33be04be441",
    user_name: "sysadmin",
    name: "System Administrator",
  });
  sim.insert("sys_user", {
    sys_id: "681b365ec0a80164000fb0b05854a0cd",
    user_name: "itil",
    name: "ITIL User",
  });
  sim.insert("sys_user_group", {
    sys_id: "8a4dde73c6112278017a6a4baf547aa7",
    name: "Service Desk",
  });
  sim.insert("cmdb_ci", {
    sys_id: "a9c0c8d2c6112276018f7705562f9cb0",
    name: "Sales Force Automation",
  });
  sim.insert("cmn_location", { sys_id: "105cf7f3c611227501e75e08b14a38ba", name: "San Diego" });
  sim.insert("problem", { sys_id: "a9e4890bc6112276003d7a5a5c774a74", number: "PRB0000006" });
}

function linkTable(value: unknown): string | null {
  if (typeof value === "object" && value !== null && "link" in value) {
    return (
      /\/api\/now\/table\/([^/]+)\//.exec(String((value as { link: string }).link))?.[1] ?? null
    );
  }
  return null;
}

describe("Table API record shapes", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      sim.addUser({ userName: "amsterdam", password: "pw", timeZone: "Europe/Amsterdam" });
      insertFixtureReferences(sim);
      sim.insert("incident", rawValues(incidentFixture));
      sim.insert("change_request", rawValues(changeFixture));
      sim.generate({ seed: 7, users: 20, groups: 4, incidents: 30, changes: 10 });
    });
  });
  afterAll(() => h.sim.stop());

  it("returns the recorded incident exactly when display_value is false", async () => {
    const response = await h.get(`/api/now/table/incident/${String(incidentFixture.sys_id)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    const { result } = (await response.json()) as { result: Json };
    const expected = JSON.parse(
      JSON.stringify(incidentFixture).replaceAll("https://instance.servicenow.com", h.url),
    ) as Json;
    for (const key of Object.keys(expected)) {
      expect([key, result[key]]).toEqual([key, expected[key]]);
    }
    // Fields beyond the recording are only the ones the registry maps (the recording is older).
    const extra = Object.keys(result).filter((key) => !(key in expected));
    expect(extra.every((key) => SERVICENOW_TABLES.incident.fields.includes(key))).toBe(true);
  });

  it("returns the recorded change exactly when display_value is all in the user's zone", async () => {
    const response = await h.get(
      `/api/now/table/change_request`,
      {
        sysparm_query: `sys_id=${changeSysId}`,
        sysparm_display_value: "all",
        sysparm_exclude_reference_link: "true",
      },
      `Basic ${Buffer.from("amsterdam:pw").toString("base64")}`,
    );
    const { result } = (await response.json()) as { result: Json[] };
    expect(result).toHaveLength(1);
    const [record] = result;
    for (const key of Object.keys(changeFixture)) {
      // The approval history's display value is rendered from journal entries the sim lacks.
      if (key !== "approval_history") {
        expect([key, record[key]]).toEqual([key, changeFixture[key]]);
      }
    }
    const extra = Object.keys(record).filter((key) => !(key in changeFixture));
    expect(extra.every((key) => SERVICENOW_TABLES.change_request.fields.includes(key))).toBe(true);
  });

  it("returns generated incidents in the recorded shapes when display_value is false", async () => {
    const { result } = await h.list("incident", { sysparm_query: "numberSTARTSWITHINC001" });
    expect(result.length).toBe(30);
    for (const record of result) {
      for (const [key, expected] of Object.entries(incidentFixture)) {
        const value = record[key];
        const reference = SERVICENOW_TABLES.incident.references[key];
        if (typeof expected === "string" && (expected !== "" || !reference)) {
          expect([key, typeof value]).toEqual([key, "string"]);
        } else if (typeof expected === "string") {
          // Empty in the recording: a reference the registry knows, "" or linked to its table.
          if (value !== "") {
            expect([key, linkTable(value)]).toEqual([key, reference]);
          }
        } else if (value !== "") {
          expect([key, Object.keys(value as Json).sort(), linkTable(value)]).toEqual([
            key,
            ["link", "value"],
            linkTable(expected),
          ]);
        }
      }
    }
  });

  it("returns generated changes in the recorded shapes when display_value is all", async () => {
    const { result } = await h.list("change_request", {
      sysparm_query: "numberSTARTSWITHCHG003",
      sysparm_display_value: "all",
      sysparm_exclude_reference_link: "true",
    });
    expect(result.length).toBe(10);
    for (const record of result) {
      expect(Object.keys(record).sort()).toEqual(Object.keys(changeFixture).sort());
      for (const [key, value] of Object.entries(record)) {
        const pair = value as { display_value: unknown; value: unknown };
        expect([key, Object.keys(pair).sort(), typeof pair.value]).toEqual([
          key,
          ["display_value", "value"],
          "string",
        ]);
        expect(pair.display_value === null || typeof pair.display_value === "string").toBe(true);
      }
    }
  });

  it("returns display strings and reference links when display_value is true", async () => {
    const { result } = await h.list("change_request", {
      sysparm_query: `sys_id=${changeSysId}`,
      sysparm_display_value: "true",
      sysparm_fields: "state,risk,requested_by,close_code,assignment_group,start_date",
    });
    expect(result[0]).toEqual({
      state: "New",
      risk: "High",
      requested_by: {
        display_value: "David Loo",
        link: `${h.url}/api/now/table/sys_user/5137153cc611227c000bbd1bd8cd2007`,
      },
      close_code: "",
      assignment_group: "",
      start_date: "2020-09-11 23:00:00",
    });
  });

  it("returns bare sys_ids when exclude_reference_link is true", async () => {
    const { result } = await h.list("change_request", {
      sysparm_query: `sys_id=${changeSysId}`,
      sysparm_fields: "requested_by,assignment_group",
      sysparm_exclude_reference_link: "true",
    });
    expect(result[0]).toEqual({
      requested_by: "5137153cc611227c000bbd1bd8cd2007",
      assignment_group: "",
    });
  });

  it("returns only the asked fields, without sys_id, when sysparm_fields lists them", async () => {
    const { result } = await h.list("incident", {
      sysparm_fields: "number,no_such_field,short_description",
      sysparm_limit: "1",
    });
    expect(Object.keys(result[0]).sort()).toEqual(["number", "short_description"]);
  });

  it("answers 400 with ServiceNow's body when the table is unknown", async () => {
    const response = await h.get("/api/now/table/incidnet");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: "Invalid table incidnet", detail: null },
      status: "failure",
    });
  });

  it("answers 404 with ServiceNow's body when the sys_id does not exist", async () => {
    const response = await h.get("/api/now/v2/table/incident/0123456789abcdef0123456789abcdef");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: "No Record found",
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: "failure",
    });
  });

  it("answers 404 on v1 but 200 [] on v2 and unversioned when nothing matches", async () => {
    const params = new URLSearchParams({ sysparm_query: "number=NOPE" }).toString();
    const v1 = await h.get(`/api/now/v1/table/incident?${params}`);
    const v2 = await h.get(`/api/now/v2/table/incident?${params}`);
    const plain = await h.get(`/api/now/table/incident?${params}`);
    expect(v1.status).toBe(404);
    expect([v2.status, await v2.json()]).toEqual([200, { result: [] }]);
    expect([plain.status, await plain.json()]).toEqual([200, { result: [] }]);
  });

  it("answers 403 to a write by a user without a writer role", async () => {
    h.sim.addUser({ userName: "reader.only", password: "reader-pass" });
    const response = await fetch(`${h.url}/api/now/table/incident`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("reader.only:reader-pass").toString("base64")}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ short_description: "x" }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { status: string }).status).toBe("failure");
  });

  it("serves every registry table and sys_audit_delete", async () => {
    for (const table of [...Object.keys(SERVICENOW_TABLES), "sys_audit_delete"]) {
      const response = await h.get(`/api/now/table/${table}`, { sysparm_limit: "1" });
      expect([table, response.status]).toEqual([table, 200]);
    }
  });
});

describe("Table API paging headers", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      for (let i = 0; i < 25; i++) {
        sim.insert("incident", { short_description: `Row ${i}` });
      }
    });
  });
  afterAll(() => h.sim.stop());

  const links = (header: string | null): Record<string, number> =>
    Object.fromEntries(
      (header ?? "").split(",").map((part) => {
        const [, url, rel] = /^<([^>]+)>;rel="(\w+)"$/.exec(part) ?? [];
        return [rel, Number(new URL(url).searchParams.get("sysparm_offset"))];
      }),
    );

  it("returns limit rows from offset with X-Total-Count and first/prev/next/last links", async () => {
    const { response, result } = await h.list("incident", {
      sysparm_limit: "10",
      sysparm_offset: "10",
      sysparm_query: "ORDERBYnumber",
    });
    expect(result.map((r) => r.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => `INC00${10011 + i}`),
    );
    expect(response.headers.get("x-total-count")).toBe("25");
    expect(links(response.headers.get("link"))).toEqual({ first: 0, prev: 0, next: 20, last: 20 });
  });

  it("omits next on the last page and prev on the first", async () => {
    const last = await h.list("incident", { sysparm_limit: "10", sysparm_offset: "20" });
    expect(last.result).toHaveLength(5);
    expect(links(last.response.headers.get("link"))).toEqual({ first: 0, prev: 10, last: 20 });
    const first = await h.list("incident", { sysparm_limit: "10" });
    expect(links(first.response.headers.get("link"))).toEqual({ first: 0, next: 10, last: 20 });
  });

  it("omits X-Total-Count when sysparm_no_count is true", async () => {
    const { response } = await h.list("incident", {
      sysparm_limit: "10",
      sysparm_no_count: "true",
    });
    expect(response.headers.get("x-total-count")).toBeNull();
    expect(links(response.headers.get("link"))).toEqual({ first: 0, next: 10 });
  });

  it("omits Link when sysparm_suppress_pagination_header is true", async () => {
    const { response } = await h.list("incident", {
      sysparm_limit: "10",
      sysparm_suppress_pagination_header: "true",
    });
    expect(response.headers.get("link")).toBeNull();
    expect(response.headers.get("x-total-count")).toBe("25");
  });

  it("returns 10000 rows at most when no limit is given", async () => {
    const { result } = await h.list("incident");
    expect(result).toHaveLength(25);
  });
});

describe("Table API ACLs", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      for (let i = 0; i < 30; i++) {
        sim.insert("incident", { short_description: i < 10 || i >= 20 ? "open" : "secret" });
      }
      sim.setAclHidden("incident", (record) => record.short_description === "secret");
    });
  });
  afterAll(() => h.sim.stop());

  it("returns short and empty pages while counting hidden records when an ACL hides them", async () => {
    const pages = [];
    for (let offset = 0; offset < 30; offset += 5) {
      const { response, result } = await h.list("incident", {
        sysparm_limit: "5",
        sysparm_offset: String(offset),
        sysparm_query: "ORDERBYnumber",
      });
      expect(response.headers.get("x-total-count")).toBe("30");
      pages.push(result.length);
    }
    expect(pages).toEqual([5, 5, 0, 0, 5, 5]);
  });

  it("returns a short page when the limit is cut before the ACL applies", async () => {
    const { result } = await h.list("incident", {
      sysparm_limit: "15",
      sysparm_query: "ORDERBYnumber",
    });
    expect(result).toHaveLength(10);
  });

  it("answers 404 for a single hidden record", async () => {
    const secret = h.sim.all("incident").find((r) => r.short_description === "secret");
    const response = await h.get(`/api/now/table/incident/${secret?.sys_id ?? ""}`);
    expect(response.status).toBe(404);
  });

  it("hides by encoded query when the rule is a query string", async () => {
    h.sim.setAclHidden("incident", "short_description=open");
    const { result } = await h.list("incident", { sysparm_limit: "30" });
    expect(result).toHaveLength(10);
    h.sim.setAclHidden("incident", null);
    expect((await h.list("incident", { sysparm_limit: "30" })).result).toHaveLength(30);
  });
});
