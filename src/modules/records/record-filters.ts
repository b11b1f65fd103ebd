import type { SortKey } from "../../database/keyset";
import type { CanonicalValue } from "../../database/keyset-cursor";
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

function compareListItems(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") {
    return a - b;
  }
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A filter in the form its cursors' digest is taken of: fields by name whatever the input's key
 * order, omitted and null alike left out, lists (IN: order and repeats do not matter) sorted
 * without repeats, a range by its ISO instants, the search as it is matched (trimmed, lower
 * case). Both read paths call it with the filter as GraphQL coerced it.
 */
export function canonicalFilterOf(
  fields: readonly RecordFilterField[],
  filter: object | null | undefined,
): CanonicalValue {
  const canonical: Record<string, CanonicalValue> = {};
  if (filter === null || filter === undefined) {
    return canonical;
  }
  for (const field of fields) {
    const value: unknown = Reflect.get(filter, field.name);
    if (value === null || value === undefined) {
      continue;
    }
    switch (field.kind) {
      case "choice":
      case "in":
      case "sysIds": {
        const items = Array.isArray(value)
          ? value.filter(
              (item): item is string | number =>
                typeof item === "string" || typeof item === "number",
            )
          : [];
        canonical[field.name] = [...new Set(items)].sort(compareListItems);
        break;
      }
      case "equals":
        canonical[field.name] = value === true;
        break;
      case "range": {
        const instant = (bound: unknown): string | null =>
          bound instanceof Date ? bound.toISOString() : null;
        const from = typeof value === "object" ? instant(Reflect.get(value, "from")) : null;
        const to = typeof value === "object" ? instant(Reflect.get(value, "to")) : null;
        if (from !== null || to !== null) {
          canonical[field.name] = { from, to };
        }
        break;
      }
      case "search":
        canonical[field.name] = String(value).trim().toLowerCase();
        break;
    }
  }
  return canonical;
}

/**
 * The sortable columns of a table, by order enum member (e.g. OPENED_AT → openedAt). A choice
 * column sorts by its workflow: the position of its raw value in `choice.values`.
 */
export function orderColumnsOf(table: TableDescriptor): Record<string, Omit<SortKey, "direction">> {
  const columns: Record<string, Omit<SortKey, "direction">> = {};
  for (const column of table.columns) {
    if (column.order !== undefined) {
      const workflow =
        column.type === "choice" && column.choice !== undefined
          ? Object.values(column.choice.values)
          : undefined;
      columns[column.order] = {
        property: column.property,
        nullable: column.required !== true,
        kind: column.type === "dateTime" ? "date" : column.type === "integer" ? "number" : "string",
        ...(workflow === undefined ? {} : { workflow }),
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
