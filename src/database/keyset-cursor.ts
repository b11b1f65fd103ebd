import { GatewayError } from "../common/gateway.error";

export type CursorValue = string | number | boolean | null;

/** What a cursor holds: the ordering it belongs to, the sort-key values and the row id. */
export interface DecodedCursor {
  readonly ordering: string;
  readonly values: readonly CursorValue[];
  readonly id: number | string;
}

export function encodeCursor(cursor: DecodedCursor): string {
  return Buffer.from(JSON.stringify([cursor.ordering, cursor.values, cursor.id])).toString(
    "base64url",
  );
}

/** Cursors are opaque to clients; anything we did not issue for this ordering is rejected. */
export function decodeCursor(
  raw: string,
  expectedOrdering: string,
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
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !Array.isArray(parsed[1]) ||
    !(typeof parsed[2] === "number" || typeof parsed[2] === "string")
  ) {
    throw invalid();
  }
  const [ordering, values, id] = parsed as [string, unknown[], number | string];
  if (ordering !== expectedOrdering) {
    throw GatewayError.badInput(
      field,
      `The cursor in ${field} was issued for another orderBy; restart paging without ${field}.`,
    );
  }
  if (
    !values.every(
      (value) => value === null || ["string", "number", "boolean"].includes(typeof value),
    )
  ) {
    throw invalid();
  }
  return { ordering, values: values as CursorValue[], id };
}
