/**
 * Syntax of ServiceNow encoded queries (`sysparm_query`): `^` joins terms with AND, a term starting
 * with `OR` is OR'ed with the previous one, `^NQ` starts a new group OR'ed with the previous
 * groups, `ORDERBY<field>` / `ORDERBYDESC<field>` sort the whole result. This file only splits;
 * whether a field exists is decided against a table in the evaluator.
 */

export const QUERY_OPERATORS = [
  "ISNOTEMPTY",
  "ISEMPTY",
  "ANYTHING",
  "NOT IN",
  "NOT LIKE",
  "NOTLIKE",
  "STARTSWITH",
  "ENDSWITH",
  "BETWEEN",
  "LIKE",
  "IN",
  "!=",
  ">=",
  "<=",
  "=",
  ">",
  "<",
] as const;

export type QueryOperator = (typeof QUERY_OPERATORS)[number];

export interface QueryCondition {
  readonly field: string;
  readonly operator: QueryOperator;
  readonly value: string;
  /** The term as written, for diagnostics. */
  readonly term: string;
}

/** Conditions joined by ^OR: at least one must hold. */
export type OrChain = readonly QueryCondition[];

/** Chains joined by ^: all must hold. An empty group matches everything. */
export type QueryGroup = readonly OrChain[];

export interface QueryOrderBy {
  readonly field: string;
  readonly descending: boolean;
}

export interface ParsedQuery {
  /** Groups joined by ^NQ: a record matches when any group does. */
  readonly groups: readonly QueryGroup[];
  readonly orderBy: readonly QueryOrderBy[];
  /** Terms that could not be read at all; ServiceNow skips them without an error. */
  readonly ignoredTerms: readonly string[];
}

const FIELD_NAME = /^[a-z_][a-z0-9_.]*/;
/** Terms the Table API accepts but that do not filter (group-by, related-list queries, end mark). */
const NON_FILTER_TERM = /^(EQ|GROUPBY|RLQUERY|ENDRLQUERY|GOTO$)/;

/** Reads one term `field<operator>value`; null when it is not a term ServiceNow would understand. */
export function parseCondition(term: string): QueryCondition | null {
  const match = FIELD_NAME.exec(term);
  if (!match) {
    return null;
  }
  const field = match[0];
  const rest = term.slice(field.length);
  for (const operator of QUERY_OPERATORS) {
    if (rest.startsWith(operator)) {
      return { field, operator, value: rest.slice(operator.length), term };
    }
  }
  return null;
}

export function parseEncodedQuery(query: string): ParsedQuery {
  const groups: QueryGroup[] = [];
  const orderBy: QueryOrderBy[] = [];
  const ignoredTerms: string[] = [];
  for (const groupText of query.split("^NQ")) {
    const chains: QueryCondition[][] = [];
    let filters = false;
    for (const rawTerm of groupText.split("^")) {
      const term = rawTerm.trim();
      if (term === "") {
        continue;
      }
      if (term.startsWith("ORDERBYDESC")) {
        orderBy.push({ field: term.slice("ORDERBYDESC".length), descending: true });
        continue;
      }
      if (term.startsWith("ORDERBY")) {
        orderBy.push({ field: term.slice("ORDERBY".length), descending: false });
        continue;
      }
      if (NON_FILTER_TERM.test(term)) {
        continue;
      }
      filters = true;
      // Field names are lower case, so an upper-case OR prefix cannot be part of one.
      const isOr = term.startsWith("OR");
      const condition = parseCondition(isOr ? term.slice(2) : term);
      if (!condition) {
        ignoredTerms.push(term);
        continue;
      }
      const previous = chains[chains.length - 1];
      if (isOr && previous) {
        previous.push(condition);
      } else {
        chains.push([condition]);
      }
    }
    // A group holding only ORDERBY terms adds no condition; a group of unreadable terms matches all.
    if (filters) {
      groups.push(chains);
    }
  }
  return { groups: groups.length > 0 ? groups : [[]], orderBy, ignoredTerms };
}
