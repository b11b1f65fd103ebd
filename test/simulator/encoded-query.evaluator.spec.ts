import { compileQuery, selectPage } from "../../src/simulator/encoded-query.evaluator";
import { parseEncodedQuery } from "../../src/simulator/encoded-query.parser";
import { Dictionary } from "../../src/simulator/simulator.dictionary";
import { mulberry32 } from "../../src/simulator/simulator.generator";
import { SimulatorStore } from "../../src/simulator/simulator.store";

/**
 * selectPage skips to the range of the first sort key and jumps over ranges that all match; this
 * checks it against the plain answer (filter everything, then slice) on random queries.
 */
describe("selectPage", () => {
  const random = mulberry32(99);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];

  const dictionary = new Dictionary();
  const store = new SimulatorStore(dictionary, () => new Date("2024-01-01T00:00:00Z"));
  const times = ["2024-01-01 10:00:00", "2024-01-01 10:00:01", "2024-01-02 00:00:00", ""];
  for (let i = 0; i < 400; i++) {
    store.insert("incident", {
      priority: pick(["1", "2", "3", "4", "5", ""]),
      short_description: pick(["alpha", "beta", "gamma", ""]),
      resolved_at: pick(times),
      sys_updated_on: pick(times.slice(0, 3)),
    });
  }
  const ids = store
    .all("incident")
    .map((r) => r.sys_id)
    .sort();
  const table = dictionary.table("incident");

  const literal = (field: string): string => {
    switch (field) {
      case "priority":
        return String(int(6));
      case "sys_id":
        return pick(ids);
      case "short_description":
        return pick(["alpha", "beta", "gamma", "b"]);
      default:
        return pick(times.slice(0, 3));
    }
  };
  const term = (): string => {
    const field = pick([
      "priority",
      "sys_updated_on",
      "resolved_at",
      "short_description",
      "sys_id",
    ]);
    const op = pick(["=", "!=", ">", ">=", "<", "<=", "ISEMPTY", "ISNOTEMPTY", "IN"]);
    if (op === "ISEMPTY" || op === "ISNOTEMPTY") {
      return `${field}${op}`;
    }
    return `${field}${op}${op === "IN" ? `${literal(field)},${literal(field)}` : literal(field)}`;
  };
  const group = (): string =>
    Array.from({ length: 1 + int(3) }, () =>
      random() < 0.2 ? `${term()}^OR${term()}` : term(),
    ).join("^");
  const query = (): string => {
    const groups = Array.from({ length: 1 + int(3) }, group).join("^NQ");
    const keys = Array.from(
      { length: 1 + int(2) },
      () =>
        `ORDERBY${random() < 0.3 ? "DESC" : ""}${pick(["sys_updated_on", "priority", "sys_id", "resolved_at"])}`,
    );
    return `${groups}^${keys.join("^")}`;
  };

  it("returns the same page, count and has-more as filtering everything, for 3,000 random queries", () => {
    if (!table) {
      throw new Error("incident table missing");
    }
    for (let i = 0; i < 3000; i++) {
      const text =
        i % 10 === 0
          ? "sys_updated_on>2024-01-01 10:00:00^NQsys_updated_on=2024-01-01 10:00:00^sys_id>" +
            pick(ids) +
            "^ORDERBYsys_updated_on^ORDERBYsys_id"
          : query();
      const compiled = compileQuery(parseEncodedQuery(text), table, { timeZone: "UTC" });
      const sorted = store.sorted("incident", compiled.sortKeys);
      const offset = pick([0, 0, 3, 50]);
      const limit = pick([1, 7, 100, 1000]);
      const all = sorted.filter(compiled.matches);
      const expected = {
        rows: all.slice(offset, offset + limit).map((r) => r.sys_id),
        total: all.length,
        hasMore: all.length > offset + limit,
      };
      const page = selectPage(sorted, compiled, { offset, limit, countAll: true });
      expect([
        text,
        { rows: page.rows.map((r) => r.sys_id), total: page.total, hasMore: page.hasMore },
      ]).toEqual([text, expected]);
      const uncounted = selectPage(sorted, compiled, { offset, limit, countAll: false });
      expect([text, uncounted.rows.length, uncounted.hasMore]).toEqual([
        text,
        expected.rows.length,
        expected.hasMore,
      ]);
    }
  });
});
