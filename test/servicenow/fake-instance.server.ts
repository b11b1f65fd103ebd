import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A throwaway HTTP server on 127.0.0.1 that answers in ServiceNow's shapes. Tests give it a
 * handler per scenario; it records every request it receives.
 */

export interface RecordedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse) => unknown;

export interface FakeInstance {
  readonly url: string;
  readonly requests: RecordedRequest[];
  handle(handler: FakeHandler): void;
  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeInstance(handler?: FakeHandler): Promise<FakeInstance> {
  const requests: RecordedRequest[] = [];
  let current: FakeHandler = handler ?? ((_request, response) => sendJson(response, 200, {}));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://fake.local"),
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => current(recorded, res))
        .catch((error: unknown) => {
          res.statusCode = 599;
          res.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    requestsTo(prefix) {
      return requests.filter((request) => request.url.pathname.startsWith(prefix));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, { "content-type": "application/json;charset=UTF-8", ...headers });
  response.end(JSON.stringify(body));
}

/** The Table API's error body: `{"error": {"message", "detail"}, "status": "failure"}`. */
export function sendServiceNowError(
  response: ServerResponse,
  status: number,
  message: string,
  detail: string | null = null,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(response, status, { error: { message, detail }, status: "failure" }, headers);
}

export function sendResult(
  response: ServerResponse,
  result: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(response, 200, { result }, headers);
}
