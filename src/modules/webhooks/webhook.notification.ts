import { SYNC_TABLES } from "../../sync/sync-tables";
import { WebhookError } from "./webhook.errors";

export type WebhookOperation = "insert" | "update" | "delete";

/** One change a ServiceNow business rule reported: a hint to fetch, never data to store. */
export interface WebhookNotification {
  readonly table: string;
  readonly sysId: string;
  readonly operation: WebhookOperation;
  /** As sent (`YYYY-MM-DD HH:MM:SS`, UTC); informative only, the fetch decides. */
  readonly sysUpdatedOn: string | null;
}

/** A batching business rule sends at most this many changes in one request. */
export const MAX_NOTIFICATIONS_PER_REQUEST = 500;

const SYNCED_TABLES: ReadonlySet<string> = new Set(SYNC_TABLES.map((table) => table.spec.name));
const OPERATIONS: ReadonlySet<string> = new Set(["insert", "update", "delete"]);
const SYS_ID = /^[0-9A-Za-z_]{1,64}$/;

/**
 * The notifications of a request body: one `{ table, sys_id, operation, sys_updated_on }` object
 * or an array of them. Refusals name the field at fault and never echo a value.
 */
export function parseNotifications(rawBody: Buffer): WebhookNotification[] {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new WebhookError("WEBHOOK_BAD_REQUEST", "The body is not valid JSON.", "body");
  }
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > MAX_NOTIFICATIONS_PER_REQUEST) {
      throw new WebhookError(
        "WEBHOOK_BAD_REQUEST",
        `A batch holds 1 to ${MAX_NOTIFICATIONS_PER_REQUEST} notifications.`,
        "body",
      );
    }
    return body.map((item, index) => notificationOf(item, `[${index}].`));
  }
  return [notificationOf(body, "")];
}

function notificationOf(value: unknown, prefix: string): WebhookNotification {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WebhookError(
      "WEBHOOK_BAD_REQUEST",
      "A notification is a JSON object { table, sys_id, operation, sys_updated_on }.",
      prefix === "" ? "body" : prefix.slice(0, -1),
    );
  }
  const item = value as Record<string, unknown>;
  const { table, sys_id: sysId, operation, sys_updated_on: sysUpdatedOn } = item;
  if (typeof table !== "string" || !SYNCED_TABLES.has(table)) {
    throw new WebhookError(
      "WEBHOOK_BAD_REQUEST",
      `table must be one of the tables the gateway syncs: ${[...SYNCED_TABLES].join(", ")}.`,
      `${prefix}table`,
    );
  }
  if (typeof sysId !== "string" || !SYS_ID.test(sysId)) {
    throw new WebhookError(
      "WEBHOOK_BAD_REQUEST",
      "sys_id must be a ServiceNow sys_id (letters, digits and _).",
      `${prefix}sys_id`,
    );
  }
  if (typeof operation !== "string" || !OPERATIONS.has(operation)) {
    throw new WebhookError(
      "WEBHOOK_BAD_REQUEST",
      "operation must be insert, update or delete.",
      `${prefix}operation`,
    );
  }
  if (sysUpdatedOn !== undefined && sysUpdatedOn !== null && typeof sysUpdatedOn !== "string") {
    throw new WebhookError(
      "WEBHOOK_BAD_REQUEST",
      "sys_updated_on must be a date-time string (YYYY-MM-DD HH:MM:SS).",
      `${prefix}sys_updated_on`,
    );
  }
  return {
    table,
    sysId,
    operation: operation as WebhookOperation,
    sysUpdatedOn: typeof sysUpdatedOn === "string" ? sysUpdatedOn.slice(0, 40) : null,
  };
}
