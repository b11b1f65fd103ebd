import { getSystemErrorMap } from "node:util";

/** Why the gateway could not start; each code has one wording in startup-failure.ts. */
export enum StartupErrorCode {
  CONFIG_INVALID = "CONFIG_INVALID",
  DATA_DIR_UNUSABLE = "DATA_DIR_UNUSABLE",
  SECRET_KEY_INVALID = "SECRET_KEY_INVALID",
  SECRET_KEY_FILE_INVALID = "SECRET_KEY_FILE_INVALID",
  SECRET_KEY_FILE_UNREADABLE = "SECRET_KEY_FILE_UNREADABLE",
  SECRET_KEY_UNKNOWN = "SECRET_KEY_UNKNOWN",
  DATABASE_UNREACHABLE = "DATABASE_UNREACHABLE",
  DATABASE_AUTH_FAILED = "DATABASE_AUTH_FAILED",
  DATABASE_NOT_FOUND = "DATABASE_NOT_FOUND",
  DATABASE_CONNECT_FAILED = "DATABASE_CONNECT_FAILED",
  DATABASE_OPEN_FAILED = "DATABASE_OPEN_FAILED",
  MIGRATION_FAILED = "MIGRATION_FAILED",
  PORT_IN_USE = "PORT_IN_USE",
  PORT_NOT_PERMITTED = "PORT_NOT_PERMITTED",
  HOST_NOT_AVAILABLE = "HOST_NOT_AVAILABLE",
}

/**
 * A start-up failure the operator can fix. `where` names the variable, file or host:port at
 * fault and `reason` what was wrong there; neither may hold a password or key.
 */
export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    readonly where: string,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${code} at ${where}: ${reason}`, options);
    this.name = "StartupError";
  }

  /** A failed system call at `where`, as "EACCES: permission denied" (`where` says the rest). */
  static ofSystemError(code: StartupErrorCode, where: string, error: unknown): StartupError {
    const errno = error as NodeJS.ErrnoException;
    const described =
      typeof errno.errno === "number"
        ? getSystemErrorMap().get(errno.errno)?.join(": ")
        : undefined;
    return new StartupError(
      code,
      where,
      described ?? (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }
}

/** Start-up was cancelled (SIGTERM/SIGINT while waiting): not a failure. */
export class StartupAbortedError extends Error {
  constructor() {
    super("start-up cancelled");
    this.name = "StartupAbortedError";
  }
}
