import type { SortKey } from "../../database/keyset";
import type { ColumnDescriptor, TableDescriptor } from "../../table-model/table.descriptor";

/** How one field of a table's filter input narrows the list. */
export type RecordFilterKind =
  /** Known choice members, matched through their raw values. */
  | "choice"
  /** A list of values (IN). */
  | "in"
  /** A list of sys_ids (IN), each checked to be one. */
  | "sysIds"
  /** Equal to a boolean. */
  | "equals"
  /** A DateTimeRange. */
  | "range"
  /** Case-insensitive text in any of `properties`. */
  | "search";

export interface RecordFilterField {
  /** The filter input's field, e.g. `createdAt`; errors name it `filter.<name>`. */
  readonly name: string;
  readonly kind: RecordFilterKind;
  /** The column it tests (the first of `properties` for a search). */
  readonly properties: readonly string[];
  readonly column?: ColumnDescriptor;
  readonly description?: string;
}

/**
 * The fields of a table's filter input, in column order: for a choice its enum list first,
 * then its raw values; the search last.
 */
export function filterFieldsOf(table: TableDescriptor): RecordFilterField[] {
  const fields: RecordFilterField[] = [];
  for (const column of table.columns) {
    if (column.filter === undefined) {
      continue;
    }
    const base = {
      name: column.filter.name ?? column.property,
      properties: [column.property],
      column,
      ...(column.filter.description === undefined
        ? {}
        : { description: column.filter.description }),
    };
    switch (column.type) {
      case "choice":
        if (column.choice !== undefined) {
          fields.push({
            name: column.choice.property,
            kind: "choice",
            properties: [column.property],
            column,
          });
        }
        fields.push({ ...base, kind: "in" });
        break;
      case "text":
      case "integer":
        fields.push({ ...base, kind: "in" });
        break;
      case "reference":
        fields.push({ ...base, kind: "sysIds" });
        break;
      case "boolean":
        fields.push({ ...base, kind: "equals" });
        break;
      case "dateTime":
        fields.push({ ...base, kind: "range" });
        break;
    }
  }
  const search = table.list?.search;
  if (search !== undefined) {
    fields.push({
      name: "search",
      kind: "search",
      properties: search.properties,
      description: search.description,
    });
  }
  return fields;
}

/** The sortable columns of a table, by order enum member (e.g. OPENED_AT → openedAt). */
export function orderColumnsOf(table: TableDescriptor): Record<string, Omit<SortKey, "direction">> {
  const columns: Record<string, Omit<SortKey, "direction">> = {};
  for (const column of table.columns) {
    if (column.order !== undefined) {
      columns[column.order] = {
        property: column.property,
        nullable: column.required !== true,
        kind: column.type === "dateTime" ? "date" : column.type === "integer" ? "number" : "string",
      };
    }
  }
  return columns;
}

/** `openedAt descending`, as the orderBy argument's description says it. */
export function defaultOrderDescriptionOf(table: TableDescriptor): string {
  const keys = table.list?.defaultOrder ?? [];
  return keys
    .map((key) => {
      const column = table.columns.find((candidate) => candidate.order === key.order);
      const name = column?.filter?.name ?? column?.property ?? key.order;
      return `${name} ${key.direction === "ASC" ? "ascending" : "descending"}`;
    })
    .join(", ");
}
