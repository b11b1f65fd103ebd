import { readFileSync } from "node:fs";

import type { RawDisplayPair, RawRecord, RawValue } from "../../../src/servicenow";
import type { MapContext } from "../../../src/sync/sync-table";

/** Helpers for mapper specs: recorded payloads and the same record in the other shape. */

export const CONTEXT: MapContext = {
  integrationId: "0a1b2c3d-0000-4000-8000-0000000000aa",
  syncedAt: new Date("2026-02-03T04:05:06Z"),
};

/** The first (or only) record of a recorded response in test/fixtures/servicenow/. */
export function fixtureRecord(name: string): RawRecord {
  const path = `${__dirname}/../../fixtures/servicenow/${name}`;
  const body = JSON.parse(readFileSync(path, "utf8")) as { result: RawRecord | RawRecord[] };
  const record = Array.isArray(body.result) ? body.result[0] : body.result;
  if (record === undefined) {
    throw new Error(`${name} has no record`);
  }
  return record;
}

/** The stored value of any shape, written out here rather than borrowed from the code under test. */
export function storedValue(raw: RawValue): string {
  return typeof raw === "string" ? raw : raw.value;
}

/**
 * The record as `sysparm_display_value=false&sysparm_exclude_reference_link=true` returns it:
 * every field its stored value as a plain string (a reference is its bare sys_id).
 */
export function withoutDisplayValues(record: RawRecord): RawRecord {
  return Object.fromEntries(
    Object.entries(record).map(([field, raw]) => [field, storedValue(raw)]),
  );
}

/**
 * The record as `sysparm_display_value=all` returns it: every field a `{display_value, value}`
 * pair; the display is `displays[field]` when given, else the value itself.
 */
export function withDisplayValues(
  record: RawRecord,
  displays: Readonly<Record<string, string | null>> = {},
): RawRecord {
  return Object.fromEntries(
    Object.entries(record).map(([field, raw]): [string, RawDisplayPair] => {
      const value = storedValue(raw);
      const display = Object.hasOwn(displays, field) ? (displays[field] ?? null) : value;
      return [field, { display_value: display, value }];
    }),
  );
}

/** A row without the JSON column, to compare typed columns only. */
export function typedColumns<R extends { attributes: unknown }>(row: R): Omit<R, "attributes"> {
  const { attributes: _attributes, ...typed } = row;
  return typed;
}
