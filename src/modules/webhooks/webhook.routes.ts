import express, { type Request, type Response, Router } from "express";

import type { WebhookCoalescer } from "./webhook.coalescer";
import { WebhookError, type WebhookOutcome } from "./webhook.errors";
import { WEBHOOK_PATH, type WebhookService } from "./webhook.service";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from "./webhook.signature";

/** A notification is a few hundred bytes; a batching business rule stays well below this. */
export const WEBHOOK_BODY_LIMIT = "64kb";

export interface WebhookRouteMetrics {
  webhookNotified(outcome: WebhookOutcome, count?: number): void;
}

/**
 * `POST /webhooks/servicenow/:integrationId`: verified against the raw bytes (the HMAC covers
 * them exactly), answered 202 as soon as the notifications are queued, before any ServiceNow
 * call. Refusals are JSON `{ error: { code, message, field? } }` and change nothing.
 */
export function webhookRoutes(
  service: WebhookService,
  coalescer: WebhookCoalescer,
  metrics: WebhookRouteMetrics,
): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  router.post(`${WEBHOOK_PATH}/:integrationId`, (req: Request, res: Response) => {
    // Counted from the first byte, so the coalescer does not call a burst quiet meanwhile.
    const done = coalescer.arriving(String(req.params.integrationId));
    res.once("close", done);
    raw(req, res, (error?: unknown) => {
      if (error !== undefined) {
        const tooLarge = (error as { type?: unknown }).type === "entity.too.large";
        refuse(
          req,
          res,
          metrics,
          new WebhookError(
            "WEBHOOK_BAD_REQUEST",
            tooLarge
              ? `The body is larger than ${WEBHOOK_BODY_LIMIT}.`
              : "The body could not be read.",
            "body",
          ),
          tooLarge ? 413 : 400,
        );
        return;
      }
      void receive(req, res, done);
    });
  });

  async function receive(req: Request, res: Response, done: () => void): Promise<void> {
    const receivedAt = Date.now();
    const integrationId = String(req.params.integrationId);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const notifications = await service.verify(integrationId, {
        timestamp: req.header(TIMESTAMP_HEADER),
        signature: req.header(SIGNATURE_HEADER),
        rawBody,
      });
      coalescer.add(integrationId, notifications, receivedAt);
      done();
      metrics.webhookNotified("accepted", notifications.length);
      res.status(202).json({ accepted: notifications.length });
    } catch (error) {
      if (error instanceof WebhookError) {
        refuse(req, res, metrics, error, error.status);
        return;
      }
      req.log.error({ err: error, integrationId }, "webhook notification failed");
      res.status(500).json({
        error: { code: "INTERNAL_SERVER_ERROR", message: "The notification was not accepted." },
      });
    }
  }

  return router;
}

function refuse(
  req: Request,
  res: Response,
  metrics: WebhookRouteMetrics,
  error: WebhookError,
  status: number,
): void {
  metrics.webhookNotified(error.outcome);
  req.log.info({ code: error.code, field: error.field }, `webhook refused: ${error.message}`);
  res.status(status).json({
    error: {
      code: error.code,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
    },
  });
}
