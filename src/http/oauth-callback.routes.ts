import { Router } from "express";

import type { Logger } from "../logging/logger";
import { OAUTH_CALLBACK_PATH } from "../modules/integrations/integration.service";
import {
  type IntegrationConnectionService,
  OAuthCallbackError,
} from "../modules/integrations/integration-connection.service";

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}

/**
 * ServiceNow redirects the browser here with `code` and `state` (or `error`). Success redirects
 * to a confirmation page; any failure shows an error page and changes nothing.
 */
export function oauthCallbackRoutes(
  connections: IntegrationConnectionService,
  logger: Logger,
): Router {
  const router = Router();
  const noStore = { "cache-control": "no-store", "content-type": "text/html; charset=utf-8" };
  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const param = (name: string): string =>
      typeof req.query[name] === "string" ? (req.query[name] as string) : "";
    if (param("error")) {
      res
        .status(400)
        .set(noStore)
        .send(
          page(
            "Authorization was not granted",
            `ServiceNow answered: ${param("error_description") || param("error")}.`,
          ),
        );
      return;
    }
    try {
      const integration = await connections.completeAuthorization(param("state"), param("code"));
      res.redirect(
        303,
        `${OAUTH_CALLBACK_PATH}/done?integration=${encodeURIComponent(integration.id)}`,
      );
    } catch (error) {
      if (error instanceof OAuthCallbackError) {
        res.status(400).set(noStore).send(page("Authorization failed", error.message));
        return;
      }
      logger.error({ err: error }, "OAuth callback failed");
      res
        .status(500)
        .set(noStore)
        .send(page("Authorization failed", "An unexpected error occurred; see the gateway logs."));
    }
  });
  router.get(`${OAUTH_CALLBACK_PATH}/done`, (_req, res) => {
    res
      .status(200)
      .set(noStore)
      .send(
        page(
          "ServiceNow is connected",
          "The gateway received its authorization and validated the connection. You can close this window; the integration's status and checks are visible in the GraphQL API.",
        ),
      );
  });
  return router;
}
