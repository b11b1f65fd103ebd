import type { ColumnDescriptor, ColumnType } from "../table-model/table.descriptor";
import type { ServiceNowRecordEntity } from "./servicenow-record.entity";

type ValueOfType<T extends ColumnType> = T extends "integer"
  ? number
  : T extends "boolean"
    ? boolean
    : T extends "dateTime"
      ? Date
      : string;

type ColumnValue<C extends ColumnDescriptor> = C extends { readonly required?: true }
  ? ValueOfType<C["type"]>
  : ValueOfType<C["type"]> | null;

/**
 * The typed columns of a descriptor's columns (built with `src/table-model/columns.ts`, which
 * keeps their property names as literal types); a column typed only as `ColumnDescriptor`
 * names no property the compiler knows and is left out.
 */
type ColumnsRow<C extends ColumnDescriptor> = {
  -readonly [K in C as string extends K["property"] ? never : K["property"]]: ColumnValue<K>;
} & {
  -readonly [
    K in C as K extends { readonly label?: { readonly property: infer L extends string } }
      ? string extends L
        ? never
        : L
      : never
  ]: string | null;
};

/** The stored row of a described table: the record base and every column, with its labels. */
export type RecordRow<T extends { readonly columns: readonly ColumnDescriptor[] }> =
  ServiceNowRecordEntity & ColumnsRow<T["columns"][number]>;
