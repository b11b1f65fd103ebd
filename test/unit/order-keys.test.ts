import { GatewayError } from "../../src/common/gateway.error";
import type { SortKey } from "../../src/database/keyset";
import { pageSize, toSortKeys } from "../../src/graphql/pagination/order-keys";

type Field = "NUMBER" | "OPENED_AT" | "PRIORITY";

const COLUMNS: Record<Field, Omit<SortKey, "direction">> = {
  NUMBER: { property: "number", nullable: true, kind: "string" },
  OPENED_AT: { property: "openedAt", nullable: true, kind: "date" },
  PRIORITY: { property: "priority", nullable: false, kind: "number" },
};
const FALLBACK = [{ field: "OPENED_AT" as const, direction: "DESC" as const }];

describe("toSortKeys", () => {
  it("returns the fallback ordering when orderBy is absent or empty", () => {
    const expected = [{ property: "openedAt", nullable: true, kind: "date", direction: "DESC" }];
    expect(toSortKeys(null, COLUMNS, FALLBACK)).toEqual(expected);
    expect(toSortKeys(undefined, COLUMNS, FALLBACK)).toEqual(expected);
    expect(toSortKeys([], COLUMNS, FALLBACK)).toEqual(expected);
  });

  it("returns the requested keys in order with their directions", () => {
    expect(
      toSortKeys(
        [
          { field: "PRIORITY", direction: "ASC" },
          { field: "NUMBER", direction: "DESC" },
        ],
        COLUMNS,
        FALLBACK,
      ),
    ).toEqual([
      { property: "priority", nullable: false, kind: "number", direction: "ASC" },
      { property: "number", nullable: true, kind: "string", direction: "DESC" },
    ]);
  });

  it("answers BAD_USER_INPUT on orderBy when a field is named twice, whatever the directions", () => {
    let caught: unknown;
    try {
      toSortKeys(
        [
          { field: "NUMBER", direction: "ASC" },
          { field: "PRIORITY", direction: "ASC" },
          { field: "NUMBER", direction: "DESC" },
        ],
        COLUMNS,
        FALLBACK,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ code: "BAD_USER_INPUT", field: "orderBy" });
    expect((caught as Error).message).toMatch(/NUMBER twice/);
  });
});

describe("pageSize", () => {
  it("returns the default when first is absent, and first otherwise", () => {
    expect(pageSize(undefined, 50)).toBe(50);
    expect(pageSize(null, 50)).toBe(50);
    expect(pageSize(7, 50)).toBe(7);
  });
});
