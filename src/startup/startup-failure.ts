import { assertUnreachable } from "../common/gateway.error";
import { ConfigError } from "../config/config";
import { StartupError, StartupErrorCode } from "./startup.error";

/** A fatal start-up failure as the operator reads it: one line, and the stack for debugging. */
export interface StartupFailure {
  readonly code: StartupErrorCode | "UNEXPECTED";
  /** What failed, where, and what to do; never a password or key. */
  readonly line: string;
  /** Stack traces (with causes), for LOG_LEVEL=debug only. */
  readonly stack: string;
}

/**
 * The one place start-up errors get their wording. `secrets` are values that must not be
 * printed even if an unexpected error happens to quote them (passwords, keys, tokens).
 */
export function describeStartupFailure(
  error: unknown,
  secrets: readonly string[] = [],
): StartupFailure {
  const known = error instanceof ConfigError ? fromConfigError(error) : error;
  const text =
    known instanceof StartupError
      ? `${sentenceOf(known)} [${known.code}]`
      : `Cannot start the gateway: ${oneLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}. Run with LOG_LEVEL=debug for the stack trace.`;
  return {
    code: known instanceof StartupError ? known.code : "UNEXPECTED",
    line: mask(text, secrets),
    stack: mask(stackOf(error), secrets),
  };
}

function fromConfigError(error: ConfigError): StartupError {
  // ConfigError's message is "<variable>: <reason>"; keep the reason only.
  const reason = error.message.startsWith(`${error.variable}: `)
    ? error.message.slice(error.variable.length + 2)
    : error.message;
  return new StartupError(StartupErrorCode.CONFIG_INVALID, error.variable, reason, {
    cause: error,
  });
}

function sentenceOf(error: StartupError): string {
  const { where } = error;
  const reason = oneLine(error.reason);
  switch (error.code) {
    case StartupErrorCode.CONFIG_INVALID:
      return `Configuration error: ${where} ${reason}. Fix ${where} in the environment (every variable is described in .env.example).`;
    case StartupErrorCode.DATA_DIR_UNUSABLE:
      return `Cannot create or write ${where} (DATA_DIR; ${reason}). Make DATA_DIR a directory this user can write, or point it elsewhere.`;
    case StartupErrorCode.SECRET_KEY_INVALID:
      return `${where} is not a valid secret key: ${reason}. Set it to 32 random bytes, e.g. the output of \`openssl rand -base64 32\`.`;
    case StartupErrorCode.SECRET_KEY_FILE_INVALID:
      return `The secret key file ${where} does not hold a valid key: ${reason}. Restore it from a backup (stored credentials need the key that encrypted them), or set GATEWAY_SECRET_KEY.`;
    case StartupErrorCode.SECRET_KEY_FILE_UNREADABLE:
      return `Cannot read the secret key file ${where} (${reason}). Give the gateway's user read access to it (chmod 600, owned by that user), or set GATEWAY_SECRET_KEY.`;
    case StartupErrorCode.SECRET_KEY_UNKNOWN:
      return `Stored credentials of ${where} cannot be decrypted: ${reason}. Set GATEWAY_SECRET_KEY to the key they were written with, or list that key in GATEWAY_SECRET_KEYS_PREVIOUS.`;
    case StartupErrorCode.DATABASE_UNREACHABLE:
      return `Cannot reach PostgreSQL at ${where} (${reason}). Check that it is running and that DATABASE_URL names its host and port; DATABASE_CONNECT_TIMEOUT_SECONDS sets how long start-up waits for it.`;
    case StartupErrorCode.DATABASE_AUTH_FAILED:
      return `PostgreSQL refused ${where}: ${reason}. Check the user name and password in DATABASE_URL, and that pg_hba.conf lets this user connect from here.`;
    case StartupErrorCode.DATABASE_NOT_FOUND:
      return `PostgreSQL has no ${where}: ${reason}. Create it (e.g. \`createdb\`) or fix the database name in DATABASE_URL.`;
    case StartupErrorCode.DATABASE_CONNECT_FAILED:
      return `Cannot open the PostgreSQL database at ${where}: ${reason}. Check DATABASE_URL and that its user may create tables and the uuid-ossp extension.`;
    case StartupErrorCode.DATABASE_OPEN_FAILED:
      return `Cannot open the SQLite database ${where} (${reason}). Check that its directory exists and is writable by this user, or set DATABASE_URL to another file.`;
    case StartupErrorCode.MIGRATION_FAILED:
      return `Database migration ${where} failed: ${reason}. The database's schema is not what this version expects: point DATABASE_URL at this gateway's own (or an empty) database, or restore it from a backup; LOG_LEVEL=debug shows the stack.`;
    case StartupErrorCode.PORT_IN_USE:
      return `Cannot listen on ${where}: the port is already in use. Stop the other process, or set PORT to a free port.`;
    case StartupErrorCode.PORT_NOT_PERMITTED:
      return `Cannot listen on ${where}: ${reason}. Ports below 1024 need privileges: set PORT to 1024 or above (behind a proxy), or grant the process CAP_NET_BIND_SERVICE.`;
    case StartupErrorCode.HOST_NOT_AVAILABLE:
      return `Cannot listen on ${where}: ${reason}. Set HOST to an address of this machine, or 0.0.0.0 for all of them.`;
    default:
      return assertUnreachable(error.code);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/\.$/, "");
}

function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) {
      parts.push("Caused by:");
    }
  }
  return parts.join("\n");
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((masked, secret) => masked.split(secret).join("***"), text);
}
