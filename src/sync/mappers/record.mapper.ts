import { type EncodedQuery, query, type RawRecord, SERVICENOW_TABLES } from "../../servicenow";
import type { ColumnDescriptor, TableDescriptor } from "../../table-model/table.descriptor";
import type { MapContext, MappedRow, TableMapper } from "../sync-table";
import { type MappedTable, RecordReader } from "./record.reader";

/** Properties `RecordReader.common` fills for every table (the cursor included). */
const COMMON_PROPERTIES: ReadonlySet<string> = new Set(["sysId", "sysCreatedOn", "sysUpdatedOn"]);

type ColumnValue = MappedRow[string];

/** Reads one typed column (and its label, when it has one) from a record into a row. */
type ColumnReader = (record: RecordReader, row: Record<string, ColumnValue>) => void;

/**
 * The sync of one described table: ask for its fields, map each column by its type (choice
 * and labelled integer labels included, a fallback field read when the main one is empty),
 * keep every other returned field in `attributes`, and restrict the rows read to its `scope`.
 * Pure: the readers are built once per table, `map` only reads the record it is given. Imports
 * neither TypeORM nor GraphQL, so the sync worker loads it cheaply.
 */
export function tableMapperOf(table: TableDescriptor): TableMapper {
  const spec = SERVICENOW_TABLES[table.name];
  if (spec === undefined) {
    throw new RangeError(`${table.name} is not in SERVICENOW_TABLES`);
  }
  const mapped: MappedTable = {
    spec,
    columns: columnsOf(table),
    labelledFields: table.columns
      .filter((column) => column.label !== undefined)
      .map((column) => column.field),
  };
  const readers = table.columns
    .filter((column) => !COMMON_PROPERTIES.has(column.property))
    .map((column) => columnReaderOf(table, column));
  const derivedColumns = Object.fromEntries(
    table.columns.flatMap((column) =>
      column.label === undefined ? [] : [[column.field, [column.label.property]] as const],
    ),
  );
  const scope = scopeOf(table);
  return {
    spec,
    columns: mapped.columns,
    ...(Object.keys(derivedColumns).length > 0 ? { derivedColumns } : {}),
    map(raw: RawRecord, context: MapContext): MappedRow {
      const record = new RecordReader(mapped, raw);
      const row: Record<string, ColumnValue> = { ...record.common(context) };
      for (const read of readers) {
        read(record, row);
      }
      return row as MappedRow;
    },
    ...(scope === null ? {} : { scope: () => scope }),
  };
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

function columnReaderOf(table: TableDescriptor, column: ColumnDescriptor): ColumnReader {
  const { field, property, label } = column;
  const value = valueReaderOf(table, column);
  if (label === undefined) {
    return (record, row) => {
      row[property] = value(record);
    };
  }
  const defaults = label.defaults;
  const defaultLabel = (raw: string): string | null =>
    Object.hasOwn(defaults, raw) ? (defaults[raw] ?? null) : null;
  return (record, row) => {
    row[property] = value(record);
    row[label.property] = record.label(field, defaultLabel);
  };
}

function valueReaderOf(
  table: TableDescriptor,
  column: ColumnDescriptor,
): (record: RecordReader) => ColumnValue {
  const { field, fallback } = column;
  if (column.required && column.type !== "text" && column.type !== "dateTime") {
    // The reader only knows required text and date-times; say so where the table is declared.
    throw new RangeError(`${table.name}.${field}: only text and date-time columns can be required`);
  }
  switch (column.type) {
    case "text":
    case "choice":
      // A choice keeps its raw value; the enum is computed from it and the label read beside it.
      return column.required
        ? (record) => record.requiredText(field)
        : (record) => record.text(field);
    case "integer":
      return (record) => record.int(field);
    case "boolean":
      return (record) => record.boolean(field);
    case "dateTime":
      return column.required
        ? (record) => record.requiredDateTime(field)
        : (record) => record.dateTime(field);
    case "reference":
      return fallback === undefined
        ? (record) => record.reference(field)
        : (record) => record.reference(field) ?? record.reference(fallback.field);
  }
}

/** The descriptor's `field=value` conditions as an encoded query; null when it reads every row. */
function scopeOf(table: TableDescriptor): EncodedQuery | null {
  const conditions = Object.entries(table.scope ?? {});
  if (conditions.length === 0) {
    return null;
  }
  return conditions.reduce((scope, [field, value]) => scope.where(field, "=", value), query());
}
