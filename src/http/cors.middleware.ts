import type { RequestHandler } from "express";

const ALLOWED_METHODS = "GET, POST";
/** What a browser frontend sends: its token, JSON, Apollo's CSRF preflight headers, a request id. */
const ALLOWED_HEADERS =
  "authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id";
/** So a frontend can quote the request id of a failed call. */
const EXPOSED_HEADERS = "x-request-id";
/** Chrome caches a preflight for at most 2 hours. */
const MAX_AGE_SECONDS = "7200";

/**
 * CORS for /graphql: browsers on `allowedOrigins` may call it with an Authorization header (the
 * origin is echoed, never `*`; no cookies are involved, so no Allow-Credentials). Other origins
 * get no CORS headers, so their browsers withhold the answer. Apollo's CSRF prevention still
 * refuses simple requests (text/plain, form posts) from every origin.
 */
export function corsMiddleware(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  if (allowed.size === 0) {
    return (_req, _res, next) => next();
  }
  return (req, res, next) => {
    // Answers differ by Origin: caches must not serve one origin's answer to another.
    res.vary("Origin");
    const origin = req.headers.origin;
    const permitted = origin !== undefined && allowed.has(origin);
    if (permitted) {
      res.setHeader("Access-Control-Allow-Origin", origin);
    }
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
      if (permitted) {
        res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
        res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        res.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
      }
      res.status(204).end();
      return;
    }
    if (permitted) {
      res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    next();
  };
}
