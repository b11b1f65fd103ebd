import {
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
} from "graphql";

import { ENTITIES } from "../../src/database/entities";
import { buildGatewaySchema } from "../../src/graphql/schema";
import { filterFieldsOf, orderColumnsOf } from "../../src/modules/records/record-filters";
import { TABLES } from "../../src/tables";

describe("the GraphQL layer derived from the table descriptors", () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  it("has one entity per described table", () => {
    const names = ENTITIES.map((entity) => entity.name);
    for (const table of TABLES) {
      expect(names).toContain(table.typeName);
    }
  });

  it.each(TABLES.map((table) => [table.typeName, table] as const))(
    "%s: a field per column and label (non-null when required), relation and list fields",
    (_name, table) => {
      const type = schema.getType(table.typeName);
      if (!isObjectType(type)) {
        throw new Error(`${table.typeName} is not an object type`);
      }
      const fields = type.getFields();
      expect(type.description).toBe(table.description);
      for (const column of table.columns) {
        const field = fields[column.property];
        expect(field).toBeDefined();
        expect(isNonNullType(field.type)).toBe(column.required === true);
        if (column.label !== undefined) {
          expect(fields[column.label.property]).toBeDefined();
        }
        if (column.choice !== undefined) {
          expect(String(fields[column.choice.property].type)).toBe(column.choice.name);
        }
        if (column.relation !== undefined) {
          expect(fields[column.relation.name]).toBeDefined();
        }
      }
      for (const relation of table.relations ?? []) {
        expect(fields[relation.name]).toBeDefined();
      }
      const query = schema.getQueryType()?.getFields() ?? {};
      if (table.list !== undefined) {
        expect(String(query[table.list.name].type)).toBe(`${table.typeName}Connection!`);
        const filter = schema.getType(`${table.typeName}Filter`);
        if (!isInputObjectType(filter)) {
          throw new Error(`${table.typeName}Filter is not an input type`);
        }
        expect(Object.keys(filter.getFields()).sort()).toEqual(
          filterFieldsOf(table)
            .map((field) => field.name)
            .sort(),
        );
        const orderBy = query[table.list.name].args.find((arg) => arg.name === "orderBy");
        expect(orderBy !== undefined).toBe(table.list.orderable);
      }
      if (table.list?.orderable) {
        const order = schema.getType(`${table.typeName}OrderField`);
        if (!isEnumType(order)) {
          throw new Error(`${table.typeName}OrderField is not an enum`);
        }
        expect(order.getValues().map((value) => value.name)).toEqual(
          Object.keys(orderColumnsOf(table)),
        );
      }
      if (table.lookup !== undefined) {
        const lookup = query[table.lookup.name];
        expect(String(lookup.type)).toBe(table.typeName);
        expect(lookup.args.map((arg) => arg.name)).toEqual([
          "integrationId",
          "sysId",
          table.lookup.key,
        ]);
      }
    },
  );
});
