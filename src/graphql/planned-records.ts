import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
} from "graphql";

import { fieldSourcesByType } from "../database/read/field-sources";
import { type PlannedRecord, PRELOADED } from "../database/read/read-plan";

type Resolver = GraphQLFieldResolver<unknown, unknown>;

/**
 * The parent a field's own resolver gets: type-graphql makes a class instance of it, whose
 * choice getters (`state`) cannot take the plain value a planned record holds.
 */
function parentFor(source: unknown, computed: readonly string[]): unknown {
  if (computed.length === 0 || (source as PlannedRecord)[PRELOADED] === undefined) {
    return source;
  }
  const parent: PlannedRecord = { ...(source as PlannedRecord) };
  for (const name of computed) {
    delete parent[name];
  }
  return parent;
}

/** A relation answers what the plan loaded for its response key, else its own resolver. */
function relation(resolve: Resolver, computed: readonly string[]): Resolver {
  return (source, args, context, info) => {
    const preloaded = (source as PlannedRecord)[PRELOADED];
    if (preloaded !== undefined) {
      const value = preloaded[info.path.key as string];
      if (value !== undefined) {
        return value;
      }
    }
    return resolve(parentFor(source, computed), args, context, info);
  };
}

/**
 * A value of a planned record is already in the response's shape under its field name; its
 * own resolver would make a class instance of the row first (type-graphql's field resolvers
 * do, and choice getters such as `state` cannot take a plain value).
 */
function value(name: string, resolve: Resolver): Resolver {
  return (source, args, context, info) =>
    (source as PlannedRecord)[PRELOADED] !== undefined
      ? (source as PlannedRecord)[name]
      : resolve(source, args, context, info);
}

/**
 * The fields of every described table answer planned records (those a read plan built) from
 * the record itself, and everything else through their own resolvers (DataLoaders).
 * Installed on the built schema, so the resolvers need not know about plans.
 */
export function answerPlannedRecords(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, sources] of fieldSourcesByType()) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) {
      continue;
    }
    const computed = [...sources]
      .filter(([, source]) => source.kind === "choice")
      .map(([name]) => name);
    for (const field of Object.values(type.getFields())) {
      const source = sources.get(field.name);
      const resolve = field.resolve ?? defaultFieldResolver;
      switch (source?.kind) {
        case "value":
        case "choice":
          field.resolve = value(field.name, resolve);
          break;
        case "toOne":
        case "toMany":
        case "journal":
        case "resolver":
          field.resolve = relation(resolve, computed);
          break;
        default:
          break;
      }
    }
  }
  return schema;
}
