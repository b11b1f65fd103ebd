import { ServiceNowError } from "./servicenow.errors";
import type { RawValue } from "./servicenow.types";
import { parseServiceNowDateTime } from "./servicenow-datetime";

/**
 * Pure readers over the three raw value shapes (plain string, `{link, value}` reference,
 * `{display_value, value}` pair). A missing field reads as empty, like ServiceNow's own `""`.
 */

/** The stored value: the string itself, or `.value` of a reference or display pair. */
export function readValue(raw: RawValue | undefined): string {
  if (raw === undefined) {
    return "";
  }
  return typeof raw === "string" ? raw : raw.value;
}

/** Like `readValue`, with `""` as null. */
export function readOptionalValue(raw: RawValue | undefined): string | null {
  const value = readValue(raw);
  return value === "" ? null : value;
}

/** The referenced sys_id from any of the three shapes; null for an empty reference. */
export function readReference(raw: RawValue | undefined): string | null {
  return readOptionalValue(raw);
}

/**
 * The display value of a `sysparm_display_value=all` pair, or a plain string as returned with
 * `sysparm_display_value=true`. A bare `{link, value}` reference carries no label: null.
 */
export function readDisplayValue(raw: RawValue | undefined): string | null {
  if (raw === undefined) {
    return null;
  }
  if (typeof raw === "string") {
    return raw === "" ? null : raw;
  }
  if ("display_value" in raw) {
    return raw.display_value === "" ? null : raw.display_value;
  }
  return null;
}

/** A UTC date-time value as a Date; null when empty. Unreadable text throws INVALID_RESPONSE. */
export function readDateTime(raw: RawValue | undefined): Date | null {
  return parseServiceNowDateTime(readValue(raw));
}

/** An integer value; null when empty. Non-integer text throws INVALID_RESPONSE. */
export function readInt(raw: RawValue | undefined): number | null {
  const value = readValue(raw);
  if (value === "") {
    return null;
  }
  if (!isIntegerText(value)) {
    throw unreadable(value, "an integer");
  }
  return Number(value);
}

/** `-?\d+` in ASCII digits, tested by character (the sync reads every integer through it). */
export function isIntegerText(value: string): boolean {
  const start = value.charCodeAt(0) === MINUS ? 1 : 0;
  if (value.length === start) {
    return false;
  }
  for (let index = start; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < ZERO || code > NINE) {
      return false;
    }
  }
  return true;
}

const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** `"true"`/`"false"` as a boolean; null when empty. Anything else throws INVALID_RESPONSE. */
export function readBoolean(raw: RawValue | undefined): boolean | null {
  const value = readValue(raw);
  if (value === "") {
    return null;
  }
  if (value === "true") {
    return true;
  }
  if (value === "false") {
    return false;
  }
  throw unreadable(value, '"true" or "false"');
}

function unreadable(value: string, expected: string): ServiceNowError {
  return new ServiceNowError({
    code: "INVALID_RESPONSE",
    retryable: false,
    message: `ServiceNow returned "${value.slice(0, 40)}" where ${expected} was expected`,
  });
}
