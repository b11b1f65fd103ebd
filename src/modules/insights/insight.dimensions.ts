import type { ColumnDescriptor, TableDescriptor } from "../../table-model/table.descriptor";
import { tableNamed } from "../../tables";

/** Where a dimension's label comes from. */
export type DimensionLabel =
  /** The label column stored beside the value (stateLabel), else the descriptor's default. */
  | {
      readonly kind: "column";
      readonly property: string;
      readonly defaults: Readonly<Record<string, string>>;
    }
  /** The referenced record's display property (a group's or user's name). */
  | { readonly kind: "reference"; readonly table: TableDescriptor; readonly property: string }
  | { readonly kind: "none" };

export interface Dimension {
  /** The enum member, e.g. ASSIGNMENT_GROUP: the ServiceNow field in capitals. */
  readonly name: string;
  readonly column: ColumnDescriptor;
  readonly label: DimensionLabel;
}

function labelOf(column: ColumnDescriptor): DimensionLabel {
  if (column.label !== undefined) {
    return { kind: "column", property: column.label.property, defaults: column.label.defaults };
  }
  if (column.type === "reference" && column.relation !== undefined && column.references) {
    const target = tableNamed(column.references);
    if (target.displayProperty !== undefined) {
      return { kind: "reference", table: target, property: target.displayProperty };
    }
  }
  return { kind: "none" };
}

/**
 * A table's count dimensions: every filterable column but the date-times (those are bucket
 * fields), and the columns marked `dimension`, in column order.
 */
export function dimensionsOf(table: TableDescriptor): Dimension[] {
  return table.columns
    .filter(
      (column) =>
        column.dimension === true || (column.filter !== undefined && column.type !== "dateTime"),
    )
    .map((column) => ({ name: column.field.toUpperCase(), column, label: labelOf(column) }));
}

/** The record timestamps keep the names of their filters (createdAt → CREATED_AT). */
const RECORD_TIME_NAMES: Readonly<Record<string, string>> = {
  sys_created_on: "CREATED_AT",
  sys_updated_on: "UPDATED_AT",
};

/** A table's bucket fields by BucketField member: its date-time columns (OPENED_AT, START_DATE). */
export function bucketFieldsOf(table: TableDescriptor): ReadonlyMap<string, ColumnDescriptor> {
  return new Map(
    table.columns
      .filter((column) => column.type === "dateTime")
      .map((column) => [RECORD_TIME_NAMES[column.field] ?? column.field.toUpperCase(), column]),
  );
}
