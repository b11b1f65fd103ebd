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
