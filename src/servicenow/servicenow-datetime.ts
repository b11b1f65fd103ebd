import { InvalidTimeZoneError, ServiceNowError } from "./servicenow.errors";

/**
 * ServiceNow date-times: values come back as `"YYYY-MM-DD HH:MM:SS"` in UTC, while date literals
 * inside `sysparm_query` are read in the API user's time zone. This file converts between the two
 * with Intl only (no tz database of our own), DST included.
 */

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const SECOND = 1000;
const DAY = 86_400_000;
const UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Etc/UCT", "UCT", "Zulu"]);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `""` → null (an empty ServiceNow field); anything that is not a real date-time throws. */
export function parseServiceNowDateTime(value: string): Date | null {
  if (value === "") {
    return null;
  }
  const utcMs = wallClockAsUtcMs(value);
  if (utcMs === null) {
    throw new ServiceNowError({
      code: "INVALID_RESPONSE",
      retryable: false,
      message: `ServiceNow returned an unreadable date-time "${value.slice(0, 40)}" (expected "YYYY-MM-DD HH:MM:SS")`,
    });
  }
  return new Date(utcMs);
}

/**
 * The wall-clock time `instant` shows in `timeZone`, as a ServiceNow query literal. Sub-second
 * precision is dropped (ServiceNow stores seconds).
 */
export function formatServiceNowDateTime(instant: Date, timeZone = "UTC"): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) {
    throw new RangeError("Cannot format an invalid Date for ServiceNow");
  }
  return formatWallClock(floorToSecond(ms), timeZone);
}

export function isSupportedTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws `InvalidTimeZoneError` for a name Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/**
 * Every instant that shows `wallClock` in `timeZone`, earliest first: one normally, two in the
 * repeated hour after a fall-back, none in the spring-forward gap.
 */
export function wallClockToInstants(wallClock: string, timeZone: string): Date[] {
  const asUtc = wallClockAsUtcMs(wallClock);
  if (asUtc === null) {
    throw new RangeError(`Not a ServiceNow date-time: "${wallClock.slice(0, 40)}"`);
  }
  if (isUtc(timeZone)) {
    return [new Date(asUtc)];
  }
  const found = new Set<number>();
  // A zone changes offset at most once within a day around any wall time (true of every rule in
  // the tz database since 1970), so the offsets a day either side cover every candidate.
  for (const probe of [asUtc - DAY, asUtc, asUtc + DAY]) {
    const candidate = asUtc - offsetMs(probe, timeZone);
    if (formatWallClock(candidate, timeZone) === wallClock) {
      found.add(candidate);
    }
  }
  return [...found].sort((a, b) => a - b).map((ms) => new Date(ms));
}

export type AmbiguousTimePreference = "earlier" | "later";

/**
 * The instant a person in `timeZone` means by `wallClock`. In the repeated hour `prefer` picks
 * one; a time inside the spring-forward gap is moved forward by the gap's length (02:30 → 03:30),
 * as java.time and ServiceNow's Java runtime do.
 */
export function wallClockToInstant(
  wallClock: string,
  timeZone: string,
  prefer: AmbiguousTimePreference = "earlier",
): Date {
  const instants = wallClockToInstants(wallClock, timeZone);
  const first = instants[0];
  const last = instants[instants.length - 1];
  if (first !== undefined && last !== undefined) {
    return prefer === "earlier" ? first : last;
  }
  const asUtc = wallClockAsUtcMs(wallClock) ?? 0;
  return new Date(asUtc - offsetMs(asUtc - DAY, timeZone));
}

export interface QueryLowerBound {
  /** A query literal ServiceNow reads as an instant at or before the cursor, whatever it does. */
  readonly literal: string;
  /** True when the literal names exactly the cursor's second, so `=` and `>` are safe on it. */
  readonly exact: boolean;
}

/**
 * The literal to write in a keyset query for a cursor at `instant`.
 *
 * After a fall-back the wall clock repeats an hour, so a literal in that hour is ambiguous and we
 * cannot know which of the two instants ServiceNow picks. If it picked the later one, `>T` would
 * skip up to an hour of records. So for an ambiguous cursor we answer with the last wall-clock
 * second before the repeated hour, which is unambiguous and earlier than both readings, and mark
 * the bound inexact: the pager then asks for `>=` that literal and drops what it already has.
 * Re-reading part of an hour once a year is cheap; skipping records is not.
 */
export function queryLowerBound(instant: Date, timeZone: string): QueryLowerBound {
  const literal = formatServiceNowDateTime(instant, timeZone);
  const readings = wallClockToInstants(literal, timeZone);
  const earlier = readings[0];
  const later = readings[1];
  if (earlier === undefined || later === undefined) {
    return { literal, exact: true };
  }
  // The offset changes somewhere in (earlier, later]; the repeated hour began `later - earlier`
  // before that transition.
  const transition = findOffsetChange(earlier.getTime(), later.getTime(), timeZone);
  const overlap = later.getTime() - earlier.getTime();
  const beforeOverlap = new Date(transition - overlap - SECOND);
  return queryLowerBoundBefore(beforeOverlap, timeZone);
}

function queryLowerBoundBefore(instant: Date, timeZone: string): QueryLowerBound {
  const bound = queryLowerBound(instant, timeZone);
  return { literal: bound.literal, exact: false };
}

/** The first millisecond (to the second) in (from, to] whose offset differs from `from`'s. */
function findOffsetChange(from: number, to: number, timeZone: string): number {
  const start = offsetMs(from, timeZone);
  let low = from;
  let high = to;
  while (high - low > SECOND) {
    const mid = floorToSecond(low + (high - low) / 2);
    if (offsetMs(mid, timeZone) === start) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return high;
}

/** Milliseconds to add to UTC to get the wall clock in `timeZone` at `utcMs`. */
function offsetMs(utcMs: number, timeZone: string): number {
  const second = floorToSecond(utcMs);
  const wall = wallClockAsUtcMs(formatWallClock(second, timeZone));
  return (wall ?? second) - second;
}

function formatWallClock(utcMs: number, timeZone: string): string {
  if (isUtc(timeZone)) {
    return new Date(utcMs).toISOString().slice(0, 19).replace("T", " ");
  }
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    parts[part.type] = part.value;
  }
  const year = (parts.year ?? "").padStart(4, "0");
  return `${year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
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
    } catch {
      throw new InvalidTimeZoneError(timeZone);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Reads `"YYYY-MM-DD HH:MM:SS"` as if it were UTC; null when it is not a real calendar time. */
function wallClockAsUtcMs(value: string): number | null {
  const match = WALL_CLOCK.exec(value);
  if (match === null) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches it.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return null;
  }
  return ms;
}

function isUtc(timeZone: string): boolean {
  return UTC_ZONES.has(timeZone);
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}
