/**
 * The sync threads' database failures, apart from the rest of the wire: the page writer thread
 * loads this and its driver, not the ServiceNow client the other errors come from.
 */

/** A database failure of the worker's connection, told apart from the errors around it. */
export class WorkerDatabaseError extends Error {
  override readonly name = "WorkerDatabaseError";

  constructor(
    readonly query: string | undefined,
    readonly driverError: unknown,
  ) {
    // Duck-typed: a native driver's error may come from another realm (jest), failing instanceof.
    const message = (driverError as { message?: unknown } | null)?.message;
    super(typeof message === "string" ? message : String(driverError));
  }
}

/** The worker's own database connection failed; `query` is the statement's text. */
export interface DatabaseWireError {
  readonly kind: "database";
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly query?: string;
}

export function databaseWire(error: WorkerDatabaseError): DatabaseWireError {
  const driver = error.driverError as { name?: unknown } | null;
  return {
    kind: "database",
    name: typeof driver?.name === "string" ? driver.name : "Error",
    message: error.message,
    code: codeOf(error.driverError),
    query: error.query,
  };
}

/** The error again, on the thread the wire form reached: the same name, code and message. */
export function databaseErrorOf(wire: DatabaseWireError): WorkerDatabaseError {
  return new WorkerDatabaseError(wire.query, {
    name: wire.name,
    message: wire.message,
    code: wire.code,
  });
}

/** A driver error's string `code` (SQLITE_BUSY, 23505…), if it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
