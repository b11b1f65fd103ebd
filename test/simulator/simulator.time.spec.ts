import {
  formatInZone,
  normaliseUtcInput,
  parseWallClock,
  wallClockToUtc,
} from "../../src/simulator/simulator.time";

const utc = (wall: string, zone: string): string =>
  new Date(wallClockToUtc(zone, parseWallClock(wall) ?? Number.NaN)).toISOString();

describe("simulator time zones", () => {
  it("returns the UTC instant of a wall-clock time in winter and in summer", () => {
    expect(utc("2024-01-15 02:00:00", "America/Los_Angeles")).toBe("2024-01-15T10:00:00.000Z");
    expect(utc("2024-07-15 02:00:00", "America/Los_Angeles")).toBe("2024-07-15T09:00:00.000Z");
    expect(utc("2024-01-15 15:00:00", "Asia/Kolkata")).toBe("2024-01-15T09:30:00.000Z");
  });

  it("returns the earlier instant when a wall-clock time occurs twice (DST ends)", () => {
    expect(utc("2024-11-03 01:30:00", "America/Los_Angeles")).toBe("2024-11-03T08:30:00.000Z");
  });

  it("moves forward by the gap when a wall-clock time does not exist (DST starts)", () => {
    expect(utc("2024-03-10 02:30:00", "America/Los_Angeles")).toBe("2024-03-10T10:30:00.000Z");
  });

  it("formats an instant as the zone's clock shows it", () => {
    expect(formatInZone("Europe/Amsterdam", Date.parse("2020-09-24T12:42:23Z"))).toBe(
      "2020-09-24 14:42:23",
    );
    expect(formatInZone("Europe/Amsterdam", Date.parse("2020-03-20T22:12:50Z"))).toBe(
      "2020-03-20 23:12:50",
    );
  });

  it("returns null for impossible dates and normalises ISO input to stored UTC text", () => {
    expect(parseWallClock("2024-02-30 00:00:00")).toBeNull();
    expect(normaliseUtcInput("2024-02-29 23:59:59")).toBe("2024-02-29 23:59:59");
    expect(normaliseUtcInput("2023-02-29 00:00:00")).toBeNull();
    expect(normaliseUtcInput("2024-01-01T12:00:00+02:00")).toBe("2024-01-01 10:00:00");
  });
});
