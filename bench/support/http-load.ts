import http from "node:http";
import { performance } from "node:perf_hooks";

/**
 * A closed-loop load generator: `concurrency` clients, each sending its next request as soon as
 * the previous answer is read, over keep-alive connections, for a fixed duration. Plain
 * node:http rather than fetch: the client's own cost must stay small beside the servers'.
 */

export interface LoadTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly latenciesMs: number[];
  /** Answers each client got: a server that serves connections unevenly shows here. */
  readonly perClient: number[];
  /** Each client's first answer: on a fresh agent, the first request of a new connection. */
  readonly firstLatenciesMs: number[];
  /** CPU time of this (client) process while the load ran, as a share of one core. */
  readonly clientCpuShare: number;
}

/** Keep-alive connections for `concurrency` clients; pass the same agent to reuse them. */
export function createAgent(concurrency: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency });
}

export async function runLoad(
  target: LoadTarget,
  options: {
    concurrency: number;
    /** The longest the load runs. */
    durationMs: number;
    agent?: http.Agent;
    /** Stops the load early once this settles (e.g. while a sync runs beside it). */
    until?: Promise<unknown>;
  },
): Promise<LoadResult> {
  const agent = options.agent ?? createAgent(options.concurrency);
  const url = new URL(target.url);
  const body = Buffer.from(target.body);
  const headers = { ...target.headers, "content-length": String(body.length) };
  const latenciesMs: number[] = [];
  const perClient = new Array<number>(options.concurrency).fill(0);
  const firstLatenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + options.durationMs;
  let settled = false;
  options.until?.then(
    () => (settled = true),
    () => (settled = true),
  );

  const send = () =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers, agent },
        (response) => {
          response.on("data", () => {});
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        },
      );
      request.on("error", reject);
      request.end(body);
    });

  const client = async (_: unknown, index: number) => {
    while (!settled && performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        const status = await send();
        if (status === 200) {
          const latency = performance.now() - sentAt;
          latenciesMs.push(latency);
          if (perClient[index] === 0) {
            firstLatenciesMs.push(latency);
          }
          perClient[index] += 1;
        } else {
          errors += 1;
        }
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (!options.agent) {
    agent.destroy();
  }
  return {
    requests: latenciesMs.length,
    errors,
    elapsedMs,
    latenciesMs,
    perClient,
    firstLatenciesMs,
    clientCpuShare: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
}

/** One request, parsed as JSON (for checks and single timed calls). */
export async function postJson(target: LoadTarget): Promise<{ status: number; body: unknown }> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: target.headers,
    body: target.body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
