import {
  isServiceNowError,
  type RawRecord,
  type RawValue,
  readBoolean,
  readDateTime,
  readInt,
  readOptionalValue,
  readReference,
  type ServiceNowTableSpec,
} from "../../servicenow";
import type { MapContext, RecordColumns } from "../sync-table";
import { MappingError } from "./mapping.error";

/** What a reader needs to know about the table it reads for. */
export interface MappedTable {
  readonly spec: ServiceNowTableSpec;
  /** ServiceNow field → entity property; every other returned field goes to `attributes`. */
  readonly columns: Readonly<Record<string, string>>;
  /** Choice fields whose label has its own column (`stateLabel`): no `<field>.display` key. */
  readonly labelledFields?: readonly string[];
}

/** Keys `sysparm_query` can page on (see the keyset builder) and the sys_id column can hold. */
const SYS_ID = /^[0-9A-Za-z_]{1,32}$/;
const FORMATTED_NUMBER = /^[-+]?[\d.,'\s]+$/;

export const EXPECTED_DATE_TIME = 'a UTC date-time ("YYYY-MM-DD HH:MM:SS")';
export const EXPECTED_INTEGER = "an integer";
export const EXPECTED_BOOLEAN = '"true" or "false"';

/**
 * Reads one raw Table API record for one table, in either shape (`sysparm_display_value=false`
 * or `all`): typed values through the value readers, with any unreadable value turned into a
 * `MappingError` that names the table, sys_id and field. Pure: no I/O, no clock. The sync maps
 * through the per-table plan of `tableMapperOf`, which shares these rules and errors.
 */
export class RecordReader {
  readonly sysId: string;

  constructor(
    private readonly table: MappedTable,
    private readonly raw: RawRecord,
  ) {
    this.sysId = readSysId(table.spec.name, raw);
  }

  /** `""` → null. */
  text(field: string): string | null {
    return readOptionalValue(this.value(field));
  }

  /** The referenced sys_id, from a bare sys_id, `{link, value}` or a display pair. */
  reference(field: string): string | null {
    return readReference(this.value(field));
  }

  /** A UTC `YYYY-MM-DD HH:MM:SS` value; display values (the user's zone) are ignored. */
  dateTime(field: string): Date | null {
    return this.read(field, readDateTime, EXPECTED_DATE_TIME);
  }

  int(field: string): number | null {
    return this.read(field, readInt, EXPECTED_INTEGER);
  }

  boolean(field: string): boolean | null {
    return this.read(field, readBoolean, EXPECTED_BOOLEAN);
  }

  /**
   * A choice's label: the display value when the record carries one (`display_value=all`),
   * else ServiceNow's default label for a known value, else null. Unknown values never fail.
   */
  label(field: string, defaultLabel: (value: string) => string | null): string | null {
    const value = this.text(field);
    if (value === null) {
      return null;
    }
    return pairDisplay(this.value(field)) ?? defaultLabel(value);
  }

  /** A field the row cannot exist without. */
  requiredText(field: string): string {
    const value = this.text(field);
    if (value === null) {
      throw missingValue(this.table.spec.name, this.sysId, field);
    }
    return value;
  }

  requiredDateTime(field: string): Date {
    const value = this.dateTime(field);
    if (value === null) {
      throw missingValue(this.table.spec.name, this.sysId, field);
    }
    return value;
  }

  /**
   * integrationId, sysId, timestamps, attributes and syncedAt. A write-once table (cursor
   * `sys_created_on`, no `sys_updated_on`) is last updated when it was created.
   */
  common(context: MapContext): RecordColumns {
    const sysCreatedOn = this.requiredDateTime("sys_created_on");
    const sysUpdatedOn =
      this.table.spec.cursorField === "sys_created_on"
        ? new Date(sysCreatedOn.getTime())
        : this.requiredDateTime("sys_updated_on");
    return {
      integrationId: context.integrationId,
      sysId: this.sysId,
      sysCreatedOn,
      sysUpdatedOn,
      attributes: this.attributes(),
      syncedAt: context.syncedAt,
    };
  }

  /**
   * Every returned field without a column, as its raw value, plus `<field>.display` where a
   * reference or choice came with a display value of its own (the referenced record's name, a
   * choice label), so names survive without a join. Never sys_id.
   */
  attributes(): Record<string, string> {
    return new AttributesReader(
      this.table.spec.name,
      new Set(Object.keys(this.table.columns)),
      new Set(this.table.labelledFields ?? []),
    ).of(this.sysId, this.raw);
  }

  private value(field: string): RawValue | undefined {
    return checkedValue(this.table.spec.name, this.sysId, this.raw, field);
  }

  /**
   * The value through its reader. A value that does not read is named by its field only: the
   * message (stored on the sync run, logged) never quotes it, as it may be sensitive data.
   */
  private read<T>(field: string, reader: (raw: RawValue | undefined) => T, expected: string): T {
    const raw = this.value(field);
    try {
      return reader(raw);
    } catch (error) {
      if (isServiceNowError(error)) {
        throw invalidValue(this.table.spec.name, this.sysId, field, expected);
      }
      throw error;
    }
  }
}

/** The record's sys_id, checked to be one `sysparm_query` can page on. */
export function readSysId(table: string, record: RawRecord): string {
  const value = readOptionalValue(checkedValue(table, null, record, "sys_id"));
  if (value === null) {
    throw new MappingError({
      code: "MISSING_VALUE",
      table,
      sysId: null,
      field: "sys_id",
      message: `A ${table} record came without a sys_id`,
    });
  }
  if (!SYS_ID.test(value)) {
    throw new MappingError({
      code: "INVALID_VALUE",
      table,
      sysId: null,
      field: "sys_id",
      message: `A ${table} record has a malformed sys_id "${preview(value)}"`,
    });
  }
  return value;
}

/** What a field is to the attributes (bits), decided once per field, not per record. */
const SKIPPED = 1;
const HAS_COLUMN = 2;
const LABELLED = 4;

/**
 * `RecordReader.attributes` for one table, built once: besides the attributes it checks the
 * shape of every field a record carries, so the caller reads its columns unchecked. A table's
 * records list their fields in the same order, so what each field is (column, labelled choice,
 * its `.display` key) is remembered by position and looked up only where the order differs.
 * The attributes are assigned key by key, in the order `Object.fromEntries` gave them (a
 * repeated key keeps its first place and its last value); that costs a fifth of building the
 * entries.
 */
export class AttributesReader {
  // The last record's field order, with what each of its fields is and its display key.
  private readonly fields: string[] = [];
  private readonly kinds: number[] = [];
  private readonly displayKeys: string[] = [];

  constructor(
    private readonly table: string,
    private readonly columnFields: ReadonlySet<string>,
    private readonly labelledFields: ReadonlySet<string>,
  ) {}

  of(sysId: string, record: RawRecord): Record<string, string> {
    const attributes: Record<string, string> = {};
    const fields = Object.keys(record);
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index] as string;
      if (this.fields[index] !== field) {
        this.learn(index, field);
      }
      const kind = this.kinds[index] as number;
      if ((kind & SKIPPED) !== 0) {
        continue;
      }
      const raw: unknown = record[field];
      if (typeof raw === "string") {
        if ((kind & HAS_COLUMN) === 0) {
          setAttribute(attributes, field, raw);
        }
        continue;
      }
      const value = objectValue(raw);
      if (value === null) {
        // Throws the error naming the field; undefined (no value at all) reads as empty.
        checkedValue(this.table, sysId, record, field);
      }
      const text = value ?? "";
      if ((kind & HAS_COLUMN) === 0) {
        setAttribute(attributes, field, text);
      }
      if ((kind & LABELLED) === 0) {
        const display = referenceOrChoiceDisplay(raw as RawValue | undefined, text);
        if (display !== null) {
          setAttribute(attributes, this.displayKeys[index] as string, display);
        }
      }
    }
    return attributes;
  }

  private learn(index: number, field: string): void {
    this.fields[index] = field;
    this.kinds[index] =
      (field === "sys_id" ? SKIPPED : 0) |
      (this.columnFields.has(field) ? HAS_COLUMN : 0) |
      (this.labelledFields.has(field) ? LABELLED : 0);
    this.displayKeys[index] = `${field}.display`;
  }
}

/** Defines rather than assigns `__proto__`, so no field name can reach the prototype. */
function setAttribute(attributes: Record<string, string>, key: string, value: string): void {
  if (key === "__proto__") {
    Object.defineProperty(attributes, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    attributes[key] = value;
  }
}

/** `.value` of a `{value}` object; null for anything else (undefined included). */
function objectValue(raw: unknown): string | null {
  if (typeof raw === "object" && raw !== null) {
    const value = (raw as { readonly value?: unknown }).value;
    if (typeof value === "string") {
      return value;
    }
  }
  return null;
}

/** The raw value, checked to be one of the three shapes (JSON could hold anything). */
export function checkedValue(
  table: string,
  sysId: string | null,
  record: RawRecord,
  field: string,
): RawValue | undefined {
  const raw: unknown = Object.hasOwn(record, field) ? record[field] : undefined;
  if (raw === undefined || typeof raw === "string") {
    return raw;
  }
  if (typeof raw === "object" && raw !== null && "value" in raw && typeof raw.value === "string") {
    return raw as RawValue;
  }
  throw new MappingError({
    code: "INVALID_VALUE",
    table,
    sysId,
    field,
    message: `${describe(table, sysId)}: ${field} is neither a string nor a {value} object`,
  });
}

/** A value that does not read is named by its field only: it may be sensitive data. */
export function invalidValue(
  table: string,
  sysId: string,
  field: string,
  expected: string,
): MappingError {
  return new MappingError({
    code: "INVALID_VALUE",
    table,
    sysId,
    field,
    message: `${describe(table, sysId)}: ${field} is not ${expected}`,
  });
}

export function missingValue(table: string, sysId: string, field: string): MappingError {
  return new MappingError({
    code: "MISSING_VALUE",
    table,
    sysId,
    field,
    message: `${describe(table, sysId)} has no ${field}`,
  });
}

function describe(table: string, sysId: string | null): string {
  return sysId === null ? `A ${table} record` : `${table} record ${sysId}`;
}

/** The display value of a `{display_value, value}` pair; null for the other two shapes. */
export function pairDisplay(raw: RawValue | undefined): string | null {
  if (typeof raw !== "object") {
    return null;
  }
  const display = (raw as { readonly display_value?: unknown }).display_value;
  return typeof display === "string" && display !== "" ? display : null;
}

/**
 * The payload carries no field types, so a reference or choice is recognised by what it is not:
 * a display value that differs from a non-empty value, other than a date-time, date or duration
 * (shown in the user's zone and format), a boolean or a number (shown in the user's language).
 */
function referenceOrChoiceDisplay(raw: RawValue | undefined, value: string): string | null {
  const display = pairDisplay(raw);
  if (display === null || value === "" || display === value) {
    return null;
  }
  if (value === "true" || value === "false" || isDateLike(value)) {
    return null;
  }
  if (isDecimal(value) && FORMATTED_NUMBER.test(display)) {
    return null;
  }
  return display;
}

/**
 * Date-times, dates, times and durations (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`): their display
 * is the same value in the user's zone and format. Tested by character: it runs on every
 * reference and choice of every record.
 */
function isDateLike(value: string): boolean {
  if (value.length !== 10 && value.length !== 19) {
    return false;
  }
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const expected = DATE_TIME_PATTERN.charCodeAt(index);
    if (expected === DIGIT_PLACEHOLDER ? !isDigit(code) : code !== expected) {
      return false;
    }
  }
  return true;
}

const DATE_TIME_PATTERN = "0000-00-00 00:00:00";
const DIGIT_PLACEHOLDER = 0x30;

/** `-?\d+(\.\d+)?` in ASCII digits. */
function isDecimal(value: string): boolean {
  let index = value.charCodeAt(0) === 0x2d ? 1 : 0;
  const integerStart = index;
  while (index < value.length && isDigit(value.charCodeAt(index))) {
    index++;
  }
  if (index === integerStart) {
    return false;
  }
  if (index === value.length) {
    return true;
  }
  if (value.charCodeAt(index) !== 0x2e) {
    return false;
  }
  const fractionStart = ++index;
  while (index < value.length && isDigit(value.charCodeAt(index))) {
    index++;
  }
  return index > fractionStart && index === value.length;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
