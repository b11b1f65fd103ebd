import { type EncodedQuery, keysetQuery, sysIdKeysetQuery } from "./encoded-query.builder";
import type { ServiceNowClient } from "./servicenow.client";
import { ServiceNowError } from "./servicenow.errors";
import type { RawRecord, RecordCursor } from "./servicenow.types";
import { readDateTime, readValue } from "./servicenow-values";

/**
 * Keyset paging over the Table API.
 *
 * ServiceNow applies `sysparm_limit` (and `sysparm_offset`) to the rows *before* ACLs remove the
 * ones the user may not read. So a page can be short or even empty while more readable rows
 * follow, and nothing in one response tells "end of data" from "a page of hidden rows".
 *
 * Strategy, per keyset query (a query changes only when the cursor advances):
 * - A page with records: hand them out and continue from the last one (short pages included).
 * - An empty page: probe past it with `sysparm_offset` = pageSize on the same query, this time
 *   asking for `X-Total-Count` (counted before ACLs, so it includes the hidden rows). Keep
 *   stepping the offset by pageSize until a page has records (continue the keyset from them) or
 *   the offset reaches the count (nothing readable is left: stop).
 * So a run always ends with one empty page plus one counted probe, and a block of N hidden rows
 * costs about N / pageSize extra requests. Offsets are only ever used inside one keyset query,
 * over rows before the first readable one, so records changing meanwhile move past the window
 * rather than being skipped by it; the one residual risk is a hidden row leaving the window
 * during a probe, which shifts the rows after it by one.
 *
 * Every record at or before the cursor is dropped, and pages must arrive in (cursor field,
 * sys_id) order: ServiceNow silently ignores an ORDERBY on a misspelt field, and an unordered
 * page would make the cursor jump, so that fails INVALID_RESPONSE instead.
 */

export interface PageRecordsOptions {
  readonly table: string;
  /** Fields to ask for; sys_id and the cursor field are added when missing. */
  readonly fields: readonly string[];
  /** `sys_updated_on`, or `sys_created_on` for write-once tables. */
  readonly cursorField: string;
  /** The integration user's time zone: ServiceNow reads query date literals in it. */
  readonly timeZone: string;
  /** Conditions selecting the rows (no ordering), repeated in each keyset group. */
  readonly scope?: EncodedQuery;
  /** Resume strictly after this (cursor field, sys_id): the last committed watermark. */
  readonly after?: RecordCursor;
  /** Rows per request (default 500; ServiceNow cancels slow transactions at 60 s). */
  readonly pageSize?: number;
  /** `all` adds display values (choice labels, reference names) beside the raw values. */
  readonly displayValue?: "false" | "all";
  readonly signal?: AbortSignal;
}

export interface RecordPage {
  /** Sorted by (cursor field, sys_id), all strictly after the previous cursor; never empty. */
  readonly records: RawRecord[];
  /** The last (greatest) record's key: the watermark to commit with this page. */
  readonly cursor: RecordCursor;
  /** The instance's clock when it answered, when it sent a `Date` header. */
  readonly serverTime?: Date;
  readonly requestedQuery: string;
  readonly requestedOffset: number;
}

export async function* pageRecords(
  client: ServiceNowClient,
  options: PageRecordsOptions,
): AsyncGenerator<RecordPage, void, undefined> {
  const pageSize = checkPageSize(options.pageSize ?? 500);
  const { cursorField } = options;
  const fields = [...new Set([...options.fields, "sys_id", cursorField])];
  const pages = walkKeyset<RecordCursor>({
    pageSize,
    signal: options.signal,
    queryFor: (after) =>
      keysetQuery({ cursorField, after, scope: options.scope, timeZone: options.timeZone })
        .encodedQuery,
    fetch: (query, offset, withCount) =>
      client.getRecords(options.table, {
        query,
        fields,
        limit: pageSize,
        offset: offset === 0 ? undefined : offset,
        displayValue: options.displayValue === "all" ? "all" : false,
        excludeReferenceLink: true,
        noCount: withCount ? undefined : true,
        signal: options.signal,
      }),
    keyOf: (record) => recordCursor(record, cursorField, options.table),
    compare: compareCursors,
    disorder: `(${cursorField}, sys_id)`,
    after: options.after,
  });
  for await (const page of pages) {
    yield {
      records: page.records,
      cursor: page.cursor,
      requestedQuery: page.query,
      requestedOffset: page.offset,
      ...(page.serverTime ? { serverTime: page.serverTime } : {}),
    };
  }
}

export interface PageSysIdsOptions {
  readonly table: string;
  readonly scope?: EncodedQuery;
  /** Resume strictly after this sys_id. */
  readonly after?: string;
  /** Rows per request (default 1000; sys_id-only rows are small). */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

export interface SysIdPage {
  readonly sysIds: string[];
  readonly cursor: string;
  readonly requestedQuery: string;
  readonly requestedOffset: number;
}

/** Every readable sys_id in sys_id order (`sys_id>X^ORDERBYsys_id`), for delete reconciliation. */
export async function* pageSysIds(
  client: ServiceNowClient,
  options: PageSysIdsOptions,
): AsyncGenerator<SysIdPage, void, undefined> {
  const pageSize = checkPageSize(options.pageSize ?? 1000);
  const pages = walkKeyset<string>({
    pageSize,
    signal: options.signal,
    queryFor: (after) => sysIdKeysetQuery({ after, scope: options.scope }),
    fetch: (query, offset, withCount) =>
      client.getRecords(options.table, {
        query,
        fields: ["sys_id"],
        limit: pageSize,
        offset: offset === 0 ? undefined : offset,
        displayValue: false,
        excludeReferenceLink: true,
        noCount: withCount ? undefined : true,
        signal: options.signal,
      }),
    keyOf: (record) => sysIdOf(record, options.table),
    compare: compareSysIds,
    disorder: "sys_id",
    after: options.after,
  });
  for await (const page of pages) {
    yield {
      sysIds: page.records.map((record) => sysIdOf(record, options.table)),
      cursor: page.cursor,
      requestedQuery: page.query,
      requestedOffset: page.offset,
    };
  }
}

interface KeysetWalk<K> {
  readonly pageSize: number;
  readonly signal?: AbortSignal;
  readonly queryFor: (after: K | undefined) => string;
  readonly fetch: (
    query: string,
    offset: number,
    withCount: boolean,
  ) => Promise<{ records: RawRecord[]; totalCount?: number; serverTime?: Date }>;
  readonly keyOf: (record: RawRecord) => K;
  readonly compare: (a: K, b: K) => number;
  /** Names the expected order in the error when a page is out of order. */
  readonly disorder: string;
  readonly after?: K;
}

interface WalkedPage<K> {
  readonly records: RawRecord[];
  readonly cursor: K;
  readonly query: string;
  readonly offset: number;
  readonly serverTime?: Date;
}

async function* walkKeyset<K>(walk: KeysetWalk<K>): AsyncGenerator<WalkedPage<K>, void, undefined> {
  let cursor = walk.after;
  let currentQuery: string | undefined;
  let offset = 0;
  // Rows matching `currentQuery` before ACLs, once a probe has asked for it.
  let total: number | undefined;
  // The next keyset page, requested while the caller stores the current one.
  let prefetched:
    { readonly query: string; readonly page: ReturnType<KeysetWalk<K>["fetch"]> } | undefined;

  for (;;) {
    walk.signal?.throwIfAborted();
    const query = walk.queryFor(cursor);
    if (query !== currentQuery) {
      currentQuery = query;
      offset = 0;
      total = undefined;
    }
    if (total !== undefined && offset >= total) {
      return;
    }
    const withCount = offset > 0 && total === undefined;
    const page = await (prefetched?.query === query && offset === 0 && !withCount
      ? prefetched.page
      : walk.fetch(query, offset, withCount));
    prefetched = undefined;
    if (withCount) {
      total = page.totalCount;
    }

    const keys = page.records.map(walk.keyOf);
    assertAscending(keys, walk.compare, walk.disorder);
    const from = cursor;
    const freshStart =
      from === undefined ? 0 : keys.findIndex((key) => walk.compare(key, from) > 0);
    const fresh = freshStart === -1 ? [] : page.records.slice(freshStart);
    const last = keys[keys.length - 1];

    if (fresh.length > 0 && last !== undefined) {
      const nextQuery = walk.queryFor(last);
      if (nextQuery !== query) {
        // ServiceNow's latency overlaps the caller's work; its error, if any, surfaces when used.
        const next = walk.fetch(nextQuery, 0, false);
        next.catch(() => undefined);
        prefetched = { query: nextQuery, page: next };
      }
      yield {
        records: fresh,
        cursor: last,
        query,
        offset,
        ...(page.serverTime ? { serverTime: page.serverTime } : {}),
      };
      cursor = last;
      // Same query next time only for an inexact (fall-back hour) bound: then go on by offset.
      offset += walk.pageSize;
      continue;
    }
    if (page.records.length === 0 && offset > 0 && total === undefined) {
      // No count came back (ServiceNow always sends it when asked): nothing tells us more exist.
      return;
    }
    offset += walk.pageSize;
  }
}

function assertAscending<K>(
  keys: readonly K[],
  compare: (a: K, b: K) => number,
  order: string,
): void {
  for (let index = 1; index < keys.length; index += 1) {
    if (compare(keys[index - 1] as K, keys[index] as K) >= 0) {
      throw new ServiceNowError({
        code: "INVALID_RESPONSE",
        retryable: false,
        message: `ServiceNow returned records out of ${order} order: the field may not exist on this table (ServiceNow ignores unknown ORDERBY fields)`,
      });
    }
  }
}

function recordCursor(record: RawRecord, cursorField: string, table: string): RecordCursor {
  const timestamp = readDateTime(record[cursorField]);
  if (timestamp === null) {
    throw new ServiceNowError({
      code: "INVALID_RESPONSE",
      retryable: false,
      message: `A ${table} record came back without ${cursorField}: it cannot be paged by it`,
    });
  }
  return { timestamp, sysId: sysIdOf(record, table) };
}

function sysIdOf(record: RawRecord, table: string): string {
  const sysId = readValue(record.sys_id);
  if (sysId === "") {
    throw new ServiceNowError({
      code: "INVALID_RESPONSE",
      retryable: false,
      message: `A ${table} record came back without a sys_id`,
    });
  }
  return sysId;
}

export function compareCursors(a: RecordCursor, b: RecordCursor): number {
  const byTime = a.timestamp.getTime() - b.timestamp.getTime();
  return byTime !== 0 ? byTime : compareSysIds(a.sysId, b.sysId);
}

/** sys_ids are 32 lowercase hex digits, so code-unit order is the database's order. */
function compareSysIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    throw new RangeError("pageSize must be an integer between 1 and 10000");
  }
  return pageSize;
}
