import type { DatabaseConfig } from "../config/config";

/** Socket-level codes: the database host is down, unreachable, or not resolvable (yet). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "not this": class 08 (connection
 * exception), 57P01–57P03 (admin or crash shutdown, still starting up), 53300 (too many
 * connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** node-postgres reports a dropped socket or a connect timeout with a message only. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|The database connection is not open|Driver not Connected/i;

const AUTH_SQLSTATE = new Set(["28P01", "28000"]);
const UNKNOWN_DATABASE_SQLSTATE = "3D000";

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
}

/** The error and what it wraps (TypeORM's driverError, cause, an AggregateError's errors). */
function* chainOf(error: unknown, depth = 0): Generator<ErrorLike> {
  if (typeof error !== "object" || error === null || depth > 5) {
    return;
  }
  yield error as ErrorLike;
  const record = error as Record<string, unknown>;
  for (const key of ["driverError", "cause", "originalError"]) {
    if (record[key] !== undefined && record[key] !== error) {
      yield* chainOf(record[key], depth + 1);
    }
  }
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      yield* chainOf(inner, depth + 1);
    }
  }
}

function codesOf(error: unknown): string[] {
  return [...chainOf(error)]
    .map((link) => link.code)
    .filter((code): code is string => typeof code === "string");
}

/**
 * True when a query failed because the database cannot be reached right now (down,
 * restarting, network cut) rather than because of the query: worth retrying later, and for
 * a client SERVICE_UNAVAILABLE instead of an internal error.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  if (codesOf(error).some((code) => NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
    return true;
  }
  return [...chainOf(error)].some(
    (link) => typeof link.message === "string" && UNAVAILABLE_MESSAGE.test(link.message),
  );
}

/** PostgreSQL refused the user or its password (or pg_hba.conf has no entry for it). */
export function isDatabaseAuthError(error: unknown): boolean {
  return codesOf(error).some((code) => AUTH_SQLSTATE.has(code));
}

/** The database named in DATABASE_URL does not exist on that server. */
export function isUnknownDatabaseError(error: unknown): boolean {
  return codesOf(error).includes(UNKNOWN_DATABASE_SQLSTATE);
}

/** What a message about this database may say: host:port for PostgreSQL, never a password. */
export interface DatabaseLocation {
  /** `host:port` for PostgreSQL, the file for SQLite. */
  readonly address: string;
  readonly user: string | null;
  readonly name: string | null;
  /** The URL's password, so messages can be checked not to carry it; never print it. */
  readonly password: string | null;
}

export function locationOf(database: DatabaseConfig): DatabaseLocation {
  if (database.kind === "sqlite") {
    return { address: database.path, user: null, name: null, password: null };
  }
  const url = new URL(database.url);
  return {
    address: `${url.hostname || "localhost"}:${url.port || "5432"}`,
    user: url.username ? decodeURIComponent(url.username) : null,
    name: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

/** One line of an error's message, with the database password (if any) masked. */
export function safeReason(error: unknown, location: DatabaseLocation): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split("\n")[0].trim() || (error instanceof Error ? error.name : "");
  return location.password ? firstLine.split(location.password).join("***") : firstLine;
}
