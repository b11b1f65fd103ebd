import { EncodedQueryError } from "./servicenow.errors";
import type { RecordCursor } from "./servicenow.types";
import { assertTimeZone, formatServiceNowDateTime, queryLowerBound } from "./servicenow-datetime";

/**
 * A typed builder for `sysparm_query`. ServiceNow has no escape for `^` and silently ignores a
 * malformed term (returning the wrong rows, not an error), so every field name and value is
 * checked here and anything that could change the query's structure is refused.
 */

export type QueryOperator =
  "=" | "!=" | ">" | ">=" | "<" | "<=" | "LIKE" | "NOT LIKE" | "STARTSWITH" | "ENDSWITH";

export type QueryValue = string | number | boolean | Date;

const FIELD_NAME = /^[a-z0-9_.]+$/i;
const STRUCTURAL = /[\^\r\n]/;
// A value starting with `javascript:` is evaluated on the instance.
const SCRIPT_VALUE = /^\s*javascript:/i;
const OPERATORS: ReadonlySet<string> = new Set<QueryOperator>([
  "=",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "LIKE",
  "NOT LIKE",
  "STARTSWITH",
  "ENDSWITH",
]);

type Join = "^" | "^OR";

interface Term {
  readonly join: Join;
  readonly text: string;
}

export interface QueryOptions {
  /** The zone Date values are written in: the API user's `time_zone` (default UTC). */
  readonly timeZone?: string;
}

export class EncodedQuery {
  private constructor(
    private readonly groups: readonly (readonly Term[])[],
    private readonly orderings: readonly string[],
    readonly timeZone: string,
  ) {}

  static create(options: QueryOptions = {}): EncodedQuery {
    const timeZone = options.timeZone ?? "UTC";
    assertTimeZone(timeZone);
    return new EncodedQuery([[]], [], timeZone);
  }

  /** AND a condition onto the current group. */
  where(field: string, operator: QueryOperator, value: QueryValue): EncodedQuery {
    return this.append("^", condition(field, operator, this.encode(value)));
  }

  and(field: string, operator: QueryOperator, value: QueryValue): EncodedQuery {
    return this.where(field, operator, value);
  }

  /** OR a condition with the previous one (`^OR` binds tighter than `^`). */
  or(field: string, operator: QueryOperator, value: QueryValue): EncodedQuery {
    return this.append("^OR", condition(field, operator, this.encode(value)));
  }

  andIn(field: string, values: readonly QueryValue[]): EncodedQuery {
    return this.append("^", `${checkField(field)}IN${this.encodeList(values)}`);
  }

  andNotIn(field: string, values: readonly QueryValue[]): EncodedQuery {
    return this.append("^", `${checkField(field)}NOT IN${this.encodeList(values)}`);
  }

  orIn(field: string, values: readonly QueryValue[]): EncodedQuery {
    return this.append("^OR", `${checkField(field)}IN${this.encodeList(values)}`);
  }

  isEmpty(field: string): EncodedQuery {
    return this.append("^", `${checkField(field)}ISEMPTY`);
  }

  isNotEmpty(field: string): EncodedQuery {
    return this.append("^", `${checkField(field)}ISNOTEMPTY`);
  }

  /** `field=javascript:gs.getUserName()`: the API user's own name, resolved by the instance. */
  whereCurrentUserName(field: string): EncodedQuery {
    return this.append("^", `${checkField(field)}=javascript:gs.getUserName()`);
  }

  /** Start a new OR'ed group (`^NQ`). */
  newQuery(): EncodedQuery {
    const current = this.groups[this.groups.length - 1];
    if (current === undefined || current.length === 0) {
      throw new EncodedQueryError("INVALID_QUERY", "newQuery() needs a condition before it");
    }
    return new EncodedQuery([...this.groups, []], this.orderings, this.timeZone);
  }

  orderBy(field: string): EncodedQuery {
    return this.withOrdering(`ORDERBY${checkField(field)}`);
  }

  orderByDesc(field: string): EncodedQuery {
    return this.withOrdering(`ORDERBYDESC${checkField(field)}`);
  }

  get hasConditions(): boolean {
    return this.groups.some((group) => group.length > 0);
  }

  get hasOrdering(): boolean {
    return this.orderings.length > 0;
  }

  /** The `^NQ`-separated condition groups, each encoded, without ordering. */
  conditionGroups(): string[] {
    return this.groups.filter((group) => group.length > 0).map(encodeGroup);
  }

  toString(): string {
    return [this.conditionGroups().join("^NQ"), ...this.orderings]
      .filter((part) => part !== "")
      .join("^");
  }

  private append(join: Join, text: string): EncodedQuery {
    const current = this.groups[this.groups.length - 1] ?? [];
    if (join === "^OR" && current.length === 0) {
      throw new EncodedQueryError("INVALID_QUERY", "An OR condition needs a condition before it");
    }
    const groups = [...this.groups.slice(0, -1), [...current, { join, text }]];
    return new EncodedQuery(groups, this.orderings, this.timeZone);
  }

  private withOrdering(ordering: string): EncodedQuery {
    return new EncodedQuery(this.groups, [...this.orderings, ordering], this.timeZone);
  }

  private encode(value: QueryValue): string {
    return encodeValue(value, this.timeZone);
  }

  private encodeList(values: readonly QueryValue[]): string {
    if (values.length === 0) {
      throw new EncodedQueryError("INVALID_VALUE", "An IN list needs at least one value");
    }
    return values
      .map((value) => {
        const encoded = this.encode(value);
        if (encoded.includes(",")) {
          throw new EncodedQueryError(
            "INVALID_VALUE",
            `An IN value cannot contain a comma: "${preview(encoded)}"`,
          );
        }
        return encoded;
      })
      .join(",");
  }
}

/** A new, empty query. Date values are written in `timeZone` (default UTC). */
export function query(options: QueryOptions = {}): EncodedQuery {
  return EncodedQuery.create(options);
}

export interface KeysetQueryOptions {
  /** `sys_updated_on`, or `sys_created_on` for write-once tables. */
  readonly cursorField: string;
  /** The last record already handed out; absent for the first page. */
  readonly after?: RecordCursor;
  /** Conditions that select the rows (no ordering); repeated in every `^NQ` group. */
  readonly scope?: EncodedQuery;
  /** The API user's time zone: the zone ServiceNow reads date literals in. */
  readonly timeZone: string;
}

export interface KeysetQuery {
  readonly encodedQuery: string;
  /**
   * False when the cursor falls in a repeated (fall-back) hour: the query then starts before that
   * hour with `>=`, and rows at or before the cursor must be dropped by the caller.
   */
  readonly exact: boolean;
}

/**
 * `scope^c>T^NQscope^c=T^sys_id>ID^ORDERBYc^ORDERBYsys_id`: everything after the cursor in
 * (cursor field, sys_id) order, so many records sharing one second are neither skipped nor
 * repeated. The first page is `scope^ORDERBYc^ORDERBYsys_id`.
 */
export function keysetQuery(options: KeysetQueryOptions): KeysetQuery {
  const field = checkField(options.cursorField);
  const ordering = `ORDERBY${field}^ORDERBYsys_id`;
  const scopeGroups = scopeGroupsOf(options.scope);
  const { after } = options;
  if (after === undefined) {
    return { encodedQuery: joinGroups(scopeGroups, [], ordering), exact: true };
  }
  const bound = queryLowerBound(after.timestamp, options.timeZone);
  const keyset = bound.exact
    ? [`${field}>${bound.literal}`, `${field}=${bound.literal}^sys_id>${checkSysId(after.sysId)}`]
    : [`${field}>=${bound.literal}`];
  return { encodedQuery: joinGroups(scopeGroups, keyset, ordering), exact: bound.exact };
}

export interface SysIdKeysetQueryOptions {
  readonly after?: string;
  readonly scope?: EncodedQuery;
}

/** `scope^sys_id>X^ORDERBYsys_id`: walks a table's sys_ids for reconciliation, no offsets. */
export function sysIdKeysetQuery(options: SysIdKeysetQueryOptions): string {
  const keyset = options.after === undefined ? [] : [`sys_id>${checkSysId(options.after)}`];
  return joinGroups(scopeGroupsOf(options.scope), keyset, "ORDERBYsys_id");
}

function scopeGroupsOf(scope: EncodedQuery | undefined): string[] {
  if (scope === undefined) {
    return [];
  }
  if (scope.hasOrdering) {
    throw new EncodedQueryError(
      "INVALID_QUERY",
      "A keyset scope cannot carry its own ordering: the keyset orders by cursor and sys_id",
    );
  }
  return scope.conditionGroups();
}

/** Every scope group AND every keyset group, distributed so `^NQ` keeps its meaning. */
function joinGroups(scopeGroups: readonly string[], keyset: readonly string[], ordering: string) {
  const scopes = scopeGroups.length > 0 ? scopeGroups : [""];
  const keys = keyset.length > 0 ? keyset : [""];
  const groups: string[] = [];
  for (const scope of scopes) {
    for (const key of keys) {
      groups.push([scope, key].filter((part) => part !== "").join("^"));
    }
  }
  return [groups.filter((group) => group !== "").join("^NQ"), ordering]
    .filter((part) => part !== "")
    .join("^");
}

function condition(field: string, operator: QueryOperator, value: string): string {
  if (!OPERATORS.has(operator)) {
    throw new EncodedQueryError("INVALID_QUERY", `Unknown operator "${preview(operator)}"`);
  }
  return `${checkField(field)}${operator}${value}`;
}

function encodeGroup(group: readonly Term[]): string {
  return group
    .map((term, index) => (index === 0 ? term.text : `${term.join}${term.text}`))
    .join("");
}

function checkField(field: string): string {
  if (!FIELD_NAME.test(field)) {
    throw new EncodedQueryError(
      "INVALID_FIELD",
      `"${preview(field)}" is not a ServiceNow field name (letters, digits, _ and . only)`,
    );
  }
  return field;
}

function checkSysId(sysId: string): string {
  if (!/^[a-z0-9_]+$/i.test(sysId)) {
    throw new EncodedQueryError("INVALID_VALUE", `"${preview(sysId)}" is not a sys_id`);
  }
  return sysId;
}

function encodeValue(value: QueryValue, timeZone: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new EncodedQueryError("INVALID_VALUE", "A date value is not a valid Date");
    }
    return formatServiceNowDateTime(value, timeZone);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new EncodedQueryError("INVALID_VALUE", `A number value must be finite, not ${value}`);
    }
    return String(value);
  }
  if (typeof value === "boolean") {
    return value ? "true" : "false";
  }
  if (STRUCTURAL.test(value)) {
    throw new EncodedQueryError(
      "INVALID_VALUE",
      `A query value cannot contain "^" or a line break: "${preview(value)}"`,
    );
  }
  if (SCRIPT_VALUE.test(value)) {
    throw new EncodedQueryError("INVALID_VALUE", "A query value cannot start with javascript:");
  }
  return value;
}

function preview(text: string): string {
  const flat = text.replace(/[\r\n]/g, " ");
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}
