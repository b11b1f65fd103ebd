export type MappingErrorCode =
  /** A field the row cannot exist without (sys_id, the timestamps, a journal key) is empty. */
  | "MISSING_VALUE"
  /** A field holds something its column cannot take (a malformed sys_id, date-time, integer…). */
  | "INVALID_VALUE";

export interface MappingErrorInit {
  readonly code: MappingErrorCode;
  readonly table: string;
  /** The record's sys_id when it has a usable one. */
  readonly sysId: string | null;
  readonly field: string;
  readonly message: string;
  readonly cause?: unknown;
}

/**
 * A ServiceNow record the gateway refuses to store: a malformed payload, not a transient failure,
 * so retrying the same page cannot help. Carries the table, sys_id and field so the sync run's
 * error names the record to look at.
 */
export class MappingError extends Error {
  override readonly name = "MappingError";
  readonly code: MappingErrorCode;
  readonly table: string;
  readonly sysId: string | null;
  readonly field: string;
  readonly retryable = false;

  constructor(init: MappingErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.table = init.table;
    this.sysId = init.sysId;
    this.field = init.field;
  }
}

export function isMappingError(error: unknown): error is MappingError {
  return error instanceof MappingError;
}
