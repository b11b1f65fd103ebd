import { JOURNAL_ENTRY_TABLE } from "../../modules/journal-entries/journal-entry.table";
import type { TableDescriptor, ToManyRelation } from "../../table-model/table.descriptor";
import { tableNamed, TABLES } from "../../tables";
import { snakeCase } from "../snake-naming.strategy";

/** How a value is read from its column. */
export type ValueKind = "text" | "integer" | "boolean" | "dateTime" | "json";

/** Where a GraphQL field of a described table comes from. */
export type FieldSource =
  | { readonly kind: "value"; readonly column: string; readonly type: ValueKind }
  | {
      readonly kind: "choice";
      readonly column: string;
      readonly members: ReadonlyMap<string, string>;
    }
  | { readonly kind: "toOne"; readonly column: string; readonly table: TableDescriptor }
  | {
      readonly kind: "toMany";
      readonly table: TableDescriptor;
      readonly foreignKey: string;
      readonly orderBy: ToManyRelation["orderBy"];
    }
  | { readonly kind: "journal"; readonly table: TableDescriptor }
  /** Not planned: its field resolver loads it (e.g. `integration`, from integrationId). */
  | { readonly kind: "resolver" };

function valueKind(type: TableDescriptor["columns"][number]["type"]): ValueKind {
  switch (type) {
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "dateTime":
      return "dateTime";
    default:
      return "text";
  }
}

/** Every GraphQL field of a described table's object type, from its descriptor. */
function fieldSourcesOf(table: TableDescriptor): ReadonlyMap<string, FieldSource> {
  const sources = new Map<string, FieldSource>([
    ["integrationId", { kind: "value", column: "integration_id", type: "text" }],
    ["attributes", { kind: "value", column: "attributes", type: "json" }],
  ]);
  for (const column of table.columns) {
    const name = snakeCase(column.property);
    sources.set(column.property, { kind: "value", column: name, type: valueKind(column.type) });
    if (column.label !== undefined) {
      sources.set(column.label.property, {
        kind: "value",
        column: snakeCase(column.label.property),
        type: "text",
      });
    }
    if (column.choice !== undefined) {
      const members = new Map(
        Object.entries(column.choice.values).map(([member, value]) => [value, member]),
      );
      sources.set(column.choice.property, { kind: "choice", column: name, members });
    }
    if (column.relation !== undefined && column.references !== undefined) {
      sources.set(column.relation.name, {
        kind: "toOne",
        column: name,
        table: tableNamed(column.references),
      });
    }
  }
  for (const relation of table.relations ?? []) {
    switch (relation.kind) {
      case "toMany":
        sources.set(relation.name, {
          kind: "toMany",
          table: tableNamed(relation.table),
          foreignKey: snakeCase(relation.foreignKey),
          orderBy: relation.orderBy,
        });
        break;
      case "journal":
        sources.set(relation.name, { kind: "journal", table: JOURNAL_ENTRY_TABLE });
        break;
      case "integration":
        sources.set(relation.name, { kind: "resolver" });
        break;
    }
  }
  return sources;
}

const cache = new Map<string, ReadonlyMap<string, FieldSource>>();

export function fieldSources(table: TableDescriptor): ReadonlyMap<string, FieldSource> {
  let sources = cache.get(table.name);
  if (sources === undefined) {
    sources = fieldSourcesOf(table);
    cache.set(table.name, sources);
  }
  return sources;
}

/** Every described table's GraphQL type name with its field sources (for the resolvers). */
export function fieldSourcesByType(): ReadonlyMap<string, ReadonlyMap<string, FieldSource>> {
  return new Map(TABLES.map((table) => [table.typeName, fieldSources(table)]));
}
