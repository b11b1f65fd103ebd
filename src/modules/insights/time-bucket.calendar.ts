import { GatewayError } from "../../common/gateway.error";
import { wallClockFormatterOf } from "../../common/time-zone.formatter";

/** The bucket sizes of counts and series; weeks start on Monday in the bucket's time zone. */
export type TimeIntervalName = "DAY" | "WEEK" | "MONTH";

/** The formatter of `timeZone`, or a BAD_USER_INPUT naming `field` for a zone ICU does not know. */
function formatterOf(timeZone: string, field: string): Intl.DateTimeFormat {
  const formatter = wallClockFormatterOf(timeZone);
  if (formatter === null) {
    throw GatewayError.badInput(
      field,
      `${field} must be an IANA time zone name such as Europe/Paris or UTC`,
    );
  }
  return formatter;
}

/** Checks an IANA time zone name; its canonical spelling is what the database is given. */
export function checkTimeZone(timeZone: string, field: string): string {
  if (timeZone.length === 0 || timeZone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(timeZone)) {
    throw GatewayError.badInput(
      field,
      `${field} must be an IANA time zone name such as Europe/Paris or UTC`,
    );
  }
  return formatterOf(timeZone, field).resolvedOptions().timeZone;
}

/** The zone's offset from UTC at `instant`, in seconds (east positive). */
export function offsetSecondsAt(timeZone: string, instant: number): number {
  const parts = formatterOf(timeZone, "timeZone").formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const local = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 1000);
}

/** A span of constant offset: from `start` (UTC ms, inclusive) on, until the next span. */
export interface OffsetSpan {
  readonly start: number;
  readonly offsetSeconds: number;
}

const DAY_MS = 86_400_000;

/**
 * The zone's offsets over [from, to]: the first span starts at `from`, each next one at a
 * transition (found to the second by bisection between daily samples).
 */
export function offsetSpans(timeZone: string, from: number, to: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [{ start: from, offsetSeconds: offsetSecondsAt(timeZone, from) }];
  let previous = from;
  let offset = spans[0].offsetSeconds;
  for (let sample = from + DAY_MS; previous < to; sample += DAY_MS) {
    const at = Math.min(sample, to);
    const next = offsetSecondsAt(timeZone, at);
    if (next !== offset) {
      let low = previous;
      let high = at;
      while (high - low > 1000) {
        const middle = low + Math.floor((high - low) / 2000) * 1000;
        if (offsetSecondsAt(timeZone, middle) === offset) {
          low = middle;
        } else {
          high = middle;
        }
      }
      spans.push({ start: high, offsetSeconds: next });
      offset = next;
    }
    previous = at;
  }
  return spans;
}

/** The UTC instant of local midnight of `localDate` (YYYY-MM-DD) in the zone. */
export function localMidnight(timeZone: string, localDate: string): number {
  const [year, month, day] = localDate.split("-").map(Number);
  const wall = Date.UTC(year, month - 1, day);
  // Two rounds settle the offset, also for a midnight near a transition.
  let guess = wall - offsetSecondsAt(timeZone, wall) * 1000;
  guess = wall - offsetSecondsAt(timeZone, guess) * 1000;
  return guess;
}

/** The local date (YYYY-MM-DD) of `instant` in the zone. */
export function localDateOf(timeZone: string, instant: number): string {
  return new Date(instant + offsetSecondsAt(timeZone, instant) * 1000).toISOString().slice(0, 10);
}

/** The local date at which the bucket holding `localDate` starts. */
export function bucketDateOf(localDate: string, interval: TimeIntervalName): string {
  const [year, month, day] = localDate.split("-").map(Number);
  switch (interval) {
    case "DAY":
      return localDate;
    case "WEEK": {
      const date = new Date(Date.UTC(year, month - 1, day));
      const sinceMonday = (date.getUTCDay() + 6) % 7;
      return new Date(date.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
    }
    case "MONTH":
      return `${localDate.slice(0, 7)}-01`;
  }
}

function nextBucketDate(localDate: string, interval: TimeIntervalName): string {
  const [year, month, day] = localDate.split("-").map(Number);
  switch (interval) {
    case "DAY":
      return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
    case "WEEK":
      return new Date(Date.UTC(year, month - 1, day + 7)).toISOString().slice(0, 10);
    case "MONTH":
      return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  }
}

export interface Bucket {
  /** The bucket's local start date, as the database reports it. */
  readonly localDate: string;
  /** Its start, clipped to the window. */
  readonly start: Date;
}

/** Every bucket overlapping [from, to), in order, the first and last clipped to the window. */
export function bucketsBetween(
  timeZone: string,
  interval: TimeIntervalName,
  from: Date,
  to: Date,
): Bucket[] {
  const buckets: Bucket[] = [];
  let localDate = bucketDateOf(localDateOf(timeZone, from.getTime()), interval);
  while (localMidnight(timeZone, localDate) < to.getTime()) {
    const start = Math.max(localMidnight(timeZone, localDate), from.getTime());
    buckets.push({ localDate, start: new Date(start) });
    localDate = nextBucketDate(localDate, interval);
  }
  return buckets;
}
