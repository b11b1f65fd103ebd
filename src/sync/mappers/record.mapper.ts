import {
  type EncodedQuery,
  isIntegerText,
  query,
  type RawRecord,
  type RawValue,
  SERVICENOW_TABLES,
  wallClockAsUtcMs,
} from "../../servicenow";
import type { ColumnDescriptor, TableDescriptor } from "../../table-model/table.descriptor";
import type { MapContext, MappedRow, TableMapper } from "../sync-table";
import {
  AttributesReader,
  checkedValue,
  EXPECTED_BOOLEAN,
  EXPECTED_DATE_TIME,
  EXPECTED_INTEGER,
  invalidValue,
  missingValue,
  pairDisplay,
  readSysId,
} from "./record.reader";

/** Properties every table's row starts with (the cursor included), read before the columns. */
const COMMON_PROPERTIES: ReadonlySet<string> = new Set(["sysId", "sysCreatedOn", "sysUpdatedOn"]);

type ColumnValue = MappedRow[string];

type StepKind =
  "text" | "requiredText" | "integer" | "boolean" | "dateTime" | "requiredDateTime" | "reference";

/**
 * One typed column of the plan, built once per table. Every step has the same shape (nulls
 * rather than absent keys), so the loop over them stays monomorphic.
 */
interface ColumnStep {
  readonly kind: StepKind;
  readonly field: string;
  readonly property: string;
  /** Read when `field` is empty (references only). */
  readonly fallback: string | null;
  /** The label column beside it, with ServiceNow's default labels by raw value. */
  readonly labelProperty: string | null;
  readonly defaultLabels: ReadonlyMap<string, string> | null;
}

/**
 * The sync of one described table: ask for its fields, map each column by its type (choice
 * and labelled integer labels included, a fallback field read when the main one is empty),
 * keep every other returned field in `attributes`, and restrict the rows read to its `scope`.
 * Pure: the plan (its steps, field sets, labels) is built once per table and `map` only reads
 * the record it is given, in one pass over its fields and one over the columns, with no
 * intermediate objects. Imports neither TypeORM nor GraphQL, so the sync worker loads it cheaply.
 */
export function tableMapperOf(table: TableDescriptor): TableMapper {
  const spec = SERVICENOW_TABLES[table.name];
  if (spec === undefined) {
    throw new RangeError(`${table.name} is not in SERVICENOW_TABLES`);
  }
  const name = spec.name;
  const columns = columnsOf(table);
  const attributes = new AttributesReader(
    name,
    new Set(Object.keys(columns)),
    new Set(
      table.columns.filter((column) => column.label !== undefined).map((column) => column.field),
    ),
  );
  const writeOnce = spec.cursorField === "sys_created_on";
  const steps = table.columns
    .filter((column) => !COMMON_PROPERTIES.has(column.property))
    .map((column) => stepOf(table, column));
  const template = rowTemplateOf(steps);
  const derivedColumns = Object.fromEntries(
    table.columns.flatMap((column) =>
      column.label === undefined ? [] : [[column.field, [column.label.property]] as const],
    ),
  );
  const scope = scopeOf(table);

  const requiredDateTime = (sysId: string, record: RawRecord, field: string): Date => {
    const value = valueOf(checkedValue(name, sysId, record, field));
    if (value === "") {
      throw missingValue(name, sysId, field);
    }
    const ms = wallClockAsUtcMs(value);
    if (ms === null) {
      throw invalidValue(name, sysId, field, EXPECTED_DATE_TIME);
    }
    return new Date(ms);
  };

  return {
    spec,
    columns,
    ...(Object.keys(derivedColumns).length > 0 ? { derivedColumns } : {}),
    map(raw: RawRecord, context: MapContext): MappedRow {
      const sysId = readSysId(name, raw);
      const sysCreatedOn = requiredDateTime(sysId, raw, "sys_created_on");
      // A write-once table (no sys_updated_on) is last updated when it was created.
      const sysUpdatedOn = writeOnce
        ? new Date(sysCreatedOn.getTime())
        : requiredDateTime(sysId, raw, "sys_updated_on");
      // A copy of the table's row shape: fast properties, the original key order, no
      // transitions while the columns are written.
      const row: Record<string, ColumnValue> = { ...template };
      row.integrationId = context.integrationId;
      row.sysId = sysId;
      row.sysCreatedOn = sysCreatedOn;
      row.sysUpdatedOn = sysUpdatedOn;
      // Checks the shape of every field the record carries: the steps read them unchecked.
      row.attributes = attributes.of(sysId, raw);
      row.syncedAt = context.syncedAt;
      for (const step of steps) {
        const rawValue = fieldOf(raw, step.field);
        const value = valueOf(rawValue);
        row[step.property] = columnValue(name, sysId, raw, step, value);
        if (step.labelProperty !== null) {
          row[step.labelProperty] =
            value === "" ? null : (pairDisplay(rawValue) ?? step.defaultLabels?.get(value) ?? null);
        }
      }
      return row as MappedRow;
    },
    ...(scope === null ? {} : { scope: () => scope }),
  };
}

/**
 * Every property of the table's rows, in the order they were always written (the record
 * columns, then each column and its label), as null. Built by `Object.fromEntries`, which
 * keeps fast properties where one-by-one keyed stores would turn a wide row into a dictionary.
 */
function rowTemplateOf(steps: readonly ColumnStep[]): Readonly<Record<string, null>> {
  const properties = [
    "integrationId",
    "sysId",
    "sysCreatedOn",
    "sysUpdatedOn",
    "attributes",
    "syncedAt",
  ];
  for (const step of steps) {
    properties.push(step.property);
    if (step.labelProperty !== null) {
      properties.push(step.labelProperty);
    }
  }
  return Object.fromEntries(properties.map((property) => [property, null]));
}

/** The typed value of one column; `value` is its field's raw value (`""` when absent). */
function columnValue(
  table: string,
  sysId: string,
  record: RawRecord,
  step: ColumnStep,
  value: string,
): ColumnValue {
  switch (step.kind) {
    case "text":
      return value === "" ? null : value;
    case "reference":
      if (value !== "" || step.fallback === null) {
        return value === "" ? null : value;
      }
      return valueOf(fieldOf(record, step.fallback)) || null;
    case "requiredText":
      if (value === "") {
        throw missingValue(table, sysId, step.field);
      }
      return value;
    case "integer":
      if (value === "") {
        return null;
      }
      if (!isIntegerText(value)) {
        throw invalidValue(table, sysId, step.field, EXPECTED_INTEGER);
      }
      return Number(value);
    case "boolean":
      if (value === "") {
        return null;
      }
      if (value === "true" || value === "false") {
        return value === "true";
      }
      throw invalidValue(table, sysId, step.field, EXPECTED_BOOLEAN);
    case "dateTime":
    case "requiredDateTime": {
      if (value === "") {
        if (step.kind === "requiredDateTime") {
          throw missingValue(table, sysId, step.field);
        }
        return null;
      }
      const ms = wallClockAsUtcMs(value);
      if (ms === null) {
        throw invalidValue(table, sysId, step.field, EXPECTED_DATE_TIME);
      }
      return new Date(ms);
    }
  }
}

/**
 * An own field of a record whose fields `attributesOf` has checked: a string, a `{value}`
 * object or undefined. Own only, so a field never reads Object.prototype.
 */
function fieldOf(record: RawRecord, field: string): RawValue | undefined {
  return Object.hasOwn(record, field) ? record[field] : undefined;
}

function valueOf(raw: RawValue | undefined): string {
  return typeof raw === "string" ? raw : raw === undefined ? "" : raw.value;
}

function stepOf(table: TableDescriptor, column: ColumnDescriptor): ColumnStep {
  const { field, property, label } = column;
  if (column.required && column.type !== "text" && column.type !== "dateTime") {
    // The plan only knows required text and date-times; say so where the table is declared.
    throw new RangeError(`${table.name}.${field}: only text and date-time columns can be required`);
  }
  return {
    kind: kindOf(column),
    field,
    property,
    fallback: column.type === "reference" ? (column.fallback?.field ?? null) : null,
    labelProperty: label?.property ?? null,
    defaultLabels: label === undefined ? null : new Map(Object.entries(label.defaults)),
  };
}

function kindOf(column: ColumnDescriptor): StepKind {
  switch (column.type) {
    case "text":
    case "choice":
      // A choice keeps its raw value; the enum is computed from it and the label read beside it.
      return column.required ? "requiredText" : "text";
    case "dateTime":
      return column.required ? "requiredDateTime" : "dateTime";
    case "integer":
    case "boolean":
    case "reference":
      return column.type;
  }
}

/**
 * ServiceNow field → property. A fallback field feeds its column's property too; a field that
 * feeds two columns (a write-once table's sys_created_on) is listed with the first.
 */
function columnsOf(table: TableDescriptor): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const column of table.columns) {
    columns[column.field] ??= column.property;
    if (column.fallback !== undefined) {
      columns[column.fallback.field] ??= column.property;
    }
  }
  return columns;
}

/** The descriptor's `field=value` conditions as an encoded query; null when it reads every row. */
function scopeOf(table: TableDescriptor): EncodedQuery | null {
  const conditions = Object.entries(table.scope ?? {});
  if (conditions.length === 0) {
    return null;
  }
  return conditions.reduce((scope, [field, value]) => scope.where(field, "=", value), query());
}
