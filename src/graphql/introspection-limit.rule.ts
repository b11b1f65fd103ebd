import {
  type ASTNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

import { fragmentsByName, isIntrospectionRootField } from "./introspection-fields";

/** Fields of the introspection types that return a list as long as the schema's parts. */
const INTROSPECTION_LISTS = new Set([
  "types",
  "directives",
  "fields",
  "args",
  "inputFields",
  "interfaces",
  "possibleTypes",
  "enumValues",
]);

/**
 * graphql-js's full introspection query (`getIntrospectionQuery`) selects 9 schema-long lists;
 * Sandbox, GraphiQL, codegen and rover send variants of it.
 */
export const MAX_INTROSPECTION_LISTS = 50;

/**
 * Introspection's breadth bound. Depth and cost limits skip introspection, and graphql-js's
 * `MaxIntrospectionDepthRule` bounds how deep its lists nest, but not how often they repeat:
 * `a1: __schema { types { fields { name } } } a2: __schema { … } …` would answer the whole schema
 * once per alias. This counts the list fields selected under `__schema` and `__type` (fragments
 * expanded, aliases counted) and rejects an operation selecting more than `maxLists`.
 */
export function introspectionLimitRule(maxLists = MAX_INTROSPECTION_LISTS): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsByName(context.getDocument());
    // Per fragment and per place (inside introspection or not): counted once, spread many times.
    const fragmentCounts = new Map<string, number>();
    const fragmentCount = (
      name: string,
      inside: boolean,
      visiting: ReadonlySet<string>,
    ): number => {
      const key = `${inside}:${name}`;
      const known = fragmentCounts.get(key);
      if (known !== undefined) {
        return known;
      }
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are reported by graphql-js's own rules.
      if (!fragment || visiting.has(name)) {
        return 0;
      }
      const count = countOf(fragment.selectionSet, inside, new Set([...visiting, name]));
      fragmentCounts.set(key, count);
      return count;
    };
    const countOf = (
      selectionSet: SelectionSetNode,
      inside: boolean,
      visiting: ReadonlySet<string>,
    ): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          total += fragmentCount(selection.name.value, inside, visiting);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          total += countOf(selection.selectionSet, inside, visiting);
        } else if (selection.selectionSet) {
          const below = inside || isIntrospectionRootField(selection);
          const own = inside && INTROSPECTION_LISTS.has(selection.name.value) ? 1 : 0;
          total += own + countOf(selection.selectionSet, below, visiting);
        }
      }
      return total;
    };
    return {
      OperationDefinition(node: ASTNode) {
        if (node.kind !== Kind.OPERATION_DEFINITION) {
          return;
        }
        const lists = countOf(node.selectionSet, false, new Set());
        if (lists > maxLists) {
          context.reportError(
            new GraphQLError(
              `Introspection selects ${lists} lists of the schema; the limit is ${maxLists}. Ask for the schema once, as graphql-js's getIntrospectionQuery does.`,
              { nodes: [node], extensions: { code: "INTROSPECTION_TOO_LARGE" } },
            ),
          );
        }
      },
    };
  };
}
