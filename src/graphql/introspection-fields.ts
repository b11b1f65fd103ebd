import type { FieldNode } from "graphql";

/**
 * `__schema` and `__type`: the roots of introspection. Depth and cost limits skip them and what
 * lies beneath (introspection has bounds of its own). Decided by the field's name only — never an
 * alias (`__schema: incidents { … }`), an operation name or a fragment name (the bypass of
 * GHSA-hmfr-rx46-4jx2, where a fragment merely named `__schema` escaped a depth limit).
 */
export function isIntrospectionRootField(field: FieldNode): boolean {
  return field.name.value === "__schema" || field.name.value === "__type";
}
