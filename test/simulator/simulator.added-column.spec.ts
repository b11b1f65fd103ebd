import { createSimulator, type SimRecord } from "../../src/simulator";
// jest.mock is hoisted above the imports: the factory loads what it needs itself.
jest.mock("../../src/tables", () => {
  const actual = jest.requireActual<typeof import("../../src/tables")>("../../src/tables");
  const test = jest.requireActual<typeof import("./problem.table")>("./problem.table");
  // The problem table just before incidents, whose descriptor gains a reference to it.
  return {
    TABLES: actual.TABLES.flatMap((table) =>
      table.name === "incident" ? [test.PROBLEM_TABLE, test.INCIDENT_WITH_PROBLEM_TABLE] : [table],
    ),
  };
});

const OPTIONS = { seed: 5, incidents: 300, changes: 20, users: 20, groups: 4 } as const;
const ADDED = ["u_problem", "u_origin"];

function generated(records: number): ReturnType<typeof createSimulator> {
  const sim = createSimulator({ clock: () => new Date("2030-01-01T00:00:00Z") });
  sim.generate({ ...OPTIONS, records: { u_problem: records } });
  return sim;
}

/** The same dataset from the real TABLES: no problem table, the incident descriptor as it is. */
function generatedFromRealTables(): ReturnType<typeof createSimulator> {
  let sim: ReturnType<typeof createSimulator> | undefined;
  jest.isolateModules(() => {
    jest.dontMock("../../src/tables");
    const real = jest.requireActual<typeof import("../../src/simulator")>("../../src/simulator");
    sim = real.createSimulator({ clock: () => new Date("2030-01-01T00:00:00Z") });
    sim.generate(OPTIONS);
  });
  if (sim === undefined) {
    throw new Error("the real simulator did not load");
  }
  return sim;
}

function without(record: SimRecord, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([field]) => !fields.includes(field)));
}

describe("a column added to a realistically generated table", () => {
  const sim = generated(30);
  const problems = new Set(sim.all("u_problem").map((problem) => problem.sys_id));
  const incidents = sim.all("incident");

  it("generates the described table listed before it first, from its descriptor", () => {
    expect(problems.size).toBe(30);
    const users = new Set(sim.all("sys_user").map((user) => user.sys_id));
    const assigned = sim.all("u_problem").filter((problem) => problem.assigned_to !== "");
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned.every((problem) => users.has(problem.assigned_to ?? ""))).toBe(true);
  });

  it("links some incidents, not most, to existing records of the referenced table", () => {
    const linked = incidents.filter((incident) => (incident.u_problem ?? "") !== "");
    expect(linked.length).toBeGreaterThan(incidents.length * 0.15);
    expect(linked.length).toBeLessThan(incidents.length * 0.45);
    expect(linked.every((incident) => problems.has(incident.u_problem ?? ""))).toBe(true);
    expect(new Set(linked.map((incident) => incident.u_problem)).size).toBeGreaterThan(10);
  });

  it("gives every incident a value of an added choice", () => {
    expect(
      incidents.every((incident) => ["monitoring", "user"].includes(incident.u_origin ?? "")),
    ).toBe(true);
  });

  it("leaves the link empty when the referenced table has no records", () => {
    const empty = generated(0);
    expect(empty.all("incident").every((incident) => incident.u_problem === "")).toBe(true);
  });

  it("is deterministic for a seed", () => {
    expect(generated(30).all("incident")).toEqual(incidents);
  });

  it("changes nothing the generators set: every other table and field is as without it", () => {
    const plain = generatedFromRealTables();
    expect(plain.all("incident")[0]).not.toHaveProperty("u_origin");
    for (const table of [
      "sys_user_group",
      "sys_user",
      "change_request",
      "sysapproval_approver",
      "cmn_department",
      "cmdb_ci_service",
      "cmdb_ci",
    ]) {
      expect(sim.all(table)).toEqual(plain.all(table));
    }
    expect(incidents.map((incident) => without(incident, ADDED))).toEqual(plain.all("incident"));
    const journal = (of: typeof sim) =>
      of.all("sys_journal_field").filter((entry) => entry.name !== "u_problem");
    expect(journal(sim)).toEqual(journal(plain));
    expect(sim.all("sys_journal_field").some((entry) => entry.name === "u_problem")).toBe(true);
  });
});
