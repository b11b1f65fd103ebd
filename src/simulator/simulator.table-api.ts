import { compileQuery, selectPage } from "./encoded-query.evaluator";
import { parseEncodedQuery } from "./encoded-query.parser";
import { type Dictionary, type FieldDef, TASK_TABLE } from "./simulator.dictionary";
import type { RequestContext } from "./simulator.http";
import { type DisplayMode, type SerializeOptions, serializeRecord } from "./simulator.serializer";
import type { SimRecord, SimulatorStore } from "./simulator.store";
import {
  handleTableWrite,
  handleUserRoles,
  type SimWriter,
  USER_ROLE_TABLE,
} from "./simulator.table-writes";

/**
 * GET /api/now/table/{table}[/{sys_id}] (also under /v1 and /v2), answered as ServiceNow does:
 * string values, reference links, display values in the user's zone, X-Total-Count and Link
 * counted before ACLs, and ACL-hidden records dropped after the page was cut.
 */

export const TABLE_API_PATH = /^\/api\/now(?:\/(v1|v2))?\/table\/([^/]+)(?:\/([^/]+))?\/?$/;

/** A path's table, for fault matching and the request log. */
export function tableOfPath(path: string): string | null {
  const match = TABLE_API_PATH.exec(path);
  return match ? decodeURIComponent(match[2]) : null;
}

export interface TableApiDeps {
  readonly store: SimulatorStore;
  readonly dictionary: Dictionary;
  /** The ACL predicate hiding records of a table, if one is set. */
  readonly aclHidden: (table: string) => ((record: SimRecord) => boolean) | undefined;
  readonly canRead: (table: string) => boolean;
  /** The API user's zone: query literals are read in it, display values written in it. */
  readonly timeZone: string;
  /** X-RateLimit-* headers to add to every answer. */
  readonly extraHeaders: Readonly<Record<string, string>>;
  /** The API user, who writes records and whose roles sys_user_has_role lists. */
  readonly user: SimWriter;
  /** Every simulated user with roles (sys_user_has_role). */
  readonly users: () => readonly SimWriter[];
  readonly now: () => Date;
}

const DEFAULT_LIMIT = 10_000;

function nonNegativeInt(text: string | null, fallback: number): number {
  if (text === null || !/^\d+$/.test(text.trim())) {
    return fallback;
  }
  return Number(text);
}

function displayMode(text: string | null): DisplayMode {
  return text === "true" || text === "all" ? text : "false";
}

export async function handleTableApi(ctx: RequestContext, deps: TableApiDeps): Promise<void> {
  const match = TABLE_API_PATH.exec(ctx.path);
  if (!match) {
    ctx.error(400, "Requested URI does not represent any resource", null, deps.extraHeaders);
    return;
  }
  const version = match[1] ?? null;
  const tableName = decodeURIComponent(match[2]);
  const sysId = match[3] === undefined ? null : decodeURIComponent(match[3]);
  if (tableName === USER_ROLE_TABLE && (ctx.method === "GET" || ctx.method === "HEAD")) {
    if (!deps.canRead(tableName)) {
      ctx.error(403, "Insufficient rights to query records", null, deps.extraHeaders);
      return;
    }
    handleUserRoles(ctx, deps.users(), deps.user, deps.extraHeaders);
    return;
  }
  const table = deps.dictionary.table(tableName);
  if (!table || !table.served) {
    ctx.error(400, `Invalid table ${tableName}`, null, deps.extraHeaders);
    return;
  }
  if (!deps.canRead(tableName)) {
    ctx.error(
      403,
      "Insufficient rights to query records",
      `Read access to table ${tableName} is not granted to this user`,
      deps.extraHeaders,
    );
    return;
  }

  const query = ctx.query;
  const serialize: SerializeOptions = {
    fields: selectFields(table.fields, query.get("sysparm_fields")),
    display: displayMode(query.get("sysparm_display_value")),
    excludeReferenceLink: query.get("sysparm_exclude_reference_link") === "true",
    baseUrl: ctx.baseUrl,
    timeZone: deps.timeZone,
    referenceDisplay: referenceDisplayLookup(deps),
  };
  const hidden = deps.aclHidden(tableName);
  if (ctx.method !== "GET" && ctx.method !== "HEAD") {
    // Users without a writer role get the ACL refusal of a table_read-scoped integration.
    await handleTableWrite(
      ctx,
      { store: deps.store, writer: deps.user, now: deps.now, extraHeaders: deps.extraHeaders },
      table,
      sysId,
      serialize,
    );
    return;
  }

  if (sysId !== null) {
    const record = deps.store.get(tableName, sysId);
    if (!record || hidden?.(record)) {
      ctx.error(
        404,
        "No Record found",
        "Record doesn't exist or ACL restricts the record retrieval",
        deps.extraHeaders,
      );
      return;
    }
    ctx.json(200, { result: serializeRecord(record, serialize) }, deps.extraHeaders);
    return;
  }

  const limitParam = nonNegativeInt(query.get("sysparm_limit"), DEFAULT_LIMIT);
  const limit = limitParam > 0 ? limitParam : DEFAULT_LIMIT;
  const offset = nonNegativeInt(query.get("sysparm_offset"), 0);
  const noCount = query.get("sysparm_no_count") === "true";
  const noLink = query.get("sysparm_suppress_pagination_header") === "true";

  const compiled = compileQuery(parseEncodedQuery(query.get("sysparm_query") ?? ""), table, {
    timeZone: deps.timeZone,
  });
  const sorted = deps.store.sorted(tableName, compiled.sortKeys);
  const page = selectPage(sorted, compiled, { offset, limit, countAll: !noCount });
  // The limit is applied before ACLs: hidden records leave holes in the page.
  const visible = hidden ? page.rows.filter((record) => !hidden(record)) : page.rows;

  const headers: Record<string, string> = { ...deps.extraHeaders };
  if (!noCount && page.total !== null) {
    headers["X-Total-Count"] = String(page.total);
  }
  if (!noLink) {
    headers.Link = linkHeader(ctx.url, offset, limit, noCount ? null : page.total, page.hasMore);
  }
  if (version === "v1" && visible.length === 0) {
    ctx.error(
      404,
      "No Record found",
      "Records matching query not found. Check query parameter or offset parameter",
      headers,
    );
    return;
  }
  ctx.json(200, { result: visible.map((record) => serializeRecord(record, serialize)) }, headers);
}

function selectFields(all: readonly FieldDef[], param: string | null): readonly FieldDef[] {
  const names = (param ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) {
    return all;
  }
  // Unknown names are dropped without a word, as ServiceNow does.
  const byName = new Map(all.map((field) => [field.name, field]));
  const chosen = new Map<string, FieldDef>();
  for (const name of names) {
    const field = byName.get(name);
    if (field) {
      chosen.set(name, field);
    }
  }
  return [...chosen.values()];
}

function referenceDisplayLookup(deps: TableApiDeps): SerializeOptions["referenceDisplay"] {
  const cache = new Map<string, string | null>();
  return (table, sysId) => {
    const key = `${table}/${sysId}`;
    const cached = cache.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const candidates =
      table === TASK_TABLE ? deps.dictionary.taskTables : [deps.dictionary.table(table)];
    let display: string | null = null;
    for (const def of candidates) {
      const record = def ? deps.store.get(def.name, sysId) : undefined;
      if (def && record) {
        display = record[def.displayField] ?? "";
        break;
      }
    }
    cache.set(key, display);
    return display;
  };
}

function linkHeader(
  url: URL,
  offset: number,
  limit: number,
  total: number | null,
  hasMore: boolean,
): string {
  const link = (at: number, rel: string): string => {
    const target = new URL(url.toString());
    target.searchParams.set("sysparm_limit", String(limit));
    target.searchParams.set("sysparm_offset", String(at));
    return `<${target.toString()}>;rel="${rel}"`;
  };
  const links = [link(0, "first")];
  if (offset > 0) {
    links.push(link(Math.max(0, offset - limit), "prev"));
  }
  if (hasMore) {
    links.push(link(offset + limit, "next"));
  }
  if (total !== null) {
    links.push(link(total === 0 ? 0 : Math.floor((total - 1) / limit) * limit, "last"));
  }
  return links.join(",");
}
