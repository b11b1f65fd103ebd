import { randomBytes } from "node:crypto";

import {
  AUDIT_DELETE_TABLE,
  type Dictionary,
  DICTIONARY_TABLE,
  type FieldDef,
  type TableDef,
} from "./simulator.dictionary";
import { SimulatorError } from "./simulator.errors";
import { formatGlideDateTime, normaliseUtcInput } from "./simulator.time";

/** A stored record: every value a string, as ServiceNow returns them; "" means empty. */
export type SimRecord = Readonly<Record<string, string>>;

/** What callers may pass for a field; converted to the stored string form. */
export type FieldInput = string | number | boolean | Date | null | undefined;
export type FieldsInput = Readonly<Record<string, FieldInput>>;

/** One ORDER BY key. */
export interface SortKey {
  readonly field: FieldDef;
  readonly descending: boolean;
}

export type SortValue = string | number;

/** Told of every committed record write (the simulator's business rules listen here). */
export type StoreWriteObserver = (
  table: string,
  operation: "insert" | "update" | "delete",
  record: SimRecord,
) => void;

/** The value a field sorts and compares by: numbers for numeric fields, empty ones first. */
export function sortValue(field: FieldDef, raw: string | undefined): SortValue {
  if (field.compareAs === "number") {
    if (raw === undefined || raw === "") {
      return Number.NEGATIVE_INFINITY;
    }
    const n = Number(raw);
    return Number.isNaN(n) ? Number.NEGATIVE_INFINITY : n;
  }
  return raw ?? "";
}

export function compareSortValues(a: SortValue, b: SortValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MAX_SORT_CACHE_ENTRIES = 8;
const SYS_ID = /^[0-9a-zA-Z_-]{1,64}$/;

interface SortCacheEntry {
  readonly version: number;
  readonly rows: readonly SimRecord[];
}

/**
 * The records of every table, in memory. Lists sorted by an ORDER BY are cached per table and
 * dropped on the next write, so paging a large table does not re-sort it for every page.
 */
export class SimulatorStore {
  private readonly tables = new Map<string, Map<string, SimRecord>>();
  private readonly versions = new Map<string, number>();
  private readonly nextNumbers = new Map<string, number>();
  private readonly sortCache = new Map<string, Map<string, SortCacheEntry>>();
  private lastSecond = Number.NaN;
  private observer: StoreWriteObserver | null = null;
  private lastStamp = "";

  /** `table.element` pairs already in sys_dictionary. */
  private readonly described = new Set<string>();

  constructor(
    readonly dictionary: Dictionary,
    private readonly now: () => Date,
  ) {
    for (const table of dictionary.recordTables) {
      this.describe(table, table.fields);
    }
  }

  /** Adds sys_dictionary rows for fields not described yet (custom u_ fields appear on write). */
  private describe(table: TableDef, fields: readonly FieldDef[]): void {
    for (const row of this.dictionary.dictionaryRows(table, fields)) {
      const key = `${row.name}.${row.element}`;
      if (!this.described.has(key)) {
        this.described.add(key);
        this.insert(DICTIONARY_TABLE, row);
      }
    }
  }

  /** Calls `observer` after each insert, update and delete from now on (null: nobody). */
  observe(observer: StoreWriteObserver | null): void {
    this.observer = observer;
  }

  /** Inserts a record; sys_id, timestamps, number and sys_mod_count are assigned unless given. */
  insert(table: string, fields: FieldsInput): SimRecord {
    const def = this.tableDef(table);
    const rows = this.rows(table);
    const stamp = this.stamp();
    // Built in one pass, defaults first, so records of a table share a shape.
    const knownFields = def.fields.length;
    const record: Record<string, string> = { ...def.defaults, sys_id: "", sys_created_on: stamp };
    if (def.field("sys_updated_on")) {
      record.sys_updated_on = stamp;
    }
    this.normaliseInto(record, def, fields);
    const sysId = record.sys_id || randomBytes(16).toString("hex");
    if (!SYS_ID.test(sysId)) {
      throw new SimulatorError("INVALID_VALUE", `Invalid sys_id "${sysId}"`);
    }
    if (rows.has(sysId)) {
      throw new SimulatorError("DUPLICATE", `${table} already holds sys_id ${sysId}`);
    }
    record.sys_id = sysId;
    if (def.numbering) {
      record.number = this.assignNumber(def, def.numbering, record.number);
    }
    rows.set(sysId, record);
    this.touch(table);
    if (def.fields.length > knownFields && def.served && table !== DICTIONARY_TABLE) {
      this.describe(def, def.fields.slice(knownFields));
    }
    this.observer?.(table, "insert", record);
    return record;
  }

  /** Updates fields; sys_updated_on moves to the clock and sys_mod_count goes up by one. */
  update(table: string, sysId: string, fields: FieldsInput): SimRecord {
    const def = this.tableDef(table);
    const rows = this.rows(table);
    const current = rows.get(sysId);
    if (!current) {
      throw new SimulatorError("NOT_FOUND", `${table} has no record ${sysId}`);
    }
    const record: Record<string, string> = { ...current };
    if (def.field("sys_updated_on")) {
      record.sys_updated_on = this.stamp();
    }
    if (def.field("sys_mod_count")) {
      record.sys_mod_count = String(Number(current.sys_mod_count ?? "0") + 1);
    }
    const knownFields = def.fields.length;
    this.normaliseInto(record, def, fields);
    record.sys_id = sysId;
    rows.set(sysId, record);
    this.touch(table);
    if (def.fields.length > knownFields && def.served) {
      this.describe(def, def.fields.slice(knownFields));
    }
    this.observer?.(table, "update", record);
    return record;
  }

  /** Hard-deletes a record and, as an audited instance does, writes a sys_audit_delete row. */
  delete(table: string, sysId: string): boolean {
    const def = this.tableDef(table);
    const rows = this.rows(table);
    const current = rows.get(sysId);
    if (!current) {
      return false;
    }
    rows.delete(sysId);
    this.touch(table);
    this.observer?.(table, "delete", current);
    if (table !== AUDIT_DELETE_TABLE && def.served) {
      this.insert(AUDIT_DELETE_TABLE, {
        tablename: table,
        documentkey: sysId,
        display_value: current[def.displayField] ?? "",
      });
    }
    return true;
  }

  get(table: string, sysId: string): SimRecord | undefined {
    return this.tables.get(table)?.get(sysId);
  }

  all(table: string): SimRecord[] {
    this.tableDef(table);
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  /** First record whose field equals the value (small tables: users). */
  findBy(table: string, field: string, value: string): SimRecord | undefined {
    for (const record of this.tables.get(table)?.values() ?? []) {
      if (record[field] === value) {
        return record;
      }
    }
    return undefined;
  }

  /** The table sorted by the keys, ties in insertion order; cached until the next write. */
  sorted(table: string, keys: readonly SortKey[]): readonly SimRecord[] {
    const signature = keys.map((k) => `${k.field.name}:${k.descending ? "d" : "a"}`).join(",");
    const version = this.versions.get(table) ?? 0;
    let cache = this.sortCache.get(table);
    const hit = cache?.get(signature);
    if (hit && hit.version === version) {
      return hit.rows;
    }
    const records = this.all(table);
    const decorated = records.map((record, index) => ({
      record,
      index,
      values: keys.map((k) => sortValue(k.field, record[k.field.name])),
    }));
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const c = compareSortValues(a.values[i], b.values[i]);
        if (c !== 0) {
          return keys[i].descending ? -c : c;
        }
      }
      return a.index - b.index;
    });
    const rows = decorated.map((d) => d.record);
    if (!cache) {
      cache = new Map();
      this.sortCache.set(table, cache);
    }
    cache.delete(signature);
    cache.set(signature, { version, rows });
    if (cache.size > MAX_SORT_CACHE_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) {
        cache.delete(oldest);
      }
    }
    return rows;
  }

  tableDef(table: string): TableDef {
    const def = this.dictionary.table(table);
    if (!def) {
      throw new SimulatorError("UNKNOWN_TABLE", `Unknown table ${table}`);
    }
    return def;
  }

  /** The clock as a stored date-time, reused within a second (bulk inserts share it). */
  private stamp(): string {
    const second = Math.floor(this.now().getTime() / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.lastStamp = formatGlideDateTime(second * 1000);
    }
    return this.lastStamp;
  }

  private rows(table: string): Map<string, SimRecord> {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    return rows;
  }

  private touch(table: string): void {
    this.versions.set(table, (this.versions.get(table) ?? 0) + 1);
    this.sortCache.delete(table);
  }

  private assignNumber(
    def: TableDef,
    [prefix, first]: readonly [string, number],
    given: string | undefined,
  ): string {
    const next = this.nextNumbers.get(def.name) ?? first;
    if (given) {
      // A given number moves the counter past it, so later records never collide with it.
      const match = new RegExp(`^${prefix}(\\d+)$`).exec(given);
      if (match && Number(match[1]) >= next) {
        this.nextNumbers.set(def.name, Number(match[1]) + 1);
      }
      return given;
    }
    this.nextNumbers.set(def.name, next + 1);
    return `${prefix}${String(next).padStart(7, "0")}`;
  }

  private normaliseInto(record: Record<string, string>, def: TableDef, fields: FieldsInput): void {
    for (const name in fields) {
      const field = def.accept(name);
      if (!field) {
        throw new SimulatorError("UNKNOWN_FIELD", `${def.name} has no field ${name}`);
      }
      record[name] = normaliseValue(def.name, field, fields[name]);
    }
  }
}

function normaliseValue(table: string, field: FieldDef, input: FieldInput): string {
  if (typeof input === "string") {
    return input === "" || field.type === "string" || field.type === "reference"
      ? input
      : normaliseText(table, field, input);
  }
  if (input === null || input === undefined) {
    return "";
  }
  if (typeof input === "boolean") {
    return input ? "true" : "false";
  }
  if (input instanceof Date) {
    const text = formatGlideDateTime(input.getTime());
    return field.type === "date" ? text.slice(0, 10) : text;
  }
  return normaliseText(table, field, String(input));
}

function normaliseText(table: string, field: FieldDef, text: string): string {
  if (field.type === "date_time" || field.type === "due_date") {
    const normalised = normaliseUtcInput(text);
    if (normalised === null) {
      throw new SimulatorError(
        "INVALID_VALUE",
        `${table}.${field.name} wants "YYYY-MM-DD HH:MM:SS" (UTC), got "${text}"`,
      );
    }
    return normalised;
  }
  if (field.type === "integer" && !/^-?\d+$/.test(text)) {
    throw new SimulatorError("INVALID_VALUE", `${table}.${field.name} wants an integer`);
  }
  return text;
}
