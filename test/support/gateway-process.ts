import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

import type { DatabaseConfig } from "../../src/config/config";
import { ADMIN_TOKEN, type GraphQLBody, TEST_SECRET_KEY } from "./test-gateway";

const ROOT = path.resolve(__dirname, "../..");
const OUTPUT_LIMIT = 64 * 1024;

/** Children still alive, so a failed test can kill them all in afterAll. */
const LIVE = new Set<GatewayProcess>();

export interface GatewayExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The real gateway (`node -r @swc-node/register src/index.ts`) in a child process. */
export interface GatewayProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<GatewayExit>;
  /** POST /graphql with the admin token; throws on a non-JSON answer. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLBody<T>>;
  /** stdout and stderr so far (the tail), for failure messages. */
  output(): string;
  /** stderr alone so far (the tail): where the bootstrap reports a failed start. */
  stderr(): string;
  /** Sends the signal (SIGKILL by default) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<GatewayExit>;
}

/** A loopback port nobody listens on right now (PORT=0 would not tell us which one it got). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function databaseUrlOf(database: DatabaseConfig): string {
  return database.kind === "sqlite" ? database.path : database.url;
}

export interface GatewayProcessOptions {
  readonly database: DatabaseConfig;
  readonly dataDir: string;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Spawns a gateway on `database` and waits until /readyz answers 200 (the database open and
 * migrated). Rejects with the child's output when it exits first or is slow.
 */
export async function startGatewayProcess(
  options: GatewayProcessOptions & { readonly readyTimeoutMs?: number },
): Promise<GatewayProcess> {
  const handle = await spawnGatewayProcess(options);
  try {
    await waitUntilReady(handle, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await handle.kill("SIGKILL");
    throw error;
  }
  return handle;
}

/** Spawns a gateway and returns at once: for tests of how it starts, or fails to. */
export async function spawnGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    ["PATH", "HOME", "TMPDIR", "LANG"]
      .map((name) => [name, process.env[name]])
      .filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/index.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...inherited,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrlOf(options.database),
      DATA_DIR: options.dataDir,
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
      // The parent's in-process gateways use the same key, so they can read stored passwords.
      GATEWAY_SECRET_KEY: TEST_SECRET_KEY.toString("hex"),
      SYNC_SCHEDULER_ENABLED: "false",
      SYNC_PAGE_SIZE: "200",
      LOG_LEVEL: "warn",
      ...options.env,
    },
  });
  // A test that sets PORT itself (a port in use, say) talks to that one.
  const chosen = Number.parseInt(options.env?.PORT ?? "", 10);
  return wrap(child, Number.isInteger(chosen) ? chosen : port);
}

/** Kills (SIGKILL) every child this module started that is still running. */
export async function killGatewayProcesses(): Promise<void> {
  await Promise.all([...LIVE].map((gateway) => gateway.kill("SIGKILL")));
}

function wrap(child: ChildProcess, port: number): GatewayProcess {
  let output = "";
  let stderr = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  });
  const exited = new Promise<GatewayExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const url = `http://127.0.0.1:${port}`;
  const handle: GatewayProcess = {
    pid: child.pid ?? -1,
    port,
    url,
    exited,
    async graphql<T>(query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      try {
        return JSON.parse(text) as GraphQLBody<T>;
      } catch {
        throw new Error(`gateway ${port} answered ${response.status}: ${text.slice(0, 300)}`);
      }
    },
    output: () => output,
    stderr: () => stderr,
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      const exit = await exited;
      LIVE.delete(handle);
      return exit;
    },
  };
  LIVE.add(handle);
  void exited.then(() => LIVE.delete(handle));
  return handle;
}

async function waitUntilReady(gateway: GatewayProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: GatewayExit | null = null;
  void gateway.exited.then((value) => {
    exit = value;
  });
  while (Date.now() < deadline) {
    if (exit !== null) {
      throw new Error(
        `gateway exited before it was ready (${JSON.stringify(exit)}):\n${gateway.output()}`,
      );
    }
    try {
      // /healthz answers while the gateway still waits for its database; /readyz once it is open.
      const response = await fetch(`${gateway.url}/readyz`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms:\n${gateway.output()}`);
}
