import type { ColumnDescriptor, TableDescriptor } from "./table.descriptor";

/** Every ServiceNow field the gateway asks for, in column order, each once. */
export function serviceNowFieldsOf(table: TableDescriptor): string[] {
  const fields = table.columns.flatMap((column) =>
    column.fallback === undefined ? [column.field] : [column.field, column.fallback.field],
  );
  return [...new Set([...fields, ...(table.attributeFields ?? [])])];
}

/** Reference field → the table it points to. */
export function referencesOf(table: TableDescriptor): Record<string, string> {
  const references: [string, string][] = [];
  for (const column of table.columns) {
    if (column.references !== undefined) {
      references.push([column.field, column.references]);
    }
    if (column.fallback !== undefined) {
      references.push([column.fallback.field, column.fallback.references]);
    }
  }
  return Object.fromEntries(references);
}

/** Fields the sync cannot work without: a user may never exclude them. */
export function requiredFieldsOf(table: TableDescriptor): string[] {
  const required = table.columns.filter((column) => column.required).map((column) => column.field);
  return [...new Set([...required, ...(table.requiredFields ?? [])])];
}

/** The column of a property; throws for a property the table does not have. */
export function columnOf(table: TableDescriptor, property: string): ColumnDescriptor {
  const column = table.columns.find((candidate) => candidate.property === property);
  if (column === undefined) {
    throw new RangeError(`${table.name} has no column ${property}`);
  }
  return column;
}

/**
 * The table's indexes: its own, plus one on each foreign key a to-many relation of `tables`
 * batches on (`incident.problem_sys_id` for `Problem.incidents`) unless an index already holds
 * that column, so a new relation never reads its table without one.
 */
export function indexesOf(
  table: TableDescriptor,
  tables: readonly TableDescriptor[],
): (readonly string[])[] {
  const indexes: (readonly string[])[] = [...(table.indexes ?? [])];
  for (const relation of tables.flatMap((other) => other.relations ?? [])) {
    if (relation.kind !== "toMany" || relation.table !== table.name) {
      continue;
    }
    if (!indexes.some((index) => index.includes(relation.foreignKey))) {
      indexes.push([relation.foreignKey]);
    }
  }
  return indexes;
}
