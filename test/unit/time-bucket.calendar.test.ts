import { GatewayError } from "../../src/common/gateway.error";
import {
  bucketDateOf,
  bucketsBetween,
  checkTimeZone,
  localDateOf,
  localMidnight,
  offsetSecondsAt,
  offsetSpans,
} from "../../src/modules/insights/time-bucket.calendar";

describe("time buckets in an IANA zone", () => {
  it("refuses an unknown zone as bad input naming the argument", () => {
    expect(checkTimeZone("Europe/Paris", "timeZone")).toBe("Europe/Paris");
    expect(checkTimeZone("UTC", "timeZone")).toBe("UTC");
    for (const zone of ["Mars/Olympus", "", "Europe/Paris; DROP TABLE"]) {
      let caught: unknown;
      try {
        checkTimeZone(zone, "bucket.timeZone");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect(caught).toMatchObject({ code: "BAD_USER_INPUT", field: "bucket.timeZone" });
    }
  });

  it("knows Paris' offsets around the 2024 spring change (31 March, 01:00 UTC)", () => {
    expect(offsetSecondsAt("Europe/Paris", Date.parse("2024-03-31T00:59:59Z"))).toBe(3600);
    expect(offsetSecondsAt("Europe/Paris", Date.parse("2024-03-31T01:00:00Z"))).toBe(7200);
    const spans = offsetSpans(
      "Europe/Paris",
      Date.parse("2024-03-01T00:00:00Z"),
      Date.parse("2024-11-30T00:00:00Z"),
    );
    expect(spans.map((span) => [new Date(span.start).toISOString(), span.offsetSeconds])).toEqual([
      ["2024-03-01T00:00:00.000Z", 3600],
      ["2024-03-31T01:00:00.000Z", 7200],
      ["2024-10-27T01:00:00.000Z", 3600],
    ]);
    expect(offsetSpans("UTC", 0, Date.parse("2024-01-01T00:00:00Z"))).toHaveLength(1);
  });

  it("starts weeks on Monday and months on the 1st, at local midnight", () => {
    expect(bucketDateOf("2024-03-31", "WEEK")).toBe("2024-03-25");
    expect(bucketDateOf("2024-04-01", "WEEK")).toBe("2024-04-01");
    expect(bucketDateOf("2024-02-29", "MONTH")).toBe("2024-02-01");
    expect(new Date(localMidnight("Europe/Paris", "2024-03-25")).toISOString()).toBe(
      "2024-03-24T23:00:00.000Z",
    );
    expect(new Date(localMidnight("Europe/Paris", "2024-04-01")).toISOString()).toBe(
      "2024-03-31T22:00:00.000Z",
    );
    expect(localDateOf("America/New_York", Date.parse("2024-03-10T04:30:00Z"))).toBe("2024-03-09");
  });

  it("lists every bucket overlapping the window, clipped, across a DST change", () => {
    const buckets = bucketsBetween(
      "Europe/Paris",
      "WEEK",
      new Date("2024-03-27T00:00:00Z"),
      new Date("2024-04-09T00:00:00Z"),
    );
    expect(buckets.map((bucket) => [bucket.localDate, bucket.start.toISOString()])).toEqual([
      ["2024-03-25", "2024-03-27T00:00:00.000Z"],
      ["2024-04-01", "2024-03-31T22:00:00.000Z"],
      ["2024-04-08", "2024-04-07T22:00:00.000Z"],
    ]);
    const days = bucketsBetween(
      "Europe/Paris",
      "DAY",
      new Date("2024-03-30T23:00:00Z"),
      new Date("2024-04-01T22:00:00Z"),
    );
    // 31 March has 23 hours in Paris.
    expect(days.map((bucket) => bucket.start.toISOString())).toEqual([
      "2024-03-30T23:00:00.000Z",
      "2024-03-31T22:00:00.000Z",
    ]);
  });
});
