import { basic, type Harness, startHarness } from "./simulator.harness";

/** What a correct sync sends: (cursor, sys_id) keyset, with scoping terms repeated per group. */
function keysetQuery(cursor: string, scope: string, after: { at: string; id: string } | null) {
  const order = `ORDERBY${cursor}^ORDERBYsys_id`;
  if (!after) {
    return `${scope}${scope ? "^" : ""}${order}`;
  }
  const prefix = scope ? `${scope}^` : "";
  return `${prefix}${cursor}>${after.at}^NQ${prefix}${cursor}=${after.at}^sys_id>${after.id}^${order}`;
}

async function pageAll(
  h: Harness,
  table: string,
  cursor: string,
  scope: string,
  limit: number,
  auth?: string,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: { at: string; id: string } | null = null;
  let pages = 0;
  for (;;) {
    const { result } = await h.list(
      table,
      {
        sysparm_query: keysetQuery(cursor, scope, after),
        sysparm_fields: `sys_id,${cursor}`,
        sysparm_limit: String(limit),
      },
      auth,
    );
    pages++;
    if (result.length === 0) {
      return { ids, pages };
    }
    for (const record of result) {
      ids.push(String(record.sys_id));
    }
    const last = result[result.length - 1];
    after = { at: String(last[cursor]), id: String(last.sys_id) };
  }
}

describe("keyset paging", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.stop());

  it("returns each of 2,000 records exactly once when they share one sys_updated_on second", async () => {
    h.sim.setClock(new Date("2024-01-01T10:00:00.250Z"));
    for (let i = 0; i < 2000; i++) {
      h.sim.insert("incident", { short_description: `Bulk ${i}` });
    }
    h.sim.setClock(null);
    const { ids, pages } = await pageAll(h, "incident", "sys_updated_on", "", 300);
    expect(new Set(ids).size).toBe(2000);
    expect(ids).toHaveLength(2000);
    expect(pages).toBe(8);
  });

  it("returns what was updated between pages when a record moves past the watermark", async () => {
    const first = await h.list("incident", {
      sysparm_query: keysetQuery("sys_updated_on", "", null),
      sysparm_fields: "sys_id,sys_updated_on",
      sysparm_limit: "5",
    });
    const seen = first.result.map((r) => String(r.sys_id));
    h.sim.setClock(new Date("2024-01-01T10:00:01Z"));
    h.sim.update("incident", seen[0], { short_description: "edited" });
    h.sim.setClock(null);
    const last = first.result[4];
    const rest = await h.list("incident", {
      sysparm_query: keysetQuery("sys_updated_on", "", {
        at: String(last.sys_updated_on),
        id: String(last.sys_id),
      }),
      sysparm_fields: "sys_id",
      sysparm_limit: "5000",
    });
    const ids = rest.result.map((r) => String(r.sys_id));
    expect(ids[ids.length - 1]).toBe(seen[0]);
    expect(ids).toHaveLength(2000 - 5 + 1);
  });

  it("returns each journal entry once when scoping terms repeat in both groups", async () => {
    const sim = h.sim;
    sim.setClock(new Date("2024-02-01T00:00:00Z"));
    const incident = sim.insert("incident", { short_description: "with notes" });
    for (let i = 0; i < 120; i++) {
      sim.insert("sys_journal_field", {
        element_id: incident.sys_id,
        name: i % 3 === 0 ? "problem" : i % 2 === 0 ? "incident" : "change_request",
        element: i % 5 === 0 ? "approval_history" : i % 2 === 0 ? "comments" : "work_notes",
        value: `Note ${i}`,
      });
    }
    sim.setClock(null);
    const expected = sim
      .all("sys_journal_field")
      .filter(
        (r) =>
          (r.name === "incident" || r.name === "change_request") &&
          (r.element === "comments" || r.element === "work_notes"),
      )
      .map((r) => r.sys_id)
      .sort();
    const scope = "name=incident^ORname=change_request^element=comments^ORelement=work_notes";
    const { ids } = await pageAll(h, "sys_journal_field", "sys_created_on", scope, 7);
    expect([...ids].sort()).toEqual(expected);
  });

  it("pages a generated dataset of 20,000 incidents in order and counts them all in X-Total-Count", async () => {
    const local = await startHarness({}, (sim) =>
      sim.generate({
        seed: 3,
        users: 50,
        groups: 5,
        incidents: 20_000,
        changes: 50,
        journalPerRecord: 0,
      }),
    );
    try {
      const { ids } = await pageAll(
        local,
        "incident",
        "sys_updated_on",
        "",
        1000,
        basic("admin", "admin"),
      );
      expect(new Set(ids).size).toBe(20_000);
      const probe = await local.list("incident", {
        sysparm_query: keysetQuery("sys_updated_on", "", null),
        sysparm_limit: "1",
      });
      expect(probe.response.headers.get("x-total-count")).toBe("20000");
    } finally {
      await local.sim.stop();
    }
  });
});

describe("time zones of query literals", () => {
  let h: Harness;
  const la = basic("la", "pw");

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      sim.addUser({ userName: "la", password: "pw", timeZone: "America/Los_Angeles" });
      sim.addUser({ userName: "nozone", password: "pw" });
      for (const at of [
        "2024-01-15 09:00:00",
        "2024-01-15 10:00:00",
        "2024-01-15 11:00:00",
        "2024-07-15 09:00:00",
        "2024-07-15 10:00:00",
      ]) {
        sim.insert("incident", { short_description: at, sys_updated_on: at });
      }
    });
  });
  afterAll(() => h.sim.stop());

  const updatedOn = async (query: string, auth?: string): Promise<string[]> => {
    const { result } = await h.list(
      "incident",
      { sysparm_query: `${query}^ORDERBYsys_updated_on`, sysparm_fields: "sys_updated_on" },
      auth,
    );
    return result.map((r) => String(r.sys_updated_on));
  };

  it("reads literals in the user's zone (PST, UTC-8) and returns UTC values", async () => {
    // 02:00 in Los Angeles on January 15th is 10:00 UTC.
    expect(
      await updatedOn("sys_updated_on>=2024-01-15 02:00:00^sys_updated_on<2024-02-01", la),
    ).toEqual(["2024-01-15 10:00:00", "2024-01-15 11:00:00"]);
  });

  it("reads literals with daylight saving time when the date is in summer (PDT, UTC-7)", async () => {
    // 02:00 in Los Angeles on July 15th is 09:00 UTC.
    expect(await updatedOn("sys_updated_on>=2024-07-15 02:00:00", la)).toEqual([
      "2024-07-15 09:00:00",
      "2024-07-15 10:00:00",
    ]);
  });

  it("reads literals as UTC when the user's time_zone is empty and the instance is UTC", async () => {
    expect(
      await updatedOn(
        "sys_updated_on>=2024-01-15 02:00:00^sys_updated_on<2024-02-01",
        basic("nozone", "pw"),
      ),
    ).toHaveLength(3);
  });

  it("reads literals in the instance zone when the user has none and the instance default moves", async () => {
    h.sim.setInstanceTimeZone("Asia/Kolkata");
    try {
      // 15:00 in Kolkata (UTC+5:30) is 09:30 UTC.
      expect(
        await updatedOn(
          "sys_updated_on>2024-01-15 15:00:00^sys_updated_on<2024-02-01",
          basic("nozone", "pw"),
        ),
      ).toEqual(["2024-01-15 10:00:00", "2024-01-15 11:00:00"]);
    } finally {
      h.sim.setInstanceTimeZone("UTC");
    }
  });

  it("applies a changed sys_user.time_zone on the next request", async () => {
    const user = h.sim.users.find((u) => u.userName === "nozone");
    h.sim.update("sys_user", user?.sysId ?? "", { time_zone: "America/Los_Angeles" });
    try {
      expect(
        await updatedOn(
          "sys_updated_on>=2024-01-15 02:00:00^sys_updated_on<2024-02-01",
          basic("nozone", "pw"),
        ),
      ).toHaveLength(2);
    } finally {
      h.sim.update("sys_user", user?.sysId ?? "", { time_zone: "" });
    }
  });

  it("reads gs.dateGenerate literals in the user's zone", async () => {
    expect(
      await updatedOn(
        "sys_updated_on>=javascript:gs.dateGenerate('2024-01-15','02:00:00')^sys_updated_on<2024-02-01",
        la,
      ),
    ).toHaveLength(2);
  });

  it("returns display values in the user's zone when display_value is true", async () => {
    const { result } = await h.list(
      "incident",
      {
        sysparm_query: "short_description=2024-07-15 09:00:00",
        sysparm_fields: "sys_updated_on",
        sysparm_display_value: "true",
      },
      la,
    );
    expect(result).toEqual([{ sys_updated_on: "2024-07-15 02:00:00" }]);
  });
});
