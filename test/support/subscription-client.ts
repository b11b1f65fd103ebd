import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

/** The gateway's graphql-ws address: its /graphql URL with ws: for http:. */
export function subscriptionUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, "ws");
}

export interface ClosedWith {
  readonly code: number;
  readonly reason: string;
}

/** One subscription of a real graphql-ws client (over the `ws` package), recording what it gets. */
export interface Subscriber<T> {
  readonly events: T[];
  readonly errors: unknown[];
  /** Resolves when the socket closes, with its close code and reason. */
  readonly closed: Promise<ClosedWith>;
  /** Waits until `done(events)` holds, failing after `timeoutMs`. */
  until(done: (events: readonly T[]) => boolean, timeoutMs?: number): Promise<readonly T[]>;
  dispose(): Promise<void>;
}

export function subscribe<T>(
  graphqlUrl: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Subscriber<T> {
  let resolveClosed: (closed: ClosedWith) => void = () => undefined;
  const closed = new Promise<ClosedWith>((resolve) => {
    resolveClosed = resolve;
  });
  const client: Client = createClient({
    url: subscriptionUrl(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // A refused connection is what some tests expect: `closed` reports it.
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
      },
    },
  });
  const events: T[] = [];
  const errors: unknown[] = [];
  client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors !== undefined) {
          errors.push(...result.errors);
        }
        if (result.data !== undefined && result.data !== null) {
          events.push(result.data as T);
        }
      },
      // graphql-ws hands over an operation's refusal (validation, limits) as an array.
      error: (error) => errors.push(...(Array.isArray(error) ? error : [error])),
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    closed,
    async until(done, timeoutMs = 10_000) {
      await waitFor(
        () => done(events),
        timeoutMs,
        () => `got ${events.length} events, errors ${JSON.stringify(errors)}`,
      );
      return events;
    },
    async dispose() {
      await client.dispose();
    },
  };
}

/** Polls `condition` every 10 ms; fails after `timeoutMs` with `describe()`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 10_000,
  describe: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms ${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
