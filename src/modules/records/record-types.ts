import type { ClassType } from "type-graphql";

import type { RecordEntityClass } from "../../database/record-entity.factory";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { TABLES } from "../../tables";
import { createFilterInput } from "./record-inputs.factory";
import { createChoiceEnum, createRecordType } from "./record-type.factory";

/** The GraphQL object type of every described table, by ServiceNow table name. */
const RECORD_TYPES: ReadonlyMap<string, RecordEntityClass> = new Map(
  TABLES.map((table) => [table.name, createRecordType(table)]),
);

/** Every choice enum of the described tables (IncidentState, …), by GraphQL name. */
export const CHOICE_ENUMS: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map(
  TABLES.flatMap((table) =>
    table.columns.flatMap((column) =>
      column.choice === undefined ? [] : [[column.choice.name, createChoiceEnum(column.choice)]],
    ),
  ),
);

export function recordTypeOf(table: TableDescriptor): RecordEntityClass {
  const type = RECORD_TYPES.get(table.name);
  if (type === undefined) {
    throw new RangeError(`No GraphQL type for the ServiceNow table ${table.name}`);
  }
  return type;
}

const FILTER_INPUTS = new Map<string, ClassType>();

/**
 * A table's filter input (`IncidentFilter`), built once on first use: the list and the
 * aggregates over the same table share it.
 */
export function filterInputOf(table: TableDescriptor): ClassType {
  let filter = FILTER_INPUTS.get(table.name);
  if (filter === undefined) {
    filter = createFilterInput(table, CHOICE_ENUMS);
    FILTER_INPUTS.set(table.name, filter);
  }
  return filter;
}
