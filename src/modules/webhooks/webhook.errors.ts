import { assertUnreachable } from "../../common/gateway.error";

/** Why the webhook endpoint refused a notification; the code is in the JSON answer. */
export type WebhookErrorCode =
  | "WEBHOOK_SIGNATURE_INVALID"
  | "WEBHOOK_TIMESTAMP_STALE"
  | "WEBHOOK_REPLAYED"
  | "WEBHOOK_INTEGRATION_UNKNOWN"
  | "WEBHOOK_BAD_REQUEST";

/** The metric outcome of each refusal (`gateway_webhook_notifications_total{outcome}`). */
export type WebhookOutcome =
  | "accepted"
  | "bad_signature"
  | "stale_timestamp"
  | "replay"
  | "unknown_integration"
  | "bad_request";

/** A refused notification: its message is safe to answer (never a secret, never the body). */
export class WebhookError extends Error {
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    /** The body field at fault (`table`, `[2].sys_id`), for WEBHOOK_BAD_REQUEST. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "WebhookError";
  }

  get status(): number {
    switch (this.code) {
      case "WEBHOOK_SIGNATURE_INVALID":
      case "WEBHOOK_TIMESTAMP_STALE":
      case "WEBHOOK_REPLAYED":
        return 401;
      case "WEBHOOK_INTEGRATION_UNKNOWN":
        return 404;
      case "WEBHOOK_BAD_REQUEST":
        return 400;
      default:
        return assertUnreachable(this.code);
    }
  }

  get outcome(): WebhookOutcome {
    switch (this.code) {
      case "WEBHOOK_SIGNATURE_INVALID":
        return "bad_signature";
      case "WEBHOOK_TIMESTAMP_STALE":
        return "stale_timestamp";
      case "WEBHOOK_REPLAYED":
        return "replay";
      case "WEBHOOK_INTEGRATION_UNKNOWN":
        return "unknown_integration";
      case "WEBHOOK_BAD_REQUEST":
        return "bad_request";
      default:
        return assertUnreachable(this.code);
    }
  }
}
