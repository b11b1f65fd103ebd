import {
  type ASTNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

/** Rejects operations nested deeper than `maxDepth` selection levels (fragments followed). */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, definition);
      }
    }
    const depthOf = (selectionSet: SelectionSetNode, visited: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(
            deepest,
            selection.selectionSet ? 1 + depthOf(selection.selectionSet, visited) : 1,
          );
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, visited));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (fragment && !visited.has(name)) {
            deepest = Math.max(
              deepest,
              depthOf(fragment.selectionSet, new Set([...visited, name])),
            );
          }
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
