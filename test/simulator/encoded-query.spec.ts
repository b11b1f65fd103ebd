import { parseEncodedQuery } from "../../src/simulator";
import { type Harness, startHarness } from "./simulator.harness";

describe("parseEncodedQuery", () => {
  it("returns AND chains, OR alternatives, NQ groups and ORDER BY keys when given a full query", () => {
    const parsed = parseEncodedQuery(
      "active=true^priority=1^ORpriority=2^NQstate=7^ORDERBYDESCpriority^ORDERBYnumber",
    );
    expect(parsed.groups).toHaveLength(2);
    expect(parsed.groups[0].map((chain) => chain.map((c) => c.term))).toEqual([
      ["active=true"],
      ["priority=1", "priority=2"],
    ]);
    expect(parsed.groups[1][0][0]).toMatchObject({ field: "state", operator: "=", value: "7" });
    expect(parsed.orderBy).toEqual([
      { field: "priority", descending: true },
      { field: "number", descending: false },
    ]);
  });

  it("returns operators with multi-word names when the value follows them", () => {
    const parsed = parseEncodedQuery(
      "stateNOT IN6,7^short_descriptionSTARTSWITHCan't^numberISEMPTY",
    );
    expect(parsed.groups[0].map((chain) => [chain[0].operator, chain[0].value])).toEqual([
      ["NOT IN", "6,7"],
      ["STARTSWITH", "Can't"],
      ["ISEMPTY", ""],
    ]);
  });

  it("returns unreadable terms as ignored when a term has no operator", () => {
    const parsed = parseEncodedQuery("active~~true^priority=1");
    expect(parsed.ignoredTerms).toEqual(["active~~true"]);
    expect(parsed.groups[0]).toHaveLength(1);
  });
});

describe("encoded query evaluation over the Table API", () => {
  let h: Harness;
  const numbers = async (query: string): Promise<string[]> => {
    const { result } = await h.list("incident", {
      sysparm_query: query,
      sysparm_fields: "number",
    });
    return result.map((r) => String(r.number));
  };

  beforeAll(async () => {
    h = await startHarness({}, (sim) => {
      sim.setClock(new Date("2024-03-01T12:00:00Z"));
      const rows: [string, number, string, string][] = [
        ["Email down", 1, "2", "2024-01-01 08:00:00"],
        ["Email slow", 2, "2", "2024-01-02 08:00:00"],
        ["VPN drops", 3, "6", "2024-01-03 08:00:00"],
        ["Printer jam", 4, "7", "2024-01-04 08:00:00"],
        ["Laptop broken", 5, "1", ""],
      ];
      rows.forEach(([short_description, priority, state, resolved_at], i) =>
        sim.insert("incident", {
          number: `INC00000${10 + i}`,
          short_description,
          priority,
          state,
          resolved_at,
          reassignment_count: i * 5,
        }),
      );
    });
  });
  afterAll(() => h.sim.stop());

  it.each([
    ["priority=1", ["INC0000010"]],
    ["priority!=1", ["INC0000011", "INC0000012", "INC0000013", "INC0000014"]],
    ["priority>3", ["INC0000013", "INC0000014"]],
    ["priority>=3", ["INC0000012", "INC0000013", "INC0000014"]],
    ["priority<2", ["INC0000010"]],
    ["priority<=2", ["INC0000010", "INC0000011"]],
    ["short_descriptionLIKEmail", ["INC0000010", "INC0000011"]],
    ["short_descriptionSTARTSWITHEmail", ["INC0000010", "INC0000011"]],
    ["short_descriptionENDSWITHdrops", ["INC0000012"]],
    ["stateIN6,7", ["INC0000012", "INC0000013"]],
    ["stateNOT IN6,7", ["INC0000010", "INC0000011", "INC0000014"]],
    ["resolved_atISEMPTY", ["INC0000014"]],
    ["resolved_atISNOTEMPTY", ["INC0000010", "INC0000011", "INC0000012", "INC0000013"]],
    ["resolved_at>2024-01-02 08:00:00", ["INC0000012", "INC0000013"]],
    ["resolved_at>=2024-01-02 08:00:00", ["INC0000011", "INC0000012", "INC0000013"]],
  ])("returns the matching records when the query is %s", async (query, expected) => {
    expect(await numbers(`${query}^ORDERBYnumber`)).toEqual(expected);
  });

  it("returns numeric order for numeric fields when sorting by reassignment_count", async () => {
    // As strings "10" < "5"; as numbers 5 < 10.
    expect(await numbers("reassignment_count>=5^ORDERBYreassignment_count")).toEqual([
      "INC0000011",
      "INC0000012",
      "INC0000013",
      "INC0000014",
    ]);
  });

  it("returns (a OR b) AND c when ^OR follows a term", async () => {
    expect(await numbers("priority=1^ORpriority=3^state=6^ORDERBYnumber")).toEqual(["INC0000012"]);
  });

  it("returns the union of groups when ^NQ separates them", async () => {
    expect(await numbers("priority=1^NQstate=7^ORDERBYnumber")).toEqual([
      "INC0000010",
      "INC0000013",
    ]);
  });

  it("returns records sorted by several keys when ORDERBY and ORDERBYDESC are combined", async () => {
    expect(await numbers("ORDERBYstate^ORDERBYDESCnumber")).toEqual([
      "INC0000014",
      "INC0000011",
      "INC0000010",
      "INC0000012",
      "INC0000013",
    ]);
  });

  it("returns records as if the term were absent when it names an unknown field", async () => {
    expect(await numbers("priorty=1^state=2^ORDERBYnumber")).toEqual(["INC0000010", "INC0000011"]);
  });

  it("returns every record when every term is invalid", async () => {
    expect(await numbers("nosuchfield=1^active~~x^ORDERBYnumber")).toHaveLength(5);
  });

  it("returns matches case-sensitively when values differ in case", async () => {
    expect(await numbers("short_descriptionLIKEemail")).toEqual([]);
  });
});
