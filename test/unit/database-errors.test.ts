import {
  isDatabaseAuthError,
  isDatabaseUnavailableError,
  isUnknownDatabaseError,
  locationOf,
  safeReason,
} from "../../src/database/database-errors";

const withCode = (code: string, message = "failed") => Object.assign(new Error(message), { code });
/** TypeORM's QueryFailedError keeps the driver's error as driverError. */
const queryFailed = (driverError: unknown) =>
  Object.assign(new Error("query failed"), { name: "QueryFailedError", driverError });

describe("isDatabaseUnavailableError", () => {
  it.each([
    ["connect ECONNREFUSED", withCode("ECONNREFUSED")],
    ["a name not resolvable yet", withCode("ENOTFOUND")],
    ["a reset socket", withCode("ECONNRESET")],
    [
      "Node's AggregateError from trying IPv4 and IPv6",
      new AggregateError([withCode("ECONNREFUSED")]),
    ],
    ["57P01 admin shutdown, wrapped by TypeORM", queryFailed(withCode("57P01"))],
    ["57P03 still starting up", withCode("57P03")],
    ["08006 connection failure", withCode("08006")],
    ["53300 too many connections", withCode("53300")],
    ["a dropped connection (message only)", new Error("Connection terminated unexpectedly")],
    ["a pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["a closed SQLite handle", queryFailed(new TypeError("The database connection is not open"))],
    ["an error's cause", new Error("outer", { cause: withCode("ECONNREFUSED") })],
  ])("says yes to %s", (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ["a unique violation", queryFailed(withCode("23505"))],
    ["a syntax error", queryFailed(withCode("42601"))],
    ["a refused password", withCode("28P01")],
    ["a plain error", new Error("boom")],
    ["not an error", "ECONNREFUSED"],
  ])("says no to %s", (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it("tells refused credentials and a missing database apart", () => {
    expect(isDatabaseAuthError(withCode("28P01"))).toBe(true);
    expect(isDatabaseAuthError(withCode("28000"))).toBe(true);
    expect(isUnknownDatabaseError(withCode("3D000"))).toBe(true);
    expect(isDatabaseAuthError(withCode("3D000"))).toBe(false);
  });
});

describe("locationOf and safeReason", () => {
  it("names host:port, user and database, and masks the password in messages", () => {
    const location = locationOf({
      kind: "postgres",
      url: "postgres://gw:s%40cret-pw@db.internal:6432/gateway?sslmode=require",
    });
    expect(location).toMatchObject({ address: "db.internal:6432", user: "gw", name: "gateway" });
    expect(safeReason(new Error("bad s@cret-pw here\nsecond line"), location)).toBe("bad *** here");
  });

  it("defaults the PostgreSQL port and names a SQLite file by its path", () => {
    expect(locationOf({ kind: "postgres", url: "postgres://db/x" }).address).toBe("db:5432");
    expect(locationOf({ kind: "sqlite", path: "/var/lib/gw.sqlite" }).address).toBe(
      "/var/lib/gw.sqlite",
    );
  });
});
