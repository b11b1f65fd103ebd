import type { DataSource } from "typeorm";

import type { DatabaseConfig } from "../config/config";
import type { Logger } from "../logging/logger";
import { StartupAbortedError, StartupError, StartupErrorCode } from "../startup/startup.error";
import { type DataSourceSettings, MigrationError, openDataSource } from "./data-source";
import {
  type DatabaseLocation,
  isDatabaseAuthError,
  isDatabaseUnavailableError,
  isUnknownDatabaseError,
  locationOf,
  safeReason,
} from "./database-errors";
import { TypeOrmPinoLogger } from "./typeorm-pino.logger";

export interface ConnectSettings extends DataSourceSettings {
  /** How long to keep retrying an unreachable database; 0 makes one attempt. */
  readonly timeoutMs: number;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5_000;

/**
 * Opens the database and applies migrations, as openDataSource does, but for start-up: a
 * database that is not reachable yet (PostgreSQL starting beside the gateway) is retried with
 * backoff until `timeoutMs`, each wait logged at warn; anything else fails at once. Every
 * failure is a StartupError naming the database by host:port (or file), never its password.
 */
export async function connectDatabase(
  database: DatabaseConfig,
  settings: ConnectSettings,
): Promise<DataSource> {
  const location = locationOf(database);
  const started = Date.now();
  const deadline = started + settings.timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(settings.signal);
    try {
      return await openDataSource(database, {
        ...settings,
        logger: settings.logger ?? new TypeOrmPinoLogger(settings.log),
        connectTimeoutMs: Math.max(1000, Math.min(10_000, deadline - Date.now())),
      });
    } catch (error) {
      throwIfAborted(settings.signal);
      const retryable = database.kind === "postgres" && isDatabaseUnavailableError(error);
      const remaining = deadline - Date.now();
      if (!retryable || remaining <= 0) {
        throw startupErrorOf(error, database, location, Date.now() - started);
      }
      const delay = Math.min(FIRST_DELAY_MS * 2 ** (attempt - 1), MAX_DELAY_MS, remaining);
      settings.log.warn(
        {
          database: location.address,
          attempt,
          retryInMs: delay,
          giveUpInS: Math.ceil(remaining / 1000),
          reason: safeReason(error, location),
        },
        "database not reachable yet; waiting for it",
      );
      await sleep(delay, settings.signal);
    }
  }
}

function startupErrorOf(
  error: unknown,
  database: DatabaseConfig,
  location: DatabaseLocation,
  waitedMs: number,
): StartupError {
  const reason = safeReason(error instanceof MigrationError ? error.cause : error, location);
  const options = { cause: error };
  if (database.kind === "sqlite") {
    return error instanceof MigrationError
      ? new StartupError(
          StartupErrorCode.MIGRATION_FAILED,
          `${error.migration ?? "a migration"} on SQLite ${location.address}`,
          reason,
          options,
        )
      : new StartupError(StartupErrorCode.DATABASE_OPEN_FAILED, location.address, reason, options);
  }
  if (isDatabaseUnavailableError(error)) {
    const waited = waitedMs >= 1000 ? `no answer for ${Math.round(waitedMs / 1000)} s: ` : "";
    return new StartupError(
      StartupErrorCode.DATABASE_UNREACHABLE,
      location.address,
      `${waited}${reason}`,
      options,
    );
  }
  if (error instanceof MigrationError) {
    return new StartupError(
      StartupErrorCode.MIGRATION_FAILED,
      `${error.migration ?? "a migration"} on PostgreSQL ${location.address}`,
      reason,
      options,
    );
  }
  if (isDatabaseAuthError(error)) {
    return new StartupError(
      StartupErrorCode.DATABASE_AUTH_FAILED,
      `${location.user ? `user "${location.user}" at ` : ""}${location.address}`,
      reason,
      options,
    );
  }
  if (isUnknownDatabaseError(error)) {
    return new StartupError(
      StartupErrorCode.DATABASE_NOT_FOUND,
      `${location.name ? `database "${location.name}" at ` : ""}${location.address}`,
      reason,
      options,
    );
  }
  return new StartupError(
    StartupErrorCode.DATABASE_CONNECT_FAILED,
    location.address,
    reason,
    options,
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new StartupAbortedError();
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
