import type { RecordCursor } from "../servicenow";

/** Greater than any sys_id (lowercase hex): a cursor at (T - 1 s, MAX) resumes at second T. */
const AFTER_EVERY_SYS_ID = "z".repeat(32);

/** Same clock (the instance's) but several nodes and second rounding: a minute of slack. */
const OPEN_WINDOW_MS = 60_000;
/** Without a `Date` header we only have our own clock: allow for skew. */
const OPEN_WINDOW_WITHOUT_SERVER_TIME_MS = 5 * 60_000;

/**
 * Whether ServiceNow may still write records stamped with this cursor's second: true when the
 * second was at (or near) the instance's "now" when the page was read.
 */
export function isOpenSecond(
  cursor: Date,
  serverTime: Date | undefined,
  now = Date.now(),
): boolean {
  return serverTime
    ? cursor.getTime() >= serverTime.getTime() - OPEN_WINDOW_MS
    : cursor.getTime() >= now - OPEN_WINDOW_WITHOUT_SERVER_TIME_MS;
}

/**
 * Where a run resumes: after the committed watermark, but no later than the start of the
 * second of the previous run's live edge. ServiceNow stamps seconds, so a record written in
 * the watermark's second after that page was read, with a smaller sys_id, would otherwise sit
 * behind the watermark for good. Re-reading that short overlap is idempotent (upserts).
 */
export function resumeCursor(
  watermark: RecordCursor | undefined,
  overlapFrom: Date | null | undefined,
): RecordCursor | undefined {
  if (watermark === undefined) {
    return undefined;
  }
  if (!overlapFrom) {
    return watermark;
  }
  const secondStart = Math.floor(overlapFrom.getTime() / 1000) * 1000;
  if (watermark.timestamp.getTime() < secondStart) {
    return watermark;
  }
  return { timestamp: new Date(secondStart - 1000), sysId: AFTER_EVERY_SYS_ID };
}
