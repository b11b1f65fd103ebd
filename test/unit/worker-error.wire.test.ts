import Database from "better-sqlite3";
import { QueryFailedError } from "typeorm";

import { ServiceNowError } from "../../src/servicenow";
import { MappingError } from "../../src/sync/mappers/mapping.error";
import { rebuildWorkerError } from "../../src/sync/worker/sync-worker.host";
import { toWire, WorkerDatabaseError } from "../../src/sync/worker/worker-error.wire";

/** What the main thread gets for an error thrown in the sync worker (a MessagePort clones). */
const acrossThePort = (error: unknown, aborted = false): Error =>
  rebuildWorkerError(structuredClone(toWire(error, aborted)));

describe("errors crossing from the sync worker", () => {
  it("rebuilds a ServiceNowError with its class, code, retryable flag, message and details", () => {
    const original = new ServiceNowError({
      code: "RATE_LIMITED",
      retryable: true,
      message: "ServiceNow answered 429 Too Many Requests",
      status: 429,
      method: "GET",
      url: "/api/now/table/incident?sysparm_limit=500",
      retryAfterMs: 120_000,
      needsReauthorization: false,
      cause: new Error("not sent across"),
    });
    original.attempts = 3;
    const rebuilt = acrossThePort(original);
    expect(rebuilt).toBeInstanceOf(ServiceNowError);
    expect((rebuilt as ServiceNowError).toJSON()).toEqual(original.toJSON());
    expect(rebuilt.cause).toBeUndefined();
  });

  it("rebuilds a MappingError naming the table, record and field", () => {
    const original = new MappingError({
      code: "INVALID_VALUE",
      table: "incident",
      sysId: "a".repeat(32),
      field: "opened_at",
      message: "incident aaaa… opened_at is not a date-time: 'yesterday'",
    });
    const rebuilt = acrossThePort(original);
    expect(rebuilt).toBeInstanceOf(MappingError);
    expect(rebuilt).toMatchObject({
      code: "INVALID_VALUE",
      table: "incident",
      sysId: "a".repeat(32),
      field: "opened_at",
      retryable: false,
      message: original.message,
    });
  });

  it("rebuilds a failure of the worker's own connection as the QueryFailedError TypeORM throws", () => {
    const database = new Database(":memory:");
    database.exec("CREATE TABLE t (k TEXT PRIMARY KEY)");
    const sql = "INSERT INTO t (k) VALUES (?)";
    database.prepare(sql).run("x");
    let driverError: unknown;
    try {
      database.prepare(sql).run("x");
    } catch (error) {
      driverError = error;
    }
    database.close();
    const rebuilt = acrossThePort(new WorkerDatabaseError(sql, driverError));
    expect(rebuilt).toBeInstanceOf(QueryFailedError);
    expect(rebuilt.message).toBe(new QueryFailedError(sql, [], driverError as Error).message);
    expect(rebuilt).toMatchObject({
      query: sql,
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
      driverError: {
        name: "SqliteError",
        message: (driverError as Error).message,
        code: "SQLITE_CONSTRAINT_PRIMARYKEY",
      },
    });
  });

  it("marks an aborted job so the main thread rethrows its own reason", () => {
    expect(toWire(new Error("socket hang up"), true)).toEqual({ kind: "aborted" });
  });
});
