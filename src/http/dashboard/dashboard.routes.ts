import { Router } from "express";

type PageModule = typeof import("./dashboard.page");
type ScriptModule = typeof import("./dashboard.script");

/** Nothing from elsewhere: the page's own script, inline styles and SVG, and /graphql. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * GET /dashboard: a read-only page over the public GraphQL API (it asks for a token once and
 * keeps it in the tab's sessionStorage); GET /dashboard/dashboard.js: its script.
 */
export function dashboardRoutes(): Router {
  const router = Router();
  // The page and its script are loaded on their first request: most gateways never serve them.
  router.get("/dashboard", (_req, res) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
    const { DASHBOARD_PAGE } = require("./dashboard.page") as PageModule;
    res
      .status(200)
      .setHeader("content-security-policy", CONTENT_SECURITY_POLICY)
      .setHeader("x-content-type-options", "nosniff")
      .setHeader("cache-control", "no-cache")
      .type("html")
      .send(DASHBOARD_PAGE);
  });
  router.get("/dashboard/dashboard.js", (_req, res) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
    const { DASHBOARD_SCRIPT } = require("./dashboard.script") as ScriptModule;
    res
      .status(200)
      .setHeader("x-content-type-options", "nosniff")
      .setHeader("cache-control", "no-cache")
      .type("application/javascript")
      .send(DASHBOARD_SCRIPT);
  });
  return router;
}
