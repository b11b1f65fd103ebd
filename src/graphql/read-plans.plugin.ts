import { type ApolloServerPlugin, type GraphQLResponse, HeaderMap } from "@apollo/server";
import {
  type FragmentDefinitionNode,
  getArgumentValues,
  getVariableValues,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
} from "graphql";
import { collectFields } from "graphql/execution/collectFields";

import { projectConnection, projectRecord } from "../database/read/read-output";
import type { PlanRequest, ReadPlans } from "../database/read/read-plans";
import type { TableDescriptor } from "../table-model/table.descriptor";
import { TABLES } from "../tables";
import type { GraphQLContext } from "./context.type";
import { MAX_PAGE_SIZE } from "./pagination/pagination.args";

type RootField = { readonly kind: "list" | "lookup"; readonly table: TableDescriptor };

const ROOT_FIELDS = new Map<string, RootField>(
  TABLES.flatMap((table) => [
    ...(table.list ? ([[table.list.name, { kind: "list", table }]] as const) : []),
    ...(table.lookup ? ([[table.lookup.name, { kind: "lookup", table }]] as const) : []),
  ]),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Arguments the resolvers' class-validator checks would accept (pagination.args.ts,
 * lookup.args.ts, the `orderBy` bound). Anything else is left to the resolvers, which answer
 * with their own errors.
 */
function acceptable(args: Readonly<Record<string, unknown>>): boolean {
  const { first, after, integrationId, orderBy } = args;
  return (
    (first === null ||
      first === undefined ||
      (Number.isInteger(first) && (first as number) >= 1 && (first as number) <= MAX_PAGE_SIZE)) &&
    (after === null ||
      after === undefined ||
      (typeof after === "string" && after.length <= 2048)) &&
    (integrationId === null ||
      integrationId === undefined ||
      (typeof integrationId === "string" && UUID.test(integrationId))) &&
    (orderBy === null || orderBy === undefined || (Array.isArray(orderBy) && orderBy.length <= 3))
  );
}

/**
 * The data of a query whose every root field is a planned list or lookup, answered from the
 * plans without graphql-js walking each field; null when any part is not (a field left to a
 * resolver, an argument to refuse, a null where the schema promises none): graphql-js then
 * executes the operation as usual, errors and all.
 */
async function answer(
  readPlans: ReadPlans,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>> | undefined,
): Promise<Record<string, unknown> | null> {
  const queryType = schema.getQueryType();
  if (operation.operation !== "query" || queryType === null || queryType === undefined) {
    return null;
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors !== undefined) {
    return null;
  }
  const variableValues = coerced.coerced;
  // Every root field is planned before any runs: one that is not sends the whole operation
  // through graphql-js.
  const parts: Array<() => Promise<readonly [string, unknown]>> = [];
  for (const [responseKey, fieldNodes] of collectFields(
    schema,
    fragments,
    variableValues,
    queryType,
    operation.selectionSet,
  )) {
    const name = fieldNodes[0].name.value;
    if (name === "__typename") {
      parts.push(async () => [responseKey, queryType.name] as const);
      continue;
    }
    const root = ROOT_FIELDS.get(name);
    const definition = queryType.getFields()[name];
    if (root === undefined || definition === undefined) {
      return null;
    }
    const args = getArgumentValues(definition, fieldNodes[0], variableValues);
    if (!acceptable(args)) {
      return null;
    }
    const request: PlanRequest = {
      schema,
      operation,
      fragments,
      variableValues,
      responseKey,
      fieldNodes,
    };
    if (root.kind === "list") {
      const plan = readPlans.listPlan(root.table, request);
      if (plan === null || !plan.direct) {
        return null;
      }
      parts.push(async () => {
        const page = await readPlans.runList(root.table, plan, args);
        return [responseKey, await projectConnection(plan, page)] as const;
      });
    } else {
      const plan = readPlans.lookupPlan(root.table, request);
      if (plan === null || !plan.direct) {
        return null;
      }
      parts.push(async () => {
        const record = await readPlans.runLookup(root.table, plan, args);
        return [responseKey, record === null ? null : projectRecord(plan.output, record)] as const;
      });
    }
  }
  try {
    return Object.fromEntries(await Promise.all(parts.map((part) => part())));
  } catch {
    // Bad arguments, a refused relation argument, a database failure: graphql-js runs the
    // resolvers, which report it exactly as they always have.
    return null;
  }
}

/**
 * Answers queries made only of planned lists and lookups straight from their read plans:
 * graphql-js's per-field execution is most of a page's cost, and a plan already holds the
 * response's shape. Validation, limits and the other plugins' hooks run as for any request.
 */
export function readPlansPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({
          contextValue,
          schema,
          operation,
          document,
          request,
        }): Promise<GraphQLResponse | null> {
          // No operation when the document does not name one to run: Apollo reports that itself.
          if (contextValue.readPlans === null || operation === undefined || operation === null) {
            return null;
          }
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) {
              fragments[definition.name.value] = definition;
            }
          }
          const data = await answer(
            contextValue.readPlans,
            schema,
            operation,
            fragments,
            request.variables,
          );
          if (data === null) {
            return null;
          }
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: "single", singleResult: { data } },
          };
        },
      };
    },
  };
}
