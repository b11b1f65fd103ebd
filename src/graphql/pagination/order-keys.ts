import { GatewayError } from "../../common/gateway.error";
import type { SortKey } from "../../database/keyset";

export interface OrderInput<TField extends string> {
  readonly field: TField;
  readonly direction: "ASC" | "DESC";
}

/** Turns a validated `orderBy` into keyset sort keys; duplicates are refused. */
export function toSortKeys<TField extends string>(
  orderBy: readonly OrderInput<TField>[] | null | undefined,
  columns: Readonly<Record<TField, Omit<SortKey, "direction">>>,
  fallback: readonly OrderInput<TField>[],
): SortKey[] {
  const requested = orderBy && orderBy.length > 0 ? orderBy : fallback;
  const seen = new Set<TField>();
  return requested.map((order) => {
    if (seen.has(order.field)) {
      throw GatewayError.badInput("orderBy", `orderBy names ${order.field} twice`);
    }
    seen.add(order.field);
    return { ...columns[order.field], direction: order.direction };
  });
}

export function pageSize(first: number | null | undefined, defaultSize: number): number {
  return first ?? defaultSize;
}
