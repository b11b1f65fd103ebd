import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/**
 * The process-wide root logger. Children carry context (integration, table, run id).
 * Secrets are redacted by path as a second line of defence; they should never be logged at all.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "servicenow-gateway" },
    redact: {
      paths: [
        "password",
        "clientSecret",
        "accessToken",
        "refreshToken",
        "secret",
        "*.password",
        "*.clientSecret",
        "*.accessToken",
        "*.refreshToken",
        "*.secret",
        "req.headers.authorization",
        "req.headers.cookie",
      ],
      censor: "[redacted]",
    },
  };
  // Without a destination pino writes to stdout.
  return destination ? pino(options, destination) : pino(options);
}
