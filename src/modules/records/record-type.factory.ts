import type { GraphQLScalarType } from "graphql";
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";

import { recordEntityClassOf } from "../../database/entities";
import type { RecordEntityClass } from "../../database/record-entity.factory";
import { choiceMembersOf } from "../../table-model/choice-values";
import type {
  ChoiceEnum,
  ColumnDescriptor,
  TableDescriptor,
} from "../../table-model/table.descriptor";

/** Declared by ServiceNowRecordEntity, the GraphQL base of every record type. */
const BASE_FIELDS: ReadonlySet<string> = new Set(["sysId", "sysCreatedOn", "sysUpdatedOn"]);

export type ScalarFieldType =
  typeof String | typeof Number | typeof Boolean | typeof Date | GraphQLScalarType;

/** The GraphQL scalar of a column's stored value. */
export function scalarOf(column: ColumnDescriptor): ScalarFieldType {
  switch (column.type) {
    case "integer":
      return Int;
    case "boolean":
      return Boolean;
    case "dateTime":
      return Date;
    case "text":
    case "choice":
    case "reference":
      return String;
  }
}

/** A choice's members as a GraphQL enum (e.g. IncidentState), registered once. */
export function createChoiceEnum(choice: ChoiceEnum): Readonly<Record<string, string>> {
  const members = choiceMembersOf(choice.values);
  registerEnumType(members, { name: choice.name });
  return members;
}

/**
 * The GraphQL object type of a described table: its entity class, so resolvers receive the
 * rows TypeORM loads, with a field per column and label (the record base declares sysId,
 * the timestamps and attributes). Relation and computed fields are the resolver's.
 */
export function createRecordType(table: TableDescriptor): RecordEntityClass {
  const type: RecordEntityClass = recordEntityClassOf(table);
  const prototype: object = type.prototype;
  for (const column of table.columns) {
    if (BASE_FIELDS.has(column.property)) {
      continue;
    }
    const nullable = column.required !== true;
    Field(() => scalarOf(column), { nullable, description: column.description })(
      prototype,
      column.property,
    );
    if (column.label !== undefined) {
      Field(() => String, { nullable: true, description: column.label.description })(
        prototype,
        column.label.property,
      );
    }
  }
  ObjectType(table.typeName, { description: table.description })(type);
  return type;
}
