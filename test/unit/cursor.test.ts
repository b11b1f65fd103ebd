import { GatewayError } from "../../src/common/gateway.error";
import { cursorScopeOf, decodeCursor, encodeCursor } from "../../src/database/keyset-cursor";

const raw = (payload: unknown): string =>
  Buffer.from(JSON.stringify(payload)).toString("base64url");

function badInputOf(action: () => unknown): GatewayError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("expected a GatewayError");
}

const SCOPE = "abcdefghijk_";
const OTHER_SCOPE = "abcdefghijk-";

describe("encodeCursor / decodeCursor", () => {
  it("returns what was encoded when decoded for the same ordering and scope", () => {
    const cursor = {
      ordering: "priority:ASC,openedAt:DESC",
      values: [3, "2024-01-02T03:04:05.000Z"],
      id: 42,
      scope: SCOPE,
    };
    expect(decodeCursor(encodeCursor(cursor), { ordering: cursor.ordering, scope: SCOPE })).toEqual(
      cursor,
    );
  });

  it("keeps NULL, boolean and string ids as they were", () => {
    const cursor = { ordering: "startedAt:DESC", values: [null, true], id: "a-uuid", scope: SCOPE };
    expect(
      decodeCursor(encodeCursor(cursor), { ordering: "startedAt:DESC", scope: SCOPE }),
    ).toEqual(cursor);
  });

  it("returns an opaque, URL-safe string", () => {
    const encoded = encodeCursor({
      ordering: "number:ASC",
      values: ["INC/0+1?"],
      id: 1,
      scope: SCOPE,
    });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain("INC");
  });

  it("rejects a cursor issued for another ordering, naming the argument", () => {
    const encoded = encodeCursor({
      ordering: "openedAt:DESC",
      values: [null],
      id: 1,
      scope: SCOPE,
    });
    const error = badInputOf(() =>
      decodeCursor(encoded, { ordering: "openedAt:ASC", scope: SCOPE }, "after"),
    );
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("after");
    expect(error.message).toMatch(/another orderBy/);
  });

  it("rejects a cursor issued for another filter or integrationId, naming the argument", () => {
    const encoded = encodeCursor({ ordering: "number:ASC", values: ["A"], id: 1, scope: SCOPE });
    const error = badInputOf(() =>
      decodeCursor(encoded, { ordering: "number:ASC", scope: OTHER_SCOPE }, "after"),
    );
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("after");
    expect(error.message).toMatch(/another filter or integrationId/);
  });

  it("rejects a cursor without a digest (issued before cursors carried one) with a clear message", () => {
    const error = badInputOf(() =>
      decodeCursor(raw(["number:ASC", ["A"], 1]), { ordering: "number:ASC", scope: SCOPE }),
    );
    expect(error.field).toBe("after");
    expect(error.message).toMatch(/earlier version of the gateway; restart paging without after/);
  });

  it.each([
    ["characters outside base64url", "abc+/="],
    ["an empty string", ""],
    ["more than 2048 characters", "a".repeat(2049)],
    ["base64 of something not JSON", Buffer.from("{oops").toString("base64url")],
    ["a JSON object instead of a tuple", raw({ ordering: "x", values: [], id: 1 })],
    ["a tuple of the wrong length", raw(["x", [], 1, SCOPE, 2])],
    ["a non-string ordering", raw([1, [], 1, SCOPE])],
    ["values that are not a list", raw(["x", "v", 1, SCOPE])],
    ["an id that is neither number nor string", raw(["x", [], null, SCOPE])],
    ["an object among the values", raw(["x", [{ a: 1 }], 1, SCOPE])],
    ["a list among the values", raw(["x", [[1]], 1, SCOPE])],
    ["a digest that is not one", raw(["x", [], 1, "short"])],
  ])("rejects %s as BAD_USER_INPUT on the given field", (_name, value) => {
    const error = badInputOf(() => decodeCursor(value, { ordering: "x", scope: SCOPE }, "cursor"));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("cursor");
    expect(error.message).toMatch(/Invalid cursor for cursor/);
  });
});

describe("cursorScopeOf", () => {
  const base = {
    table: "incident",
    integrationId: null,
    filter: { state: ["NEW"], priority: [1, 2] },
    ordering: "number:ASC",
  };

  it("is 12 base64url characters, the same for the same request", () => {
    expect(cursorScopeOf(base)).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(cursorScopeOf({ ...base })).toBe(cursorScopeOf(base));
  });

  it("does not depend on the filter's key order, nor on undefined against null integrationId", () => {
    expect(cursorScopeOf({ ...base, filter: { priority: [1, 2], state: ["NEW"] } })).toBe(
      cursorScopeOf(base),
    );
    expect(cursorScopeOf({ ...base, integrationId: undefined })).toBe(cursorScopeOf(base));
  });

  it.each([
    ["table", { table: "problem" }],
    ["integrationId", { integrationId: "5c1b1c1e-0000-4000-8000-000000000000" }],
    ["filter", { filter: { state: ["NEW"] } }],
    ["ordering", { ordering: "number:DESC" }],
  ])("changes with the %s", (_name, change) => {
    expect(cursorScopeOf({ ...base, ...change })).not.toBe(cursorScopeOf(base));
  });
});
