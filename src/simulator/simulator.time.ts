import { wallClockFormatterOf } from "../common/time-zone.formatter";

/**
 * Date-time helpers. ServiceNow stores and returns date-times as "YYYY-MM-DD HH:MM:SS" in UTC, but
 * reads literals in queries, and writes display values, in the API user's time zone.
 */

const GLIDE_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** UTC milliseconds → "YYYY-MM-DD HH:MM:SS" (UTC), the stored and returned form. */
export function formatGlideDateTime(utcMs: number): string {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) {
    return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${d.toISOString().slice(11, 19)}`;
  }
  // toISOString is "YYYY-MM-DDTHH:MM:SS.sssZ" for years 0-9999.
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * "YYYY-MM-DD[ HH:MM[:SS]]" read as wall-clock fields, returned as if they were UTC milliseconds;
 * null when the text is not a valid date-time (month 13, February 30th, …).
 */
export function parseWallClock(text: string): number | null {
  const m = GLIDE_DATE_TIME.exec(text.trim());
  if (!m) {
    return null;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls February 30th over to March: reject instead of guessing.
  if (new Date(ms).getUTCDate() !== day) {
    return null;
  }
  return ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(text: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      return -1;
    }
    n = n * 10 + d;
  }
  return n;
}

/** Already "YYYY-MM-DD HH:MM:SS" and a real date: the common case, checked without allocating. */
function isCanonical(text: string): boolean {
  if (
    text.length !== 19 ||
    text[4] !== "-" ||
    text[7] !== "-" ||
    text[10] !== " " ||
    text[13] !== ":" ||
    text[16] !== ":"
  ) {
    return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return (
    year >= 0 &&
    day >= 1 &&
    day <= days &&
    digits(text, 11, 2) >= 0 &&
    digits(text, 11, 2) <= 23 &&
    digits(text, 14, 2) >= 0 &&
    digits(text, 14, 2) <= 59 &&
    digits(text, 17, 2) >= 0 &&
    digits(text, 17, 2) <= 59
  );
}

/**
 * Normalises a stored date-time input: a "YYYY-MM-DD HH:MM:SS" string is taken as UTC, an ISO
 * string with a zone is converted. Returns null when neither.
 */
export function normaliseUtcInput(text: string): string | null {
  if (isCanonical(text)) {
    return text;
  }
  if (ISO_WITH_ZONE.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : formatGlideDateTime(ms);
  }
  const wall = parseWallClock(text);
  return wall === null ? null : formatGlideDateTime(wall);
}

const offsetCache = new Map<string, Map<number, number>>();

export function isValidTimeZone(timeZone: string): boolean {
  return timeZone !== "" && wallClockFormatterOf(timeZone) !== null;
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  if (timeZone === "UTC" || timeZone === "Etc/UTC" || timeZone === "GMT") {
    return 0;
  }
  const formatter = wallClockFormatterOf(timeZone);
  if (!formatter) {
    return 0;
  }
  // Every zone changes offset on a quarter-hour boundary, so one lookup serves the whole bucket.
  const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const cached = cache.get(bucket);
  if (cached !== undefined) {
    return cached;
  }
  const instant = bucket * QUARTER_HOUR_MS;
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== "literal") {
      parts[part.type] = Number(part.value);
    }
  }
  const asUtc = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const offset = asUtc - instant;
  if (cache.size > 200_000) {
    cache.clear();
  }
  cache.set(bucket, offset);
  return offset;
}

/**
 * Wall-clock time in a zone → UTC ms. Like java.time (ServiceNow runs on the JVM): a time that
 * occurs twice (DST ends) takes the earlier instant; a time that never occurs (DST starts) is
 * pushed forward by the length of the gap.
 */
export function wallClockToUtc(timeZone: string, wallMs: number): number {
  const before = zoneOffsetMs(timeZone, wallMs - 14 * HOUR_MS);
  const after = zoneOffsetMs(timeZone, wallMs + 14 * HOUR_MS);
  const candidates =
    before === after ? [before] : [Math.max(before, after), Math.min(before, after)];
  for (const offset of candidates) {
    const utc = wallMs - offset;
    if (zoneOffsetMs(timeZone, utc) === offset) {
      return utc;
    }
  }
  return wallMs - before;
}

/** UTC ms → "YYYY-MM-DD HH:MM:SS" as a clock in the zone shows it. */
export function formatInZone(timeZone: string, utcMs: number): string {
  return formatGlideDateTime(utcMs + zoneOffsetMs(timeZone, utcMs));
}

/** A stored UTC value → the same instant in the zone (display values). */
export function utcTextToZone(timeZone: string, utcText: string): string {
  const wall = parseWallClock(utcText);
  return wall === null ? utcText : formatInZone(timeZone, wall);
}
