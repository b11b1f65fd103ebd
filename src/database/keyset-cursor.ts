import { createHash } from "node:crypto";

import { GatewayError } from "../common/gateway.error";

export type CursorValue = string | number | boolean | null;

/**
 * What a cursor holds: the ordering it belongs to, the sort-key values, the row id and the
 * digest of the request it was issued for (see cursorScopeOf).
 */
export interface DecodedCursor {
  readonly ordering: string;
  readonly values: readonly CursorValue[];
  readonly id: number | string;
  readonly scope: string;
}

/** What a list request expects of the cursor in its `after`. */
export interface CursorExpectation {
  readonly ordering: string;
  readonly scope: string;
}

/** A JSON value in canonical form: object keys sorted, nothing undefined. */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly CanonicalValue[]).map(canonicalJson).join(",")}]`;
  }
  const entries = Object.keys(value)
    .sort()
    .map(
      (key) =>
        `${JSON.stringify(key)}:${canonicalJson((value as Record<string, CanonicalValue>)[key])}`,
    );
  return `{${entries.join(",")}}`;
}

/**
 * The digest a cursor carries of the request it pages: the table, the integrationId argument,
 * the filter (canonical: see canonicalFilterOf) and the ordering. 12 base64url characters of a
 * SHA-256 (72 bits): enough to tell requests apart, it is no secret and no signature.
 */
export function cursorScopeOf(scope: {
  readonly table: string;
  readonly integrationId: string | null | undefined;
  readonly filter: CanonicalValue;
  readonly ordering: string;
}): string {
  const canonical = canonicalJson({
    table: scope.table,
    integrationId: scope.integrationId ?? null,
    filter: scope.filter,
    ordering: scope.ordering,
  });
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 12);
}

const SCOPE_PATTERN = /^[A-Za-z0-9_-]{12}$/;

export function encodeCursor(cursor: DecodedCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.ordering, cursor.values, cursor.id, cursor.scope]),
  ).toString("base64url");
}

/** Cursors are opaque to clients; anything we did not issue for this request is rejected. */
export function decodeCursor(
  raw: string,
  expected: CursorExpectation,
  field = "after",
): DecodedCursor {
  const invalid = (): GatewayError =>
    GatewayError.badInput(
      field,
      `Invalid cursor for ${field}: pass the endCursor of a previous page of the same query and orderBy.`,
    );
  if (raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw invalid();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    (parsed.length !== 3 && parsed.length !== 4) ||
    typeof parsed[0] !== "string" ||
    !Array.isArray(parsed[1]) ||
    !(typeof parsed[2] === "number" || typeof parsed[2] === "string")
  ) {
    throw invalid();
  }
  if (parsed.length === 3) {
    // Issued before cursors carried their request's digest: it cannot be checked.
    throw GatewayError.badInput(
      field,
      `The cursor in ${field} was issued by an earlier version of the gateway; restart paging without ${field}.`,
    );
  }
  const [ordering, values, id, scope] = parsed as [string, unknown[], number | string, unknown];
  if (typeof scope !== "string" || !SCOPE_PATTERN.test(scope)) {
    throw invalid();
  }
  if (ordering !== expected.ordering) {
    throw GatewayError.badInput(
      field,
      `The cursor in ${field} was issued for another orderBy; restart paging without ${field}.`,
    );
  }
  if (scope !== expected.scope) {
    throw GatewayError.badInput(
      field,
      `The cursor in ${field} was issued for another filter or integrationId; pass the same filter and integrationId as for the page it came from, or restart paging without ${field}.`,
    );
  }
  if (
    !values.every(
      (value) => value === null || ["string", "number", "boolean"].includes(typeof value),
    )
  ) {
    throw invalid();
  }
  return { ordering, values: values as CursorValue[], id, scope };
}
