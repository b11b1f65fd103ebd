import { type Logger, pino } from "pino";

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
  readonly raw: string[];
  warnings(): Record<string, unknown>[];
}

/** A real pino logger whose JSON lines land in memory. */
export function captureLogger(): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const logger = pino(
    { level: "debug" },
    {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return {
    logger,
    lines,
    raw,
    warnings: () => lines.filter((line) => line.level === 40),
  };
}
