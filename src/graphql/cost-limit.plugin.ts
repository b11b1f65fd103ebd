import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  type GraphQLObjectType,
  type GraphQLSchema,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from "graphql";

import { fragmentsByName, isIntrospectionRootField } from "./introspection-fields";
import { DEFAULT_PAGE_SIZE } from "./pagination/pagination.args";

/** Lists without a `first` argument (approvals, causedIncidents, …) are assumed this long. */
const UNBOUNDED_LIST_ESTIMATE = 10;

/**
 * Estimated cost of an operation: roughly how many objects it may resolve. Each object field
 * costs 1 (scalars are free), and a list (or a connection, through its `first` argument)
 * multiplies that by how many there may be. "50 incidents with assignee, group and 5 updates"
 * costs about 500; 500 incidents with 100 updates each costs over 50,000. Introspection
 * (`__schema`, `__type` and beneath) is free here; it has bounds of its own (validation rules).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): number {
  const fragments = fragmentsByName(document);
  const rootType =
    operation.operation === "mutation"
      ? schema.getMutationType()
      : operation.operation === "subscription"
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  // A fragment's cost depends only on the type it is spread on: computed once per pair.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (
    fragment: FragmentDefinitionNode,
    parentType: GraphQLObjectType | null,
    visited: ReadonlySet<string>,
  ): number => {
    const name = fragment.name.value;
    const key = `${name} on ${parentType?.name ?? ""}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) {
      return known;
    }
    if (visited.has(name)) {
      return 0;
    }
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = costOf(
      fragment.selectionSet,
      isObjectType(type) ? type : parentType,
      new Set([...visited, name]),
    );
    fragmentCosts.set(key, cost);
    return cost;
  };
  const costOf = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLObjectType | null,
    visited: ReadonlySet<string>,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) {
          total += fragmentCost(fragment, parentType, visited);
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parentType;
        total += costOf(selection.selectionSet, isObjectType(type) ? type : parentType, visited);
        continue;
      }
      if (isIntrospectionRootField(selection)) {
        continue;
      }
      const field = parentType?.getFields()[selection.name.value];
      let multiplier = 1;
      const firstArgument = field?.args.find((argument) => argument.name === "first");
      if (firstArgument) {
        const given = selection.arguments?.find((argument) => argument.name.value === "first");
        const value = given
          ? valueFromASTUntyped(given.value, variables as Record<string, unknown>)
          : firstArgument.defaultValue;
        multiplier = typeof value === "number" && value > 0 ? value : DEFAULT_PAGE_SIZE;
      } else if (
        field &&
        isListType(getNullableType(field.type)) &&
        !parentType?.name.endsWith("Connection")
      ) {
        // A connection's edges/nodes are already counted by its `first`.
        multiplier = UNBOUNDED_LIST_ESTIMATE;
      }
      const namedType = field ? getNamedType(field.type) : null;
      const childType = isObjectType(namedType) ? namedType : null;
      // Scalars are free; each object (row) resolved costs 1, times how many there may be.
      if (selection.selectionSet) {
        total += multiplier * (1 + costOf(selection.selectionSet, childType, visited));
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, rootType ?? null, new Set());
}

/** The refusal of an operation above GRAPHQL_MAX_COST (over HTTP and graphql-ws alike). */
export function tooCostly(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `Query is too expensive: estimated cost ${cost}, limit ${maxCost}. Ask for fewer rows (first) or fewer nested lists.`,
    { extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost, http: { status: 400 } } },
  );
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) {
            return;
          }
          const cost = operationCost(schema, document, operation, request.variables ?? {});
          if (cost > maxCost) {
            throw tooCostly(cost, maxCost);
          }
        },
      };
    },
  };
}
