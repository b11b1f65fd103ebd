import type { SimulatorAuth } from "./simulator.auth";
import { escapeHtml, readBody, type RequestContext } from "./simulator.http";

/** The OAuth endpoints: POST /oauth_token.do and GET /oauth_auth.do. */

export const TOKEN_PATH = "/oauth_token.do";
export const AUTHORIZE_PATH = "/oauth_auth.do";

export async function handleToken(ctx: RequestContext, auth: SimulatorAuth): Promise<void> {
  if (ctx.method !== "POST") {
    ctx.json(405, { error: "invalid_request", error_description: "POST required" });
    return;
  }
  const body = await readBody(ctx.req);
  const contentType = ctx.req.headers["content-type"] ?? "";
  // ServiceNow reads the token request as a form only; a JSON body is a bad request.
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    ctx.json(400, {
      error: "invalid_request",
      error_description: "Content-Type must be application/x-www-form-urlencoded",
    });
    return;
  }
  const result = auth.token(new URLSearchParams(body), ctx.req.headers.authorization);
  if (result.ok) {
    ctx.json(200, result.body, { "Cache-Control": "no-store", Pragma: "no-cache" });
  } else {
    ctx.json(result.status, result.body);
  }
}

export function handleAuthorize(ctx: RequestContext, auth: SimulatorAuth): void {
  if (ctx.method !== "GET") {
    ctx.html(405, errorPage("Method not allowed"));
    return;
  }
  const result = auth.authorize(ctx.query);
  if (result.ok) {
    ctx.redirect(result.location);
  } else {
    ctx.html(400, errorPage(result.message));
  }
}

function errorPage(message: string): string {
  return (
    "<!DOCTYPE html><html><head><title>OAuth Error</title></head><body>" +
    `<h1>OAuth Error</h1><p>${escapeHtml(message)}</p></body></html>`
  );
}
