const formatters = new Map<string, Intl.DateTimeFormat | null>();

/**
 * A formatter of a zone's wall clock (24-hour, every field two digits but the year), created
 * once per zone; null for a zone ICU does not know, so each caller raises its own error.
 */
export function wallClockFormatterOf(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
