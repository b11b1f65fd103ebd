import { wallClockFormatterOf } from "../common/time-zone.formatter";
import { InvalidTimeZoneError, ServiceNowError } from "./servicenow.errors";

/**
 * ServiceNow date-times: values come back as `"YYYY-MM-DD HH:MM:SS"` in UTC, while date literals
 * inside `sysparm_query` are read in the API user's time zone. This file converts between the two
 * with Intl only (no tz database of our own), DST included.
 */

const SECOND = 1000;
const DAY = 86_400_000;
const UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Etc/UCT", "UCT", "Zulu"]);

const HOUR = 3_600_000;
/**
 * Offsets are cached by UTC hour from 1900 to 9998, where every wall clock reads back as a
 * four-digit year; other instants ask Intl each time, as before.
 */
const CACHED_FROM = Date.UTC(1900, 0, 1);
const CACHED_UNTIL = Date.UTC(9998, 0, 1);
/** Per zone: about eleven years of hours, then the cache starts over. */
const MAX_CACHED_HOURS = 100_000;
/** Zone → UTC hour (ms / HOUR) → offset in ms, or NaN for an hour in which it changes. */
const offsetsByHour = new Map<string, Map<number, number>>();

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
  if (isUtc(timeZone) || second < CACHED_FROM || second >= CACHED_UNTIL) {
    return intlOffsetMs(second, timeZone);
  }
  const hour = Math.floor(second / HOUR);
  let zone = offsetsByHour.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    offsetsByHour.set(timeZone, zone);
  }
  let offset = zone.get(hour);
  if (offset === undefined) {
    // Zones change offset at most once an hour (every rule of the tz database), so an hour
    // that starts and ends with one offset has it throughout; the hour of a change is not
    // cached (NaN) and asks Intl for each second, gaps and overlaps exactly as before.
    const start = intlOffsetMs(hour * HOUR, timeZone);
    offset = start === intlOffsetMs((hour + 1) * HOUR - SECOND, timeZone) ? start : Number.NaN;
    if (zone.size >= MAX_CACHED_HOURS) {
      zone.clear();
    }
    zone.set(hour, offset);
  }
  return Number.isNaN(offset) ? intlOffsetMs(second, timeZone) : offset;
}

function intlOffsetMs(second: number, timeZone: string): number {
  const wall = wallClockAsUtcMs(intlWallClock(second, timeZone));
  return (wall ?? second) - second;
}

/** The wall clock of `timeZone` at `utcMs`: Intl once per zone and hour, not per value. */
function formatWallClock(utcMs: number, timeZone: string): string {
  if (isUtc(timeZone)) {
    return isoWallClock(utcMs);
  }
  if (utcMs >= CACHED_FROM && utcMs < CACHED_UNTIL) {
    return isoWallClock(utcMs + offsetMs(utcMs, timeZone));
  }
  return intlWallClock(utcMs, timeZone);
}

function isoWallClock(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 19).replace("T", " ");
}

function intlWallClock(utcMs: number, timeZone: string): string {
  if (isUtc(timeZone)) {
    return isoWallClock(utcMs);
  }
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    parts[part.type] = part.value;
  }
  const year = (parts.year ?? "").padStart(4, "0");
  return `${year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const formatter = wallClockFormatterOf(timeZone);
  if (formatter === null) {
    throw new InvalidTimeZoneError(timeZone);
  }
  return formatter;
}

/**
 * Reads `"YYYY-MM-DD HH:MM:SS"` as if it were UTC; null when it is not a real calendar time.
 * Every synced date-time goes through here, so it reads character codes rather than a regex
 * match and a Date round trip. It accepts exactly what that round trip did: ASCII digits, the
 * proleptic Gregorian calendar, hours 00–23, no leap second, and years from 0100 (Date.UTC maps
 * years 0–99 to 1900–1999, so those never read back and were always refused).
 */
export function wallClockAsUtcMs(value: string): number | null {
  if (
    value.length !== 19 ||
    value.charCodeAt(4) !== DASH ||
    value.charCodeAt(7) !== DASH ||
    value.charCodeAt(10) !== SPACE ||
    value.charCodeAt(13) !== COLON ||
    value.charCodeAt(16) !== COLON
  ) {
    return null;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    // A non-digit made one of them negative.
    return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const DASH = 0x2d;
const SPACE = 0x20;
const COLON = 0x3a;
const ZERO = 0x30;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The decimal number of `length` ASCII digits at `start`; -1 when one is not a digit. */
function digits(value: string, start: number, length: number): number {
  let number = 0;
  for (let index = start; index < start + length; index++) {
    const digit = value.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    number = number * 10 + digit;
  }
  return number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) {
    return 29;
  }
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function isUtc(timeZone: string): boolean {
  return UTC_ZONES.has(timeZone);
}

function floorToSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}
