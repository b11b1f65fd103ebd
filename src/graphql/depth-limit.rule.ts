import {
  type ASTNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

import { fragmentsByName, isIntrospectionRootField } from "./introspection-fields";

/**
 * Rejects operations nested deeper than `maxDepth` selection levels (fragments followed).
 * Introspection (`__schema`, `__type` and everything beneath) is not counted: graphql-js's
 * `MaxIntrospectionDepthRule`, among the specified rules Apollo runs, and the introspection limit
 * bound it instead, so Sandbox and codegen can load the schema.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsByName(context.getDocument());
    // A fragment's depth does not depend on where it is spread: computed once, so a chain of
    // fragments each spreading the next twice costs linear time, not exponential.
    const fragmentDepths = new Map<string, number>();
    const fragmentDepth = (name: string, visiting: ReadonlySet<string>): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) {
        return known;
      }
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are reported by graphql-js's own rules.
      if (!fragment || visiting.has(name)) {
        return 0;
      }
      const depth = depthOf(fragment.selectionSet, new Set([...visiting, name]));
      fragmentDepths.set(name, depth);
      return depth;
    };
    const depthOf = (selectionSet: SelectionSetNode, visiting: ReadonlySet<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (isIntrospectionRootField(selection)) {
            continue;
          }
          deepest = Math.max(
            deepest,
            selection.selectionSet ? 1 + depthOf(selection.selectionSet, visiting) : 1,
          );
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
        } else {
          deepest = Math.max(deepest, fragmentDepth(selection.name.value, visiting));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node: ASTNode) {
        if (node.kind !== Kind.OPERATION_DEFINITION) {
          return;
        }
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is ${depth} levels deep; the limit is ${maxDepth}.`, {
              nodes: [node],
              extensions: { code: "QUERY_TOO_DEEP" },
            }),
          );
        }
      },
    };
  };
}
