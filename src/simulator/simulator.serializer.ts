import type { FieldDef } from "./simulator.dictionary";
import type { SimRecord } from "./simulator.store";
import { utcTextToZone } from "./simulator.time";

/** `sysparm_display_value`: raw values, display strings, or both. */
export type DisplayMode = "false" | "true" | "all";

export interface ReferenceLink {
  readonly link: string;
  readonly value: string;
}

export interface DisplayPair {
  readonly display_value: string | null;
  readonly value: string;
  readonly link?: string;
}

export interface DisplayLink {
  readonly display_value: string;
  readonly link: string;
}

export type OutputValue = string | ReferenceLink | DisplayPair | DisplayLink;

export interface SerializeOptions {
  readonly fields: readonly FieldDef[];
  readonly display: DisplayMode;
  readonly excludeReferenceLink: boolean;
  /** Instance URL for reference links, e.g. http://127.0.0.1:4010. */
  readonly baseUrl: string;
  /** The API user's zone, for date-time display values. */
  readonly timeZone: string;
  /** Display value of a referenced record; null when no such record exists. */
  readonly referenceDisplay: (table: string, sysId: string) => string | null;
}

function displayValue(field: FieldDef, raw: string, options: SerializeOptions): string | null {
  switch (field.type) {
    case "reference":
      if (raw === "") {
        return "";
      }
      return (
        options.referenceDisplay(field.reference ?? "", raw) ??
        (field.displayValueWhenMissing ? raw : "")
      );
    case "choice":
      // An empty choice has no label at all: display_value null, as recorded.
      return raw === "" ? null : (field.choices?.get(raw) ?? raw);
    case "date_time":
      return raw === "" ? "" : utcTextToZone(options.timeZone, raw);
    case "due_date":
      return raw === "" ? "UNKNOWN" : utcTextToZone(options.timeZone, raw);
    case "string":
    case "integer":
    case "boolean":
    case "date":
    case "journal":
      return raw;
  }
}

/** One record in the Table API's shape for the requested fields and display mode. */
export function serializeRecord(
  record: SimRecord,
  options: SerializeOptions,
): Record<string, OutputValue> {
  const out: Record<string, OutputValue> = {};
  const { display, excludeReferenceLink, baseUrl } = options;
  for (const field of options.fields) {
    const raw = record[field.name] ?? "";
    const linked = field.type === "reference" && raw !== "" && !excludeReferenceLink;
    const link = linked ? `${baseUrl}/api/now/table/${field.reference}/${raw}` : "";
    if (display === "false") {
      out[field.name] = linked ? { link, value: raw } : raw;
    } else if (display === "true") {
      const shown = displayValue(field, raw, options) ?? "";
      out[field.name] = linked ? { display_value: shown, link } : shown;
    } else {
      const shown = displayValue(field, raw, options);
      out[field.name] = linked
        ? { display_value: shown, link, value: raw }
        : { display_value: shown, value: raw };
    }
  }
  return out;
}
