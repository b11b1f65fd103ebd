import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";

import type { LookupArgs } from "../../database/record-lookup";
import type { ServiceNowRecordEntity } from "../../database/servicenow-record.entity";
import { skipArgumentValidation } from "../../graphql/argument-validation";
import type { GraphQLContext } from "../../graphql/context.type";
import { ConnectionType } from "../../graphql/pagination/connection.type";
import { choiceOf } from "../../table-model/choice-values";
import type {
  ColumnDescriptor,
  RelationDescriptor,
  TableDescriptor,
} from "../../table-model/table.descriptor";
import { tableNamed } from "../../tables";
import { Integration } from "../integrations/integration.entity";
import { JOURNAL_ENTRY_TABLE } from "../journal-entries/journal-entry.table";
import { checkUpdatesArgs, UpdatesArgs } from "../journal-entries/updates.args";
import type { RecordService } from "./record.service";
import {
  createListArgs,
  createLookupArgs,
  createOrderInput,
  type RecordListArgs,
} from "./record-inputs.factory";
import { CHOICE_ENUMS, filterInputOf, recordTypeOf } from "./record-types";

/** A table's resolver: root list and lookup through its service, relations through loaders. */
export interface RecordResolver {
  readonly service: RecordService | null;
}

export type RecordResolverClass = new (service: RecordService | null) => RecordResolver;

type Handler = (this: RecordResolver, ...args: never[]) => unknown;

/** type-graphql's parameter decorators (their property key is never undefined). */
type ParamDecorator = ReturnType<typeof Root>;

/**
 * Adds a resolver method as a hand-written one would be: parameter decorators right to left,
 * then the method decorator, as TypeScript applies them.
 */
function defineHandler(
  prototype: object,
  name: string,
  handler: Handler,
  method: MethodDecorator,
  params: readonly ParamDecorator[],
): void {
  Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
  [...params].reverse().forEach((param, reversed) => {
    param(prototype, name, params.length - 1 - reversed);
  });
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  if (descriptor !== undefined) {
    method(prototype, name, descriptor);
  }
}

function serviceOf(resolver: RecordResolver): RecordService {
  if (resolver.service === null) {
    throw new Error("The record resolver was built without its service");
  }
  return resolver.service;
}

function referenceOf(record: ServiceNowRecordEntity, column: ColumnDescriptor): string | null {
  const value: unknown = Reflect.get(record, column.property);
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * The resolver class of a described table (null when it has nothing to resolve): the root
 * list and lookup fields, the computed choice enum, the to-one relation of each reference,
 * the to-many, journal and integration relations.
 */
export function createRecordResolver(table: TableDescriptor): RecordResolverClass | null {
  const type = recordTypeOf(table);
  const resolver = class implements RecordResolver {
    constructor(readonly service: RecordService | null = null) {}
  };
  Object.defineProperty(resolver, "name", { value: `${table.typeName}Resolver` });
  const prototype: object = resolver.prototype;
  let handlers = 0;
  const define = (
    name: string,
    handler: Handler,
    method: MethodDecorator,
    params: readonly ParamDecorator[],
  ) => {
    defineHandler(prototype, name, handler, method, params);
    handlers += 1;
  };

  if (table.list !== undefined) {
    const connection = ConnectionType(type, table.typeName);
    const filter = filterInputOf(table);
    const order = table.list.orderable ? createOrderInput(table) : null;
    const args = createListArgs(table, filter, order);
    define(
      table.list.name,
      async function (
        this: RecordResolver,
        listArgs: RecordListArgs,
        { readPlans }: GraphQLContext,
        info: GraphQLResolveInfo,
      ) {
        // The compiled read path first; the service for a selection no plan reads.
        return new connection(
          await (readPlans?.list<ServiceNowRecordEntity>(table, listArgs, info) ??
            serviceOf(this).list(listArgs)),
        );
      },
      Query(() => connection, { description: table.list.description }),
      [Args(() => args), Ctx(), Info()],
    );
  }
  const lookupArgs = createLookupArgs(table);
  if (table.lookup !== undefined && lookupArgs !== null) {
    define(
      table.lookup.name,
      function (
        this: RecordResolver,
        args: LookupArgs,
        { readPlans }: GraphQLContext,
        info: GraphQLResolveInfo,
      ) {
        return (
          readPlans?.lookup<ServiceNowRecordEntity>(table, args, info) ??
          serviceOf(this).findOne(args)
        );
      },
      Query(() => type, { nullable: true, description: table.lookup.description }),
      [Args(() => lookupArgs), Ctx(), Info()],
    );
  }
  for (const column of table.columns) {
    const choice = column.choice;
    if (choice !== undefined) {
      const members = CHOICE_ENUMS.get(choice.name);
      const memberOf = choiceOf(choice.values);
      define(
        choice.property,
        (record: ServiceNowRecordEntity) => memberOf(referenceOf(record, column)),
        FieldResolver(() => members ?? String, { nullable: true, description: choice.description }),
        [Root()],
      );
    }
  }
  for (const column of table.columns) {
    const relation = column.relation;
    if (relation !== undefined && column.references !== undefined) {
      const target = tableNamed(column.references);
      define(
        relation.name,
        (record: ServiceNowRecordEntity, context: GraphQLContext) => {
          const sysId = referenceOf(record, column);
          return sysId === null
            ? null
            : context.loaders
                .recordBySysId(target)
                .load({ integrationId: record.integrationId, sysId });
        },
        FieldResolver(() => recordTypeOf(target), {
          nullable: true,
          description: relation.description,
        }),
        [Root(), Ctx()],
      );
    }
  }
  for (const relation of table.relations ?? []) {
    defineRelation(relation, define);
  }
  if (handlers === 0) {
    return null;
  }
  Resolver(() => type)(resolver);
  return resolver;
}

function defineRelation(
  relation: RelationDescriptor,
  define: (
    name: string,
    handler: Handler,
    method: MethodDecorator,
    params: readonly ParamDecorator[],
  ) => void,
): void {
  switch (relation.kind) {
    case "toMany": {
      const target = tableNamed(relation.table);
      define(
        relation.name,
        (record: ServiceNowRecordEntity, context: GraphQLContext) =>
          context.loaders
            .recordsByReference(relation)
            .load({ integrationId: record.integrationId, sysId: record.sysId }),
        FieldResolver(() => [recordTypeOf(target)], { description: relation.description }),
        [Root(), Ctx()],
      );
      return;
    }
    case "journal":
      define(
        relation.name,
        (record: ServiceNowRecordEntity, args: UpdatesArgs, context: GraphQLContext) => {
          const options = { first: args.first, element: args.element ?? null };
          checkUpdatesArgs(options);
          return context.loaders
            .journalEntriesByRecord(options)
            .load({ integrationId: record.integrationId, sysId: record.sysId });
        },
        FieldResolver(() => [recordTypeOf(JOURNAL_ENTRY_TABLE)], {
          description: relation.description,
        }),
        // Checked by hand (checkUpdatesArgs): this field resolves once per row.
        [Root(), Args(() => UpdatesArgs, { validateFn: skipArgumentValidation }), Ctx()],
      );
      return;
    case "integration":
      define(
        relation.name,
        (record: ServiceNowRecordEntity, context: GraphQLContext) =>
          context.loaders.integrationById.load(record.integrationId),
        FieldResolver(() => Integration, { nullable: true }),
        [Root(), Ctx()],
      );
      return;
  }
}
