import type { ParsedQuery, QueryCondition, QueryOperator } from "./encoded-query.parser";
import type { FieldDef, TableDef } from "./simulator.dictionary";
import {
  compareSortValues,
  type SimRecord,
  type SortKey,
  type SortValue,
  sortValue,
} from "./simulator.store";
import { formatGlideDateTime, parseWallClock, wallClockToUtc } from "./simulator.time";

/**
 * Turns a parsed encoded query into a record predicate for one table. Like ServiceNow, a term on a
 * field the table does not have, or with a value the field cannot hold, is dropped silently.
 * Date-time literals are read in the API user's time zone; stored values are UTC. Empty values
 * behave as SQL NULLs: no comparison, IN or != matches them.
 */

export interface CompileOptions {
  /** IANA zone the date-time literals are written in (the API user's). */
  readonly timeZone: string;
}

/** One end of a range on a sort key. */
export interface Bound {
  readonly value: SortValue;
  /** > or < rather than >= or <=. */
  readonly strict: boolean;
}

/** A range of the first sort key. */
export interface KeyRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
}

export interface CompiledQuery {
  readonly matches: (record: SimRecord) => boolean;
  readonly sortKeys: readonly SortKey[];
  /** Outside this range of the first sort key no record can match: scans start late, stop early. */
  readonly range: KeyRange;
  /**
   * ^NQ groups that are nothing but a range on the first sort key (the `sys_updated_on>T` half of
   * a keyset query): every record inside matches, so counting can jump over them.
   */
  readonly pureRanges: readonly KeyRange[];
  /** Terms dropped: unreadable, unknown field, or a value the field cannot hold. */
  readonly ignoredTerms: readonly string[];
}

type Test = (record: SimRecord) => boolean;

interface CompiledCondition {
  readonly test: Test;
  readonly field: FieldDef;
  readonly lower?: Bound;
  readonly upper?: Bound;
}

const DATE_GENERATE = /^javascript:gs\.dateGenerate\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)$/;

/** A date-time literal in the user's zone → stored UTC text; null when it is not a date-time. */
export function dateTimeLiteralToUtc(literal: string, timeZone: string): string | null {
  let text = literal.trim();
  const generated = DATE_GENERATE.exec(text);
  if (generated) {
    const time =
      generated[2] === "start" ? "00:00:00" : generated[2] === "end" ? "23:59:59" : generated[2];
    text = `${generated[1]} ${time}`;
  }
  const wall = parseWallClock(text);
  return wall === null ? null : formatGlideDateTime(wallClockToUtc(timeZone, wall));
}

function literalValue(field: FieldDef, literal: string, timeZone: string): SortValue | null {
  switch (field.compareAs) {
    case "number": {
      const n = Number(literal);
      return literal.trim() === "" || !Number.isFinite(n) ? null : n;
    }
    case "datetime":
      return dateTimeLiteralToUtc(literal, timeZone);
    case "string":
      return literal === "" ? null : literal;
  }
}

type Comparison = "=" | "!=" | ">" | ">=" | "<" | "<=";

/** A comparison against one literal; empty values never match. Typed per field kind for speed. */
function comparisonTest(field: FieldDef, op: Comparison, lit: SortValue): Test {
  const name = field.name;
  if (typeof lit === "number") {
    const num = (r: SimRecord): number => {
      const v = r[name];
      return v === undefined || v === "" ? Number.NaN : Number(v);
    };
    switch (op) {
      case "=":
        return (r) => num(r) === lit;
      case "!=":
        return (r) => {
          const n = num(r);
          return !Number.isNaN(n) && n !== lit;
        };
      case ">":
        return (r) => num(r) > lit;
      case ">=":
        return (r) => num(r) >= lit;
      case "<":
        return (r) => num(r) < lit;
      case "<=":
        return (r) => num(r) <= lit;
    }
  }
  switch (op) {
    case "=":
      return (r) => r[name] === lit;
    case "!=":
      return (r) => {
        const v = r[name];
        return v !== undefined && v !== "" && v !== lit;
      };
    case ">":
      return (r) => {
        const v = r[name];
        return v !== undefined && v !== "" && v > lit;
      };
    case ">=":
      return (r) => {
        const v = r[name];
        return v !== undefined && v !== "" && v >= lit;
      };
    case "<":
      return (r) => {
        const v = r[name];
        return v !== undefined && v !== "" && v < lit;
      };
    case "<=":
      return (r) => {
        const v = r[name];
        return v !== undefined && v !== "" && v <= lit;
      };
  }
}

function isComparison(op: QueryOperator): op is Comparison {
  return op === "=" || op === "!=" || op === ">" || op === ">=" || op === "<" || op === "<=";
}

function compileCondition(
  condition: QueryCondition,
  field: FieldDef,
  timeZone: string,
): CompiledCondition | null {
  const name = field.name;
  const raw = (record: SimRecord): string => record[name] ?? "";
  const literal = condition.value;
  const op = condition.operator;
  if (isComparison(op)) {
    if (literal === "" && (op === "=" || op === "!=")) {
      return op === "="
        ? { field, test: (r) => raw(r) === "" }
        : { field, test: (r) => raw(r) !== "" };
    }
    const lit = literalValue(field, literal, timeZone);
    if (lit === null) {
      return null;
    }
    const test = comparisonTest(field, op, lit);
    switch (op) {
      case "=":
        return {
          field,
          test,
          lower: { value: lit, strict: false },
          upper: { value: lit, strict: false },
        };
      case ">":
      case ">=":
        return { field, test, lower: { value: lit, strict: op === ">" } };
      case "<":
      case "<=":
        return { field, test, upper: { value: lit, strict: op === "<" } };
      case "!=":
        return { field, test };
    }
  }
  switch (op) {
    case "ISEMPTY":
      return { field, test: (r) => raw(r) === "" };
    case "ISNOTEMPTY":
      return { field, test: (r) => raw(r) !== "" };
    case "ANYTHING":
      return { field, test: () => true };
    case "LIKE":
      return { field, test: (r) => raw(r).includes(literal) };
    case "NOT LIKE":
    case "NOTLIKE":
      return { field, test: (r) => !raw(r).includes(literal) };
    case "STARTSWITH":
      return { field, test: (r) => raw(r).startsWith(literal) };
    case "ENDSWITH":
      return { field, test: (r) => raw(r).endsWith(literal) };
    case "IN":
    case "NOT IN": {
      const items = literal
        .split(",")
        .filter((item) => item !== "")
        .map((item) => literalValue(field, item, timeZone))
        .filter((item): item is SortValue => item !== null);
      if (items.length === 0) {
        return null;
      }
      const set = new Set<SortValue>(items);
      const negate = op === "NOT IN";
      return {
        field,
        test: (r) => raw(r) !== "" && set.has(sortValue(field, r[name])) !== negate,
      };
    }
    case "BETWEEN": {
      const [from, to] = literal.split("@");
      const lower = from === undefined ? null : literalValue(field, from, timeZone);
      const upper = to === undefined ? null : literalValue(field, to, timeZone);
      if (lower === null || upper === null) {
        return null;
      }
      const atLeast = comparisonTest(field, ">=", lower);
      const atMost = comparisonTest(field, "<=", upper);
      return {
        field,
        lower: { value: lower, strict: false },
        upper: { value: upper, strict: false },
        test: (r) => atLeast(r) && atMost(r),
      };
    }
    default:
      return null;
  }
}

/** The tighter of two lower bounds (the larger value; strict wins a tie). */
function tighterLower(a: Bound | undefined, b: Bound): Bound {
  if (!a) {
    return b;
  }
  const c = compareSortValues(a.value, b.value);
  return c > 0 ? a : c < 0 ? b : { value: a.value, strict: a.strict || b.strict };
}

function tighterUpper(a: Bound | undefined, b: Bound): Bound {
  if (!a) {
    return b;
  }
  const c = compareSortValues(a.value, b.value);
  return c < 0 ? a : c > 0 ? b : { value: a.value, strict: a.strict || b.strict };
}

/** The looser of two bounds, as inclusive: undefined (unbounded) wins. */
function looser(
  a: Bound | undefined,
  b: Bound | undefined,
  pick: (c: number) => boolean,
): Bound | undefined {
  if (!a || !b) {
    return undefined;
  }
  return { value: pick(compareSortValues(a.value, b.value)) ? a.value : b.value, strict: false };
}

export function compileQuery(
  parsed: ParsedQuery,
  table: TableDef,
  options: CompileOptions,
): CompiledQuery {
  const ignoredTerms = [...parsed.ignoredTerms];

  const sortKeys: SortKey[] = [];
  for (const order of parsed.orderBy) {
    const field = table.field(order.field);
    if (!field) {
      ignoredTerms.push(`ORDERBY${order.descending ? "DESC" : ""}${order.field}`);
    } else if (!sortKeys.some((key) => key.field.name === field.name)) {
      sortKeys.push({ field, descending: order.descending });
    }
  }
  const sysId = table.field("sys_id");
  if (sortKeys.length === 0 && sysId) {
    sortKeys.push({ field: sysId, descending: false });
  }
  const first = sortKeys[0]?.field.name;

  const groups: CompiledCondition[][][] = [];
  for (const group of parsed.groups) {
    const chains: CompiledCondition[][] = [];
    for (const chain of group) {
      const compiled: CompiledCondition[] = [];
      for (const condition of chain) {
        const field = table.field(condition.field);
        const result = field ? compileCondition(condition, field, options.timeZone) : null;
        if (result) {
          compiled.push(result);
        } else {
          ignoredTerms.push(condition.term);
        }
      }
      if (compiled.length > 0) {
        chains.push(compiled);
      }
    }
    groups.push(chains);
  }

  let lower: Bound | undefined;
  let upper: Bound | undefined;
  const pureRanges: KeyRange[] = [];
  groups.forEach((chains, index) => {
    let groupLower: Bound | undefined;
    let groupUpper: Bound | undefined;
    let pure = chains.length > 0;
    for (const chain of chains) {
      const [only] = chain;
      if (chain.length === 1 && only.field.name === first && (only.lower || only.upper)) {
        if (only.lower) {
          groupLower = tighterLower(groupLower, only.lower);
        }
        if (only.upper) {
          groupUpper = tighterUpper(groupUpper, only.upper);
        }
      } else {
        pure = false;
      }
    }
    // A lower bound keeps empty values (which sort first) out of the range.
    if (pure && groupLower) {
      pureRanges.push({ lower: groupLower, upper: groupUpper });
    }
    lower = index === 0 ? groupLower : looser(lower, groupLower, (c) => c <= 0);
    upper = index === 0 ? groupUpper : looser(upper, groupUpper, (c) => c >= 0);
  });

  const matchAll = groups.some((chains) => chains.length === 0);
  const matches: Test = matchAll
    ? () => true
    : (record) => {
        for (const chains of groups) {
          let all = true;
          for (const chain of chains) {
            let any = false;
            for (const condition of chain) {
              if (condition.test(record)) {
                any = true;
                break;
              }
            }
            if (!any) {
              all = false;
              break;
            }
          }
          if (all) {
            return true;
          }
        }
        return false;
      };

  return {
    matches,
    sortKeys,
    range: matchAll ? {} : { lower, upper },
    pureRanges: matchAll ? [] : pureRanges,
    ignoredTerms,
  };
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
  /** Count every match (X-Total-Count); otherwise stop one match past the page. */
  readonly countAll: boolean;
}

export interface PageResult {
  readonly rows: readonly SimRecord[];
  /** Matches before ACLs, when counted. */
  readonly total: number | null;
  readonly hasMore: boolean;
}

/** First index in [0, n) where the monotone predicate turns true (n when never). */
function firstTrue(n: number, predicate: (index: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (predicate(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

function aboveLower(value: SortValue, bound: Bound): boolean {
  const c = compareSortValues(value, bound.value);
  return bound.strict ? c > 0 : c >= 0;
}

function belowUpper(value: SortValue, bound: Bound): boolean {
  const c = compareSortValues(value, bound.value);
  return bound.strict ? c < 0 : c <= 0;
}

/** Indices [start, end) of the sorted rows whose first key lies in the range. */
function indexRange(
  n: number,
  at: (index: number) => SortValue,
  descending: boolean,
  range: KeyRange,
): [number, number] {
  const { lower, upper } = range;
  // Ascending: "above lower" holds on a suffix, "below upper" on a prefix; descending: reversed.
  const start = descending
    ? upper
      ? firstTrue(n, (i) => belowUpper(at(i), upper))
      : 0
    : lower
      ? firstTrue(n, (i) => aboveLower(at(i), lower))
      : 0;
  const end = descending
    ? lower
      ? firstTrue(n, (i) => !aboveLower(at(i), lower))
      : n
    : upper
      ? firstTrue(n, (i) => !belowUpper(at(i), upper))
      : n;
  return [start, Math.max(start, end)];
}

/**
 * One page of a query over rows already sorted by its keys: binary-searches to the range of the
 * first key, stops once the page is full (or, when counting, jumps over ranges that all match).
 */
export function selectPage(
  sorted: readonly SimRecord[],
  query: CompiledQuery,
  page: PageRequest,
): PageResult {
  const n = sorted.length;
  const key = query.sortKeys[0];
  let start = 0;
  let end = n;
  const jumps: [number, number][] = [];
  if (key) {
    const at = (index: number): SortValue => sortValue(key.field, sorted[index][key.field.name]);
    [start, end] = indexRange(n, at, key.descending, query.range);
    for (const range of query.pureRanges) {
      const [s, e] = indexRange(n, at, key.descending, range);
      if (e > s) {
        jumps.push([s, e]);
      }
    }
    jumps.sort((a, b) => a[0] - b[0]);
  }
  const rows: SimRecord[] = [];
  let matched = 0;
  let hasMore = false;
  let next = 0;
  for (let i = start; i < end; i++) {
    while (next < jumps.length && jumps[next][1] <= i) {
      next++;
    }
    const jump = next < jumps.length && jumps[next][0] <= i ? jumps[next] : null;
    if (jump) {
      // Every row up to jump[1] matches: skip the offset or count the rest without testing.
      const span = jump[1] - i;
      const full = rows.length >= page.limit;
      if (full || matched + span <= page.offset) {
        if (full) {
          hasMore = true;
          if (!page.countAll) {
            break;
          }
        }
        matched += span;
        i = jump[1] - 1;
        continue;
      }
    } else if (!query.matches(sorted[i])) {
      continue;
    }
    matched++;
    if (matched <= page.offset) {
      continue;
    }
    if (rows.length < page.limit) {
      rows.push(sorted[i]);
    } else {
      hasMore = true;
      if (!page.countAll) {
        break;
      }
    }
  }
  return { rows, total: page.countAll ? matched : null, hasMore };
}
