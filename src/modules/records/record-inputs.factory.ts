import { ArgsType, type ClassType, Field, InputType, registerEnumType } from "type-graphql";

import { ArrayMaxSize, IsOptional } from "../../graphql/argument-validation";
import { DateTimeRange } from "../../graphql/filters/date-range.input";
import { SortDirectionEnum } from "../../graphql/filters/sort-direction.enum";
import { LookupArgs } from "../../graphql/lookup.args";
import { ScopedPaginationArgs } from "../../graphql/pagination/pagination.args";
import type { TableDescriptor } from "../../table-model/table.descriptor";
import { defaultOrderDescriptionOf, filterFieldsOf, orderColumnsOf } from "./record-filters";
import { scalarOf } from "./record-type.factory";

/** A filter input's values by field name, as GraphQL coerced them (see `filterFieldsOf`). */
export type RecordFilter = Readonly<Record<string, unknown>>;

export interface RecordOrder {
  readonly field: string;
  readonly direction: SortDirectionEnum;
}

export interface RecordListArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly integrationId?: string | null;
  readonly filter?: RecordFilter | null;
  readonly orderBy?: readonly RecordOrder[] | null;
}

const MAX_ORDER_KEYS = 3;

/** Classes are named after their GraphQL type for error messages and metadata. */
function named<C extends ClassType>(type: C, name: string): C {
  Object.defineProperty(type, "name", { value: name });
  return type;
}

/** `IncidentFilter`: a field per filterable column (see `filterFieldsOf`), then `search`. */
export function createFilterInput(
  table: TableDescriptor,
  choiceEnums: ReadonlyMap<string, object>,
): ClassType {
  const filter = named(class {}, `${table.typeName}Filter`);
  for (const field of filterFieldsOf(table)) {
    const options = { nullable: true, description: field.description };
    const decorate = (() => {
      switch (field.kind) {
        case "choice": {
          const members = choiceEnums.get(field.column?.choice?.name ?? "");
          if (members === undefined) {
            throw new RangeError(`${table.name}: no enum for the filter ${field.name}`);
          }
          return Field(() => [members], options);
        }
        case "in":
        case "sysIds": {
          const column = field.column;
          if (column === undefined) {
            throw new RangeError(`${table.name}: the filter ${field.name} has no column`);
          }
          return Field(() => [scalarOf(column)], options);
        }
        case "equals":
          return Field(() => Boolean, options);
        case "range":
          return Field(() => DateTimeRange, options);
        case "search":
          return Field(() => String, options);
      }
    })();
    decorate(filter.prototype, field.name);
  }
  InputType(`${table.typeName}Filter`)(filter);
  return filter;
}

/** `IncidentOrderField` (the sortable columns) and `IncidentOrder` (a field and a direction). */
export function createOrderInput(table: TableDescriptor): ClassType<RecordOrder> {
  const members = Object.fromEntries(
    Object.keys(orderColumnsOf(table)).map((member) => [member, member]),
  );
  registerEnumType(members, { name: `${table.typeName}OrderField` });
  const order = named(
    class implements RecordOrder {
      field: string;
      direction: SortDirectionEnum;
    },
    `${table.typeName}Order`,
  );
  Field(() => members)(order.prototype, "field");
  Field(() => SortDirectionEnum, { defaultValue: SortDirectionEnum.ASC })(
    order.prototype,
    "direction",
  );
  InputType(`${table.typeName}Order`)(order);
  return order;
}

/**
 * The root list's arguments: page, integration, `filter` and, for an orderable list, `orderBy`
 * (at most 3 keys, checked by class-validator like the page bounds).
 */
export function createListArgs(
  table: TableDescriptor,
  filter: ClassType,
  order: ClassType<RecordOrder> | null,
): ClassType<RecordListArgs> {
  const args = named(class extends ScopedPaginationArgs {}, `${table.typeName}ListArgs`);
  Field(() => filter, { nullable: true })(args.prototype, "filter");
  if (order !== null) {
    Field(() => [order], {
      nullable: true,
      description: `Sort keys in order (at most ${MAX_ORDER_KEYS}); default: ${defaultOrderDescriptionOf(table)}.`,
    })(args.prototype, "orderBy");
    IsOptional()(args.prototype, "orderBy");
    ArrayMaxSize(MAX_ORDER_KEYS, { message: `orderBy accepts at most ${MAX_ORDER_KEYS} keys` })(
      args.prototype,
      "orderBy",
    );
  }
  ArgsType()(args);
  return args;
}

/** The root lookup's arguments: integration, sysId and the table's second key. */
export function createLookupArgs(table: TableDescriptor): ClassType<LookupArgs> | null {
  const lookup = table.lookup;
  if (lookup === undefined) {
    return null;
  }
  const args = named(class extends LookupArgs {}, `${table.typeName}LookupArgs`);
  Field(() => String, { nullable: true, description: lookup.keyDescription })(
    args.prototype,
    lookup.key,
  );
  ArgsType()(args);
  return args;
}
