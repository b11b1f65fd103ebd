import { readFileSync } from "node:fs";

import {
  formatServiceNowDateTime,
  parseServiceNowDateTime,
  queryLowerBound,
  ServiceNowError,
  wallClockToInstant,
  wallClockToInstants,
} from "../../src/servicenow";

const LA = "America/Los_Angeles";
const iso = (value: string) => new Date(value);

describe("parseServiceNowDateTime", () => {
  it("reads ServiceNow's UTC values and empty as null", () => {
    expect(parseServiceNowDateTime("2015-11-01 22:37:27")).toEqual(iso("2015-11-01T22:37:27Z"));
    expect(parseServiceNowDateTime("")).toBeNull();
  });

  it.each([
    "2015-11-01T22:37:27Z",
    "2015-11-01 22:37",
    "2024-02-30 00:00:00",
    "2024-01-01 24:00:00",
    "UNKNOWN",
    " 2024-01-01 00:00:00",
  ])("rejects %j as INVALID_RESPONSE", (value) => {
    expect(() => parseServiceNowDateTime(value)).toThrow(ServiceNowError);
  });
});

describe("formatServiceNowDateTime", () => {
  it("writes an instant as the wall clock of the zone, seconds only", () => {
    expect(formatServiceNowDateTime(iso("2024-01-15T20:00:00.999Z"))).toBe("2024-01-15 20:00:00");
    expect(formatServiceNowDateTime(iso("2024-01-15T20:00:00Z"), LA)).toBe("2024-01-15 12:00:00");
    expect(formatServiceNowDateTime(iso("2024-07-15T20:00:00Z"), LA)).toBe("2024-07-15 13:00:00");
    expect(formatServiceNowDateTime(iso("2024-01-15T20:00:00Z"), "Asia/Kolkata")).toBe(
      "2024-01-16 01:30:00",
    );
    expect(formatServiceNowDateTime(iso("2024-01-01T07:59:59Z"), LA)).toBe("2023-12-31 23:59:59");
  });

  it("shows the fall-back hour twice and jumps over the spring-forward gap", () => {
    expect(formatServiceNowDateTime(iso("2024-11-03T08:30:00Z"), LA)).toBe("2024-11-03 01:30:00");
    expect(formatServiceNowDateTime(iso("2024-11-03T09:30:00Z"), LA)).toBe("2024-11-03 01:30:00");
    expect(formatServiceNowDateTime(iso("2024-03-10T09:59:59Z"), LA)).toBe("2024-03-10 01:59:59");
    expect(formatServiceNowDateTime(iso("2024-03-10T10:00:00Z"), LA)).toBe("2024-03-10 03:00:00");
  });
});

describe("wallClockToInstants", () => {
  it("finds both instants of the repeated hour, earlier first", () => {
    expect(wallClockToInstants("2024-11-03 01:30:00", LA)).toEqual([
      iso("2024-11-03T08:30:00Z"),
      iso("2024-11-03T09:30:00Z"),
    ]);
    expect(wallClockToInstant("2024-11-03 01:30:00", LA)).toEqual(iso("2024-11-03T08:30:00Z"));
    expect(wallClockToInstant("2024-11-03 01:30:00", LA, "later")).toEqual(
      iso("2024-11-03T09:30:00Z"),
    );
  });

  it("finds none in the spring-forward gap and moves such a time forward by the gap", () => {
    expect(wallClockToInstants("2024-03-10 02:30:00", LA)).toEqual([]);
    expect(wallClockToInstant("2024-03-10 02:30:00", LA)).toEqual(iso("2024-03-10T10:30:00Z"));
  });

  it("round-trips every hour of a year in zones on both hemispheres", () => {
    for (const zone of [LA, "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"]) {
      for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 3_600_000) {
        const instant = new Date(ms);
        const readings = wallClockToInstants(formatServiceNowDateTime(instant, zone), zone);
        if (!readings.some((reading) => reading.getTime() === ms)) {
          throw new Error(`${zone}: ${instant.toISOString()} does not round-trip`);
        }
      }
    }
  });

  it("turns the fixture's display values (API user in Central Europe) back into its UTC values", () => {
    const fixture = JSON.parse(
      readFileSync(
        `${__dirname}/../fixtures/servicenow/change_request.list.display_value_all.json`,
        "utf8",
      ),
    ) as { result: Record<string, { display_value: string | null; value: string }>[] };
    const record = fixture.result[0] ?? {};
    const fields = ["opened_at", "sys_updated_on", "start_date", "end_date", "closed_at"];

    for (const field of fields) {
      const pair = record[field];
      expect(wallClockToInstant(pair?.display_value ?? "", "Europe/Berlin")).toEqual(
        parseServiceNowDateTime(pair?.value ?? ""),
      );
    }
  });
});

describe("queryLowerBound", () => {
  it("is exact outside repeated hours, including right after a spring-forward gap", () => {
    expect(queryLowerBound(iso("2024-03-10T10:00:00Z"), LA)).toEqual({
      literal: "2024-03-10 03:00:00",
      exact: true,
    });
    expect(queryLowerBound(iso("2024-11-03T10:00:00Z"), LA)).toEqual({
      literal: "2024-11-03 02:00:00",
      exact: true,
    });
  });

  it("steps before the repeated hour so neither reading of the literal is after the cursor", () => {
    for (const at of ["2024-11-03T08:00:00Z", "2024-11-03T08:59:59Z", "2024-11-03T09:30:00Z"]) {
      const bound = queryLowerBound(iso(at), LA);

      expect(bound).toEqual({ literal: "2024-11-03 00:59:59", exact: false });
      for (const reading of wallClockToInstants(bound.literal, LA)) {
        expect(reading.getTime()).toBeLessThanOrEqual(iso(at).getTime());
      }
    }
    expect(queryLowerBound(iso("2024-10-27T00:30:00Z"), "Europe/Berlin")).toEqual({
      literal: "2024-10-27 01:59:59",
      exact: false,
    });
    expect(queryLowerBound(iso("2024-04-06T16:30:00Z"), "Australia/Sydney")).toEqual({
      literal: "2024-04-07 01:59:59",
      exact: false,
    });
  });
});

describe("parseServiceNowDateTime at the calendar's edges", () => {
  it.each([
    ["2024-02-29 12:00:00", "2024-02-29T12:00:00Z"],
    ["2000-02-29 00:00:00", "2000-02-29T00:00:00Z"],
    ["0100-01-01 00:00:00", "0100-01-01T00:00:00Z"],
    ["1601-01-01 00:00:00", "1601-01-01T00:00:00Z"],
    ["1969-12-31 23:59:59", "1969-12-31T23:59:59Z"],
    ["9999-12-31 23:59:59", "9999-12-31T23:59:59Z"],
  ])("reads %j, a real calendar time, as %s", (value, expected) => {
    expect(parseServiceNowDateTime(value)).toEqual(iso(expected));
  });

  it.each([
    ["a 29 February outside a leap year", "2023-02-29 00:00:00"],
    ["a 29 February of a century not divisible by 400", "1900-02-29 00:00:00"],
    ["a 31st in a 30-day month", "2024-04-31 00:00:00"],
    ["month 00", "2024-00-10 00:00:00"],
    ["month 13", "2024-13-10 00:00:00"],
    ["day 00", "2024-01-00 00:00:00"],
    ["a leap second", "2016-12-31 23:59:60"],
    ["minute 60", "2024-01-01 00:60:00"],
    ["a year before 0100 (Date.UTC reads it as 19xx)", "0099-12-31 23:59:59"],
    ["year 0000", "0000-01-01 00:00:00"],
    ["full-width digits", "２０２４-01-01 00:00:00"],
    ["a sign in a field", "2024-+1-01 00:00:00"],
    ["a trailing newline", "2024-01-01 00:00:00\n"],
    ["a slash for a dash", "2024/01/01 00:00:00"],
  ])("rejects %s as INVALID_RESPONSE", (_case, value) => {
    expect(() => parseServiceNowDateTime(value)).toThrow(ServiceNowError);
  });

  it("accepts exactly what a Date.UTC round trip accepts, over years 0099–9999, months 00–13, days 00–32 and out-of-range times", () => {
    const roundTrip = (value: string): number | null => {
      const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
      if (match === null) {
        return null;
      }
      const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as number[] as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
      const same =
        date.getUTCFullYear() === y &&
        date.getUTCMonth() === mo - 1 &&
        date.getUTCDate() === d &&
        date.getUTCHours() === h &&
        date.getUTCMinutes() === mi &&
        date.getUTCSeconds() === s;
      return same ? date.getTime() : null;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, "0");
    let checked = 0;
    const mismatches: string[] = [];
    for (const year of [99, 100, 1899, 1900, 1970, 2000, 2023, 2024, 2100, 2101, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          for (const time of ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60"]) {
            const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${time}`;
            const expected = roundTrip(value);
            const read = (): number | null => {
              try {
                return parseServiceNowDateTime(value)?.getTime() ?? null;
              } catch {
                return null;
              }
            };
            if (read() !== expected) {
              mismatches.push(value);
            }
            checked += 1;
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(11 * 14 * 33 * 5);
  });
});

describe("zone offsets cached per hour", () => {
  /** What formatServiceNowDateTime always answered: Intl for every value. */
  const intlFormatters = new Map<string, Intl.DateTimeFormat>();
  const viaIntl = (ms: number, timeZone: string): string => {
    let formatter = intlFormatters.get(timeZone);
    if (formatter === undefined) {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
      intlFormatters.set(timeZone, formatter);
    }
    const parts = Object.fromEntries(formatter.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${(parts.year ?? "").padStart(4, "0")}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  };
  const HOUR = 3_600_000;
  const ZONES = [
    LA,
    "Europe/Berlin",
    "Europe/Dublin", // negative DST in the tz database
    "Australia/Lord_Howe", // a 30-minute DST
    "Antarctica/Troll", // a 2-hour DST
    "Asia/Kathmandu", // +05:45
    "America/Sao_Paulo",
  ];

  it.each(ZONES)(
    "formats every hour of 2024 in %s, a second either side and mid-hour, as Intl does",
    (timeZone) => {
      const start = Date.UTC(2024, 0, 1);
      const mismatches: string[] = [];
      for (let hour = start; hour < Date.UTC(2025, 0, 1); hour += HOUR) {
        for (const ms of [hour - 1000, hour, hour + 1000, hour + 1_799_999]) {
          const expected = viaIntl(ms, timeZone);
          if (formatServiceNowDateTime(new Date(ms), timeZone) !== expected) {
            mismatches.push(`${new Date(ms).toISOString()} ${expected}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    },
  );

  it.each([
    ["Asia/Kathmandu", "1985-12-31T18:29:59Z", "1985-12-31 23:59:59"],
    ["Asia/Kathmandu", "1985-12-31T18:30:00Z", "1986-01-01 00:15:00"],
    ["Pacific/Apia", "2011-12-30T09:59:59Z", "2011-12-29 23:59:59"],
    ["Pacific/Apia", "2011-12-30T10:00:00Z", "2011-12-31 00:00:00"],
    ["Africa/Monrovia", "1972-01-07T00:44:29Z", "1972-01-06 23:59:59"],
    ["Africa/Monrovia", "1972-01-07T00:44:30Z", "1972-01-07 00:44:30"],
    ["Europe/Berlin", "1850-06-01T12:00:00Z", "1850-06-01 12:53:28"],
    ["Europe/Berlin", "9999-12-31T22:59:59Z", "9999-12-31 23:59:59"],
  ])(
    "formats %s at %s, a change inside a UTC hour or outside the cached years, as %s",
    (timeZone, instant, wallClock) => {
      expect(viaIntl(iso(instant).getTime(), timeZone)).toBe(wallClock);
      expect(formatServiceNowDateTime(iso(instant), timeZone)).toBe(wallClock);
    },
  );

  it.each([
    [LA, "2024-03-10", "2024-11-03"],
    ["Australia/Lord_Howe", "2024-04-07", "2024-10-06"],
    ["Europe/Dublin", "2024-03-31", "2024-10-27"],
  ])(
    "finds the same instants as a brute-force Intl search for every minute of %s's change days",
    (timeZone, ...days) => {
      const mismatches: string[] = [];
      for (const day of days) {
        for (let minute = 0; minute < 6 * 60; minute++) {
          const wall = new Date(Date.parse(`${day}T00:00:00Z`) + minute * 60_000);
          const wallClock = wall.toISOString().slice(0, 19).replace("T", " ");
          const expected: number[] = [];
          // Every offset from -14:00 to +14:00 in quarter hours (all of this century's).
          for (let quarter = -56; quarter <= 56; quarter++) {
            const candidate = wall.getTime() - quarter * 900_000;
            if (viaIntl(candidate, timeZone) === wallClock) {
              expected.push(candidate);
            }
          }
          expected.sort((a, b) => a - b);
          const found = wallClockToInstants(wallClock, timeZone).map((d) => d.getTime());
          if (JSON.stringify(found) !== JSON.stringify(expected)) {
            mismatches.push(
              `${wallClock}: ${JSON.stringify(found)} vs ${JSON.stringify(expected)}`,
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
    },
  );
});
