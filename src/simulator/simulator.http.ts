import type { IncomingMessage, ServerResponse } from "node:http";

import type { AuthKind } from "./simulator.auth";
import type { FaultKind } from "./simulator.faults";

/** What the simulator remembers of each request, so tests can assert on what a client sent. */
export interface SimRequestLogEntry {
  /** Clock time the request arrived (ISO 8601). */
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** Query parameters (last value wins when repeated). */
  readonly query: Readonly<Record<string, string>>;
  readonly authKind: AuthKind;
  readonly userName: string | null;
  /** Table API table, when the path names one. */
  readonly table: string | null;
  /** 0 when no answer was sent (reset, timeout). */
  readonly status: number;
  readonly fault: FaultKind | null;
}

/** One request in flight. Handlers fill in auth and table as they learn them. */
export class RequestContext {
  readonly url: URL;
  readonly method: string;
  readonly baseUrl: string;
  authKind: AuthKind = "none";
  userName: string | null = null;
  table: string | null = null;
  fault: FaultKind | null = null;
  /** The "dropResponse" fault: the request is served (and committed), its answer never sent. */
  dropAnswer = false;
  private logged = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    fallbackBaseUrl: string,
    private readonly at: string,
    private readonly record: (entry: SimRequestLogEntry) => void,
  ) {
    const host = req.headers.host;
    this.baseUrl = host ? `http://${host}` : fallbackBaseUrl;
    this.url = new URL(req.url ?? "/", this.baseUrl);
    this.method = (req.method ?? "GET").toUpperCase();
  }

  get path(): string {
    return this.url.pathname;
  }

  get query(): URLSearchParams {
    return this.url.searchParams;
  }

  /** Writes the log entry once, before the answer leaves, so a test sees it when fetch returns. */
  log(status: number): void {
    if (this.logged) {
      return;
    }
    this.logged = true;
    this.record({
      at: this.at,
      method: this.method,
      path: this.path,
      query: Object.fromEntries(this.query.entries()),
      authKind: this.authKind,
      userName: this.userName,
      table: this.table,
      status,
      fault: this.fault,
    });
  }

  send(
    status: number,
    contentType: string,
    body: string,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    this.log(status);
    if (this.res.headersSent || this.res.destroyed) {
      return;
    }
    if (this.dropAnswer) {
      this.req.socket.destroy();
      return;
    }
    this.res.writeHead(status, {
      ...headers,
      // The instance's clock, as a real instance sends it; the sync reads it to know "now".
      Date: new Date(this.at).toUTCString(),
      "Content-Type": contentType,
      "Content-Length": String(Buffer.byteLength(body)),
    });
    this.res.end(this.method === "HEAD" ? undefined : body);
  }

  json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
    this.send(status, JSON_TYPE, JSON.stringify(body), headers);
  }

  /** ServiceNow's error envelope. */
  error(
    status: number,
    message: string,
    detail: string | null,
    headers: Readonly<Record<string, string>> = {},
  ): void {
    this.json(status, { error: { message, detail }, status: "failure" }, headers);
  }

  html(status: number, body: string): void {
    this.send(status, "text/html;charset=UTF-8", body);
  }

  redirect(location: string): void {
    this.log(302);
    this.res.writeHead(302, { Location: location, "Content-Length": "0" });
    this.res.end();
  }

  empty(status: number): void {
    this.log(status);
    this.res.writeHead(status);
    this.res.end();
  }
}

export const JSON_TYPE = "application/json;charset=UTF-8";

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new Error("Request body too large");
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
