import { createHash } from "node:crypto";

import { type FakeHandler, sendResult } from "./fake-instance.server";

/**
 * Just enough of the Table API to page against: AND terms, `^NQ` groups, `=`/`>`/`>=`/`<`/`<=` on
 * strings and date-times, ORDERBY, limit and offset applied before the ACL filter, and
 * X-Total-Count counted before ACLs. Unknown terms are ignored, as ServiceNow does.
 */

export type FakeRow = Record<string, string>;

export interface FakeTableOptions {
  readonly rows: readonly FakeRow[];
  /** sys_ids an ACL hides from the API user (removed after limit/offset). */
  readonly hidden?: ReadonlySet<string>;
  /** How the instance reads a date literal in a query, as a UTC epoch ms (default: as UTC). */
  readonly readLiteral?: (literal: string) => number;
  /** Return rows in reverse order, as if ORDERBY were ignored. */
  readonly ignoreOrder?: boolean;
}

const DATE_FIELDS = new Set(["sys_updated_on", "sys_created_on"]);
const TERM = /^([a-z0-9_.]+)(>=|<=|!=|>|<|=)(.*)$/i;

export function serveTable(options: FakeTableOptions): FakeHandler {
  const readLiteral = options.readLiteral ?? utcLiteral;
  return (request, response) => {
    const params = request.url.searchParams;
    const { groups, orderings } = parseQuery(params.get("sysparm_query") ?? "");
    const matched = options.rows.filter(
      (row) =>
        groups.length === 0 ||
        groups.some((terms) => terms.every((term) => term(row, readLiteral))),
    );
    const sorted = [...matched].sort((a, b) => {
      for (const { field, descending } of orderings) {
        const left = a[field] ?? "";
        const right = b[field] ?? "";
        const order = left < right ? -1 : left > right ? 1 : 0;
        if (order !== 0) {
          return descending ? -order : order;
        }
      }
      return 0;
    });
    if (options.ignoreOrder === true) {
      sorted.reverse();
    }
    const offset = Number(params.get("sysparm_offset") ?? "0");
    const limit = Number(params.get("sysparm_limit") ?? "10000");
    const fields = params.get("sysparm_fields")?.split(",");
    const page = sorted
      .slice(offset, offset + limit)
      .filter((row) => !(options.hidden?.has(row.sys_id ?? "") ?? false))
      .map((row) =>
        fields === undefined
          ? row
          : Object.fromEntries(fields.map((field) => [field, row[field] ?? ""])),
      );
    const headers: Record<string, string> =
      params.get("sysparm_no_count") === "true" ? {} : { "x-total-count": String(matched.length) };
    sendResult(response, page, headers);
  };
}

type Term = (row: FakeRow, readLiteral: (literal: string) => number) => boolean;

function parseQuery(encoded: string): {
  groups: Term[][];
  orderings: { field: string; descending: boolean }[];
} {
  const orderings: { field: string; descending: boolean }[] = [];
  const groups: Term[][] = [];
  for (const group of encoded === "" ? [] : encoded.split("^NQ")) {
    const terms: Term[] = [];
    for (const part of group.split("^")) {
      if (part.startsWith("ORDERBYDESC")) {
        orderings.push({ field: part.slice(11), descending: true });
      } else if (part.startsWith("ORDERBY")) {
        orderings.push({ field: part.slice(7), descending: false });
      } else {
        const term = parseTerm(part);
        if (term !== undefined) {
          terms.push(term);
        }
      }
    }
    if (terms.length > 0) {
      groups.push(terms);
    }
  }
  return { groups, orderings };
}

function parseTerm(text: string): Term | undefined {
  const match = TERM.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, field = "", operator = "", literal = ""] = match;
  return (row, readLiteral) => {
    const value = row[field];
    if (value === undefined) {
      return false;
    }
    const [left, right]: [number | string, number | string] = DATE_FIELDS.has(field)
      ? [utcLiteral(value), readLiteral(literal)]
      : [value, literal];
    switch (operator) {
      case "=":
        return left === right;
      case "!=":
        return left !== right;
      case ">":
        return left > right;
      case ">=":
        return left >= right;
      case "<":
        return left < right;
      default:
        return left <= right;
    }
  };
}

export function utcLiteral(literal: string): number {
  return Date.parse(`${literal.replace(" ", "T")}Z`);
}

/** A deterministic 32-hex-digit sys_id. */
export function sysIdFor(seed: string): string {
  return createHash("md5").update(seed).digest("hex");
}

/** `count` rows starting at `startIso`, `perSecond` rows sharing each second. */
export function makeRows(
  count: number,
  startIso: string,
  perSecond = 1,
  extra: FakeRow = {},
): FakeRow[] {
  const start = Date.parse(startIso);
  return Array.from({ length: count }, (_, index) => ({
    sys_id: sysIdFor(`${startIso}-${index}`),
    sys_updated_on: new Date(start + Math.floor(index / perSecond) * 1000)
      .toISOString()
      .slice(0, 19)
      .replace("T", " "),
    number: `INC${String(index).padStart(7, "0")}`,
    ...extra,
  }));
}
