import {
  isServiceNowError,
  type RawRecord,
  type RawValue,
  readBoolean,
  readDateTime,
  readDisplayValue,
  readInt,
  readOptionalValue,
  readReference,
  readValue,
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
/** Date-times, dates, times and durations: their display is the same value in the user's zone. */
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const FORMATTED_NUMBER = /^[-+]?[\d.,'\s]+$/;

/**
 * Reads one raw Table API record for one table, in either shape (`sysparm_display_value=false`
 * or `all`): typed values through the value readers, with any unreadable value turned into a
 * `MappingError` that names the table, sys_id and field. Pure: no I/O, no clock.
 */
export class RecordReader {
  readonly sysId: string;

  constructor(
    private readonly table: MappedTable,
    private readonly raw: RawRecord,
  ) {
    this.sysId = this.readSysId();
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
    return this.read(field, readDateTime, 'a UTC date-time ("YYYY-MM-DD HH:MM:SS")');
  }

  int(field: string): number | null {
    return this.read(field, readInt, "an integer");
  }

  boolean(field: string): boolean | null {
    return this.read(field, readBoolean, '"true" or "false"');
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
      throw this.missing(field);
    }
    return value;
  }

  requiredDateTime(field: string): Date {
    const value = this.dateTime(field);
    if (value === null) {
      throw this.missing(field);
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
    const { columns } = this.table;
    const labelled = new Set(this.table.labelledFields ?? []);
    const entries: [string, string][] = [];
    for (const field of Object.keys(this.raw)) {
      if (field === "sys_id") {
        continue;
      }
      const raw = this.value(field);
      if (!Object.hasOwn(columns, field)) {
        entries.push([field, readValue(raw)]);
      }
      const display = labelled.has(field) ? null : referenceOrChoiceDisplay(raw);
      if (display !== null) {
        entries.push([`${field}.display`, display]);
      }
    }
    // fromEntries defines own properties, so no field name can reach the prototype.
    return Object.fromEntries(entries);
  }

  private readSysId(): string {
    const value = readOptionalValue(checkedValue(this.table.spec.name, null, this.raw, "sys_id"));
    if (value === null) {
      throw new MappingError({
        code: "MISSING_VALUE",
        table: this.table.spec.name,
        sysId: null,
        field: "sys_id",
        message: `A ${this.table.spec.name} record came without a sys_id`,
      });
    }
    if (!SYS_ID.test(value)) {
      throw new MappingError({
        code: "INVALID_VALUE",
        table: this.table.spec.name,
        sysId: null,
        field: "sys_id",
        message: `A ${this.table.spec.name} record has a malformed sys_id "${preview(value)}"`,
      });
    }
    return value;
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
        throw new MappingError({
          code: "INVALID_VALUE",
          table: this.table.spec.name,
          sysId: this.sysId,
          field,
          message: `${this.describe()}: ${field} is not ${expected}`,
        });
      }
      throw error;
    }
  }

  private missing(field: string): MappingError {
    return new MappingError({
      code: "MISSING_VALUE",
      table: this.table.spec.name,
      sysId: this.sysId,
      field,
      message: `${this.describe()} has no ${field}`,
    });
  }

  private describe(): string {
    return describe(this.table.spec.name, this.sysId);
  }
}

/** The raw value, checked to be one of the three shapes (JSON could hold anything). */
function checkedValue(
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

function describe(table: string, sysId: string | null): string {
  return sysId === null ? `A ${table} record` : `${table} record ${sysId}`;
}

/** The display value of a `{display_value, value}` pair; null for the other two shapes. */
function pairDisplay(raw: RawValue | undefined): string | null {
  return typeof raw === "object" && "display_value" in raw && typeof raw.display_value === "string"
    ? readDisplayValue(raw)
    : null;
}

/**
 * The payload carries no field types, so a reference or choice is recognised by what it is not:
 * a display value that differs from a non-empty value, other than a date-time, date or duration
 * (shown in the user's zone and format), a boolean or a number (shown in the user's language).
 */
function referenceOrChoiceDisplay(raw: RawValue | undefined): string | null {
  const display = pairDisplay(raw);
  const value = readValue(raw);
  if (display === null || value === "" || display === value) {
    return null;
  }
  if (DATE_LIKE.test(value) || value === "true" || value === "false") {
    return null;
  }
  if (NUMBER.test(value) && FORMATTED_NUMBER.test(display)) {
    return null;
  }
  return display;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
