import { createSimulator } from "../../src/simulator";
// jest.mock is hoisted above the imports: the factory loads what it needs itself.
jest.mock("../../src/tables", () => {
  const actual = jest.requireActual<typeof import("../../src/tables")>("../../src/tables");
  const widget = jest.requireActual<typeof import("./widget.table")>("./widget.table");
  return { TABLES: [...actual.TABLES, widget.WIDGET_TABLE] };
});

describe("a table described only by its descriptor", () => {
  const sim = createSimulator({ clock: () => new Date("2030-01-01T00:00:00Z") });
  const summary = sim.generate({
    seed: 3,
    incidents: 50,
    changes: 5,
    users: 10,
    groups: 3,
    records: { u_widget: 40 },
  });
  const widgets = sim.all("u_widget");
  const groups = new Set(sim.all("sys_user_group").map((group) => group.sys_id));
  const incidents = new Set(sim.all("incident").map((incident) => incident.sys_id));

  it("gets the requested number of records, numbered, in its scope", () => {
    expect(summary.counts.u_widget).toBe(40);
    expect(widgets).toHaveLength(40);
    expect(widgets.every((widget) => /^WID\d{7}$/.test(widget.number ?? ""))).toBe(true);
    expect(widgets.every((widget) => widget.u_kind === "gadget")).toBe(true);
  });

  it("gets values of each column's type: choices, labelled integers, booleans, date-times, bounded text", () => {
    for (const widget of widgets) {
      expect(["1", "2"]).toContain(widget.state);
      expect(["1", "2"]).toContain(widget.priority);
      expect(widget.u_count).toMatch(/^\d+$/);
      expect(["true", "false"]).toContain(widget.u_known_error);
      expect(widget.u_due_at).toMatch(/^$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(widget.sys_created_on <= widget.sys_updated_on).toBe(true);
      expect(widget.short_description?.length).toBeLessThanOrEqual(20);
    }
  });

  it("references records of the tables it points to", () => {
    const grouped = widgets.filter((widget) => widget.assignment_group !== "");
    expect(grouped.length).toBeGreaterThan(0);
    expect(grouped.every((widget) => groups.has(widget.assignment_group ?? ""))).toBe(true);
    const linked = widgets.filter((widget) => widget.u_incident !== "");
    expect(linked.every((widget) => incidents.has(widget.u_incident ?? ""))).toBe(true);
  });

  it("gets journal entries for its journal fields", () => {
    const entries = sim.all("sys_journal_field").filter((entry) => entry.name === "u_widget");
    expect(entries).toHaveLength(40 * 2);
    expect(new Set(entries.map((entry) => entry.element))).toEqual(
      new Set(["comments", "work_notes"]),
    );
  });

  it("is described in sys_dictionary from its columns", () => {
    const rows = sim.all("sys_dictionary").filter((row) => row.name === "u_widget");
    const byElement = new Map(rows.map((row) => [row.element, row]));
    expect(byElement.get("state")).toMatchObject({ internal_type: "choice", max_length: "40" });
    expect(byElement.get("u_count")).toMatchObject({ internal_type: "integer" });
    expect(byElement.get("u_known_error")).toMatchObject({ internal_type: "boolean" });
    expect(byElement.get("u_due_at")).toMatchObject({ internal_type: "glide_date_time" });
    expect(byElement.get("u_incident")).toMatchObject({
      internal_type: "reference",
      reference: "incident",
      max_length: "32",
    });
    expect(byElement.get("short_description")).toMatchObject({
      internal_type: "string",
      max_length: "20",
    });
  });

  it("is generated from its own stream: the tables the generator knows are unchanged by it", () => {
    const plain = createSimulator({ clock: () => new Date("2030-01-01T00:00:00Z") });
    plain.generate({
      seed: 3,
      incidents: 50,
      changes: 5,
      users: 10,
      groups: 3,
      records: { u_widget: 0 },
    });
    expect(plain.all("incident")).toEqual(sim.all("incident"));
  });
});
