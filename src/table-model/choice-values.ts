/**
 * Reverse lookup for a choice enum whose members stand for ServiceNow's raw values: unknown
 * (instance-specific) values map to null, never to an error.
 */
export function choiceOf<E extends string>(
  rawValues: Readonly<Record<E, string>>,
): (value: string | null) => E | null {
  const byValue = new Map(Object.entries(rawValues).map(([member, value]) => [value, member as E]));
  return (value) => (value === null ? null : (byValue.get(value) ?? null));
}

/** A choice's members as an enum-like object (`IncidentState.NEW === "NEW"`). */
export function choiceMembersOf<E extends string>(
  rawValues: Readonly<Record<E, string>>,
): { readonly [K in E]: K } {
  const members = Object.fromEntries(Object.keys(rawValues).map((member) => [member, member]));
  // Built from the record's own keys: every key maps to itself.
  return members as { readonly [K in E]: K };
}
