import { GatewayError } from "../../src/common/gateway.error";
import { decodeCursor, encodeCursor } from "../../src/database/keyset-cursor";

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

describe("encodeCursor / decodeCursor", () => {
  it("returns what was encoded when decoded for the same ordering", () => {
    const cursor = {
      ordering: "priority:ASC,openedAt:DESC",
      values: [3, "2024-01-02T03:04:05.000Z"],
      id: 42,
    };
    expect(decodeCursor(encodeCursor(cursor), cursor.ordering)).toEqual(cursor);
  });

  it("keeps NULL, boolean and string ids as they were", () => {
    const cursor = { ordering: "startedAt:DESC", values: [null, true], id: "a-uuid" };
    expect(decodeCursor(encodeCursor(cursor), "startedAt:DESC")).toEqual(cursor);
  });

  it("returns an opaque, URL-safe string", () => {
    const encoded = encodeCursor({ ordering: "number:ASC", values: ["INC/0+1?"], id: 1 });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain("INC");
  });

  it("rejects a cursor issued for another ordering, naming the argument", () => {
    const encoded = encodeCursor({ ordering: "openedAt:DESC", values: [null], id: 1 });
    const error = badInputOf(() => decodeCursor(encoded, "openedAt:ASC", "after"));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("after");
    expect(error.message).toMatch(/another orderBy/);
  });

  it.each([
    ["characters outside base64url", "abc+/="],
    ["an empty string", ""],
    ["more than 2048 characters", "a".repeat(2049)],
    ["base64 of something not JSON", Buffer.from("{oops").toString("base64url")],
    ["a JSON object instead of a tuple", raw({ ordering: "x", values: [], id: 1 })],
    ["a tuple of the wrong length", raw(["x", [], 1, 2])],
    ["a non-string ordering", raw([1, [], 1])],
    ["values that are not a list", raw(["x", "v", 1])],
    ["an id that is neither number nor string", raw(["x", [], null])],
    ["an object among the values", raw(["x", [{ a: 1 }], 1])],
    ["a list among the values", raw(["x", [[1]], 1])],
  ])("rejects %s as BAD_USER_INPUT on the given field", (_name, value) => {
    const error = badInputOf(() => decodeCursor(value, "x", "cursor"));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe("cursor");
    expect(error.message).toMatch(/Invalid cursor for cursor/);
  });
});
