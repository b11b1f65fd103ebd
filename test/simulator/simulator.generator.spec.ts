import { createSimulator, type Simulator } from "../../src/simulator";
import { TABLES } from "../../src/tables";

const OPTIONS = {
  seed: 42,
  groups: 5,
  users: 40,
  incidents: 400,
  changes: 60,
  approvalsPerChange: 3,
  journalPerRecord: 2,
} as const;

/** Every table the gateway reads. */
const TABLE_NAMES = TABLES.map((table) => table.name);

function generated(seed: number): Simulator {
  const sim = createSimulator({ clock: () => new Date("2030-01-01T00:00:00Z") });
  sim.generate({ ...OPTIONS, seed });
  return sim;
}

describe("generateDataset", () => {
  const sim = generated(OPTIONS.seed);

  it("returns the same records, sys_ids included, when the seed is the same", () => {
    const again = generated(OPTIONS.seed);
    for (const table of TABLE_NAMES) {
      expect(again.all(table)).toEqual(sim.all(table));
    }
  });

  it("returns different records when the seed differs", () => {
    const other = generated(OPTIONS.seed + 1);
    expect(other.all("incident").map((r) => r.sys_id)).not.toEqual(
      sim.all("incident").map((r) => r.sys_id),
    );
  });

  it("creates the requested counts", () => {
    expect(sim.all("sys_user_group")).toHaveLength(5);
    expect(sim.all("sys_user")).toHaveLength(40);
    expect(sim.all("incident")).toHaveLength(400);
    expect(sim.all("change_request")).toHaveLength(60);
    // Problems come from their descriptor alone: 100 by default.
    expect(sim.all("problem")).toHaveLength(100);
    expect(sim.all("sys_journal_field")).toHaveLength((400 + 60 + 100) * 2);
  });

  it("keeps incident timestamps consistent with the state", () => {
    for (const r of sim.all("incident")) {
      expect(r.opened_at <= r.sys_updated_on).toBe(true);
      expect(r.sys_created_on <= r.sys_updated_on).toBe(true);
      if (r.state === "6" || r.state === "7") {
        expect([
          r.number,
          r.resolved_at > r.opened_at,
          r.resolved_by !== "",
          r.close_code !== "",
        ]).toEqual([r.number, true, true, true]);
        expect(r.resolved_at <= r.sys_updated_on).toBe(true);
      } else {
        expect(r.resolved_at).toBe("");
      }
      if (r.state === "7") {
        expect(r.closed_at > r.resolved_at).toBe(true);
      }
      expect(r.active).toBe(["1", "2", "3"].includes(r.state) ? "true" : "false");
      expect(r.sys_updated_on < "2025-01-01 00:00:00").toBe(true);
    }
  });

  it("covers every incident state and numbers incidents in opening order", () => {
    const incidents = sim.all("incident");
    expect(new Set(incidents.map((r) => r.state))).toEqual(new Set(["1", "2", "3", "6", "7", "8"]));
    const byNumber = [...incidents].sort((a, b) => a.number.localeCompare(b.number));
    expect(byNumber[0].number).toBe("INC0010001");
    for (let i = 1; i < byNumber.length; i++) {
      expect(byNumber[i - 1].opened_at <= byNumber[i].opened_at).toBe(true);
    }
  });

  it("links incidents to changes and approvals and journal entries to their records", () => {
    const changes = new Map(sim.all("change_request").map((r) => [r.sys_id, r]));
    const incidents = new Map(sim.all("incident").map((r) => [r.sys_id, r]));
    const linked = sim.all("incident").filter((r) => r.caused_by || r.rfc);
    expect(linked.length).toBeGreaterThan(0);
    for (const r of linked) {
      expect(changes.has(r.caused_by || r.rfc)).toBe(true);
    }
    const approvals = sim.all("sysapproval_approver");
    expect(approvals.length).toBeGreaterThan(0);
    for (const a of approvals) {
      expect(a.source_table).toBe("change_request");
      expect(a.document_id).toBe(a.sysapproval);
      expect(changes.get(a.document_id)?.type).not.toBe("standard");
    }
    const problems = new Map(sim.all("problem").map((r) => [r.sys_id, r]));
    const parents: Record<string, Map<string, (typeof linked)[number]>> = {
      incident: incidents,
      change_request: changes,
      problem: problems,
    };
    for (const j of sim.all("sys_journal_field")) {
      const parent = parents[j.name]?.get(j.element_id);
      expect(parent).toBeDefined();
      expect(["comments", "work_notes"]).toContain(j.element);
      expect(j.sys_created_on >= (parent?.sys_created_on ?? "")).toBe(true);
    }
  });

  it("gives changes planned windows and closed changes actual windows and a close code", () => {
    const changes = sim.all("change_request");
    expect(new Set(changes.map((r) => r.type))).toEqual(
      new Set(["normal", "standard", "emergency"]),
    );
    for (const r of changes) {
      expect(r.start_date < r.end_date).toBe(true);
      if (r.state === "3") {
        expect([r.work_start !== "", r.work_end > r.work_start, r.close_code !== ""]).toEqual([
          true,
          true,
          true,
        ]);
      }
    }
  });

  it("gives users names, emails, departments and a mix of time zones", () => {
    const users = sim.all("sys_user");
    expect(new Set(users.map((u) => u.user_name)).size).toBe(users.length);
    expect(users.every((u) => u.email.endsWith("@example.com") && u.department !== "")).toBe(true);
    expect(new Set(users.map((u) => u.time_zone)).size).toBeGreaterThan(3);
    expect(sim.all("sys_user_group").every((g) => g.manager !== "")).toBe(true);
  });

  // How fast is the bench's business, not a test's: this checks what 100k must look like.
  it("generates 100,000 incidents with distinct sys_ids and consecutive numbers", () => {
    const big = createSimulator();
    big.generate({ seed: 1, incidents: 100_000, changes: 1_000, users: 500, journalPerRecord: 0 });
    const incidents = big.all("incident");
    expect(incidents).toHaveLength(100_000);
    expect(new Set(incidents.map((r) => r.sys_id)).size).toBe(100_000);
    const numbers = incidents.map((r) => r.number).sort();
    expect([numbers[0], numbers[99_999]]).toEqual(["INC0010001", "INC0110000"]);
    expect(new Set(numbers).size).toBe(100_000);
    expect(big.all("change_request")).toHaveLength(1_000);
  });
});
