import { sortTermsOf, workflowRank } from "../../src/database/sort-terms";
import { INCIDENT_TABLE } from "../../src/modules/incidents/incident.table";
import { canonicalFilterOf, filterFieldsOf } from "../../src/modules/records/record-filters";

describe("sortTermsOf", () => {
  const state = {
    property: "stateValue",
    direction: "ASC" as const,
    nullable: true,
    kind: "string" as const,
    workflow: ["-5", "0", "3"],
  };

  it("sorts a choice by workflow rank, then by raw value in binary collation", () => {
    const terms = sortTermsOf(state, '"t0"."state_value"', true);
    expect(terms.map((term) => term.expression)).toEqual([
      `CASE WHEN "t0"."state_value" IS NULL THEN NULL WHEN "t0"."state_value" = '-5' THEN 0 WHEN "t0"."state_value" = '0' THEN 1 WHEN "t0"."state_value" = '3' THEN 2 ELSE 3 END`,
      `"t0"."state_value" COLLATE "C"`,
    ]);
    expect(terms[0].valueOf("0")).toBe(1);
    expect(terms[0].valueOf("-40")).toBe(3);
    expect(terms[0].valueOf(null)).toBeNull();
    expect(terms[1].valueOf("-40")).toBe("-40");
  });

  it('writes text under COLLATE "C" on PostgreSQL and as stored (BINARY) on SQLite', () => {
    const key = {
      property: "number",
      direction: "ASC" as const,
      nullable: true,
      kind: "string" as const,
    };
    expect(sortTermsOf(key, "n", true).map((term) => term.expression)).toEqual(['n COLLATE "C"']);
    expect(sortTermsOf(key, "n", false).map((term) => term.expression)).toEqual(["n"]);
    const date = { ...key, kind: "date" as const };
    expect(sortTermsOf(date, "d", true).map((term) => term.expression)).toEqual(["d"]);
  });

  it("quotes descriptor literals", () => {
    expect(workflowRank("c", ["it's"])).toContain("'it''s'");
  });
});

describe("canonicalFilterOf", () => {
  const fields = filterFieldsOf(INCIDENT_TABLE);

  it("is the same for key order, list order, repeats, omitted and null fields", () => {
    const a = canonicalFilterOf(fields, {
      state: ["NEW", "CLOSED"],
      priority: [2, 1],
      active: true,
    });
    const b = canonicalFilterOf(fields, {
      active: true,
      category: null,
      priority: [1, 2, 2],
      state: ["CLOSED", "NEW"],
    });
    expect(b).toEqual(a);
    expect(canonicalFilterOf(fields, null)).toEqual(canonicalFilterOf(fields, {}));
  });

  it("keeps an empty list apart from no list, and ranges by their instants", () => {
    expect(canonicalFilterOf(fields, { category: [] })).not.toEqual(canonicalFilterOf(fields, {}));
    expect(
      canonicalFilterOf(fields, { openedAt: { from: new Date("2024-01-01T00:00:00Z") } }),
    ).toEqual({ openedAt: { from: "2024-01-01T00:00:00.000Z", to: null } });
    expect(canonicalFilterOf(fields, { search: "  Net " })).toEqual({ search: "net" });
  });
});
