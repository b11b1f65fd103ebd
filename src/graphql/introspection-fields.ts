import { type DocumentNode, type FieldNode, type FragmentDefinitionNode, Kind } from "graphql";

/**
 * `__schema` and `__type`: the roots of introspection. Depth and cost limits skip them and what
 * lies beneath (introspection has bounds of its own). Decided by the field's name only — never an
 * alias (`__schema: incidents { … }`), an operation name or a fragment name (the bypass of
 * GHSA-hmfr-rx46-4jx2, where a fragment merely named `__schema` escaped a depth limit).
 */
export function isIntrospectionRootField(field: FieldNode): boolean {
  return field.name.value === "__schema" || field.name.value === "__type";
}

/** The document's fragment definitions by name, for the limits that follow spreads. */
export function fragmentsByName(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}
