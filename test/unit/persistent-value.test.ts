import { persistentValue } from "../../src/sync/worker/upsert.plan";

/** What TypeORM's drivers bind for a date-time: the reference the fast formatter must equal. */
function typeOrmText(dialect: "sqlite" | "postgres", date: Date): string {
  const iso = date.toISOString();
  return dialect === "sqlite" ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso;
}

describe("persistentValue for date-times", () => {
  const edges = [
    0,
    -1,
    1,
    86_399_999,
    -86_400_000,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2026, 2, 29, 1, 0, 0, 0),
    // The first and last instants toISOString writes with four-digit years, and one past each.
    -62_167_219_200_000,
    253_402_300_799_999,
    -62_167_219_200_001,
    253_402_300_800_000,
  ];

  it.each(["sqlite", "postgres"] as const)(
    "writes exactly TypeORM's %s text across days, leap days, year edges and extended years",
    (dialect) => {
      const random = Array.from({ length: 20_000 }, (_, i) =>
        Math.round(((i * 7919) % 20_000) * 2e8 - 1e12 + i * 13),
      );
      for (const ms of [...edges, ...random]) {
        const date = new Date(ms);
        expect(persistentValue(dialect, "dateTime", date)).toBe(typeOrmText(dialect, date));
      }
    },
  );

  it("reads a date-time given as text the same way as a Date", () => {
    expect(persistentValue("sqlite", "dateTime", "2026-12-03T10:11:12.345Z")).toBe(
      "2026-12-03 10:11:12.345",
    );
    expect(persistentValue("postgres", "dateTime", "2026-12-03T10:11:12.345Z")).toBe(
      "2026-12-03T10:11:12.345Z",
    );
  });

  it("rejects an invalid date as toISOString does, rather than writing a wrong text", () => {
    expect(() => persistentValue("sqlite", "dateTime", new Date(Number.NaN))).toThrow(RangeError);
  });
});
