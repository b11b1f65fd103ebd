import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";

/**
 * Benchmarks run servers and workloads in child processes, so the load generator, the servers
 * and the simulator never share an event loop and memory can be measured per process. A child
 * announces itself with one `ready` message, then answers numbered requests.
 */

interface ReadyMessage {
  readonly kind: "ready";
  readonly payload: unknown;
}

interface ReplyMessage {
  readonly kind: "reply";
  readonly id: number;
  readonly ok: boolean;
  readonly payload: unknown;
}

interface RequestMessage {
  readonly kind: "request";
  readonly id: number;
  readonly type: string;
  readonly input: unknown;
}

export interface Child<R> {
  readonly pid: number;
  /** What the child sent in its `ready` message. */
  readonly ready: R;
  request<T>(type: string, input?: unknown): Promise<T>;
  /** Asks the child to stop, then kills it if it is still there after a few seconds. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;
let profileDir: string | null = null;

/** `--cpu-prof DIR`: every child started from now on writes a V8 CPU profile into DIR. */
export function profileChildrenInto(dir: string): void {
  profileDir = dir;
}

/**
 * Starts `bench/<file>` with the TypeScript loader, or an already compiled `.js` (an absolute
 * path from compileEntry) with plain node, and waits for its `ready` message.
 */
export function startChild<R>(
  file: string,
  options: {
    args?: readonly string[];
    env?: Readonly<Record<string, string>>;
    /** Node/V8 flags, such as the ones `npm start` runs the gateway with. */
    nodeArgs?: readonly string[];
  } = {},
): Promise<Child<R>> {
  const compiled = path.isAbsolute(file);
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(
    compiled ? file : path.join(__dirname, "..", file),
    [...(options.args ?? [])],
    {
      execArgv: [
        ...(compiled ? [] : ["-r", "@swc-node/register"]),
        ...(options.nodeArgs ?? []),
        ...profile,
        // BENCH_NODE_FLAGS="--trace-gc": extra V8/Node flags for every child (diagnostics).
        ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      ],
      // A compiled child lives outside the repository: it finds the packages through NODE_PATH.
      env: {
        ...process.env,
        ...options.env,
        ...(compiled ? { NODE_PATH: path.join(__dirname, "..", "..", "node_modules") } : {}),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      for (const waiter of pending.values()) {
        waiter.reject(new Error(`${file} exited (${signal ?? code}) before answering`));
      }
      pending.clear();
      resolve();
    });
  });

  return new Promise<Child<R>>((resolve, reject) => {
    const onEarlyExit = () => reject(new Error(`${file} exited before it was ready`));
    child.once("exit", onEarlyExit);
    child.on("message", (raw: unknown) => {
      const message = raw as ReadyMessage | ReplyMessage;
      if (message.kind === "ready") {
        child.off("exit", onEarlyExit);
        resolve(handle(child, message.payload as R));
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) {
        waiter?.resolve(message.payload);
      } else {
        waiter?.reject(new Error(`${file}: ${String(message.payload)}`));
      }
    });
  });

  function handle(proc: ChildProcess, ready: R): Child<R> {
    return {
      pid: proc.pid ?? -1,
      ready,
      request<T>(type: string, input: unknown = null): Promise<T> {
        if (exited) {
          return Promise.reject(new Error(`${file} is not running`));
        }
        const id = nextId++;
        return new Promise<T>((resolveReply, rejectReply) => {
          pending.set(id, { resolve: (value) => resolveReply(value as T), reject: rejectReply });
          const message: RequestMessage = { kind: "request", id, type, input };
          proc.send(message);
        });
      },
      async stop() {
        if (exited) {
          return;
        }
        const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_GRACE_MS);
        proc.kill("SIGTERM");
        await exit;
        clearTimeout(timer);
      },
    };
  }
}

export type RequestHandler = (input: unknown) => Promise<unknown> | unknown;

/**
 * The child side: sends `ready`, answers requests with the handlers, and on SIGTERM or when the
 * parent goes away runs `cleanup` and exits.
 */
export function serveParent(
  ready: unknown,
  handlers: Readonly<Record<string, RequestHandler>>,
  cleanup: () => Promise<void> = async () => {},
): void {
  const send = (message: ReadyMessage | ReplyMessage) => process.send?.(message);
  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    cleanup().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("message", (raw: unknown) => {
    const message = raw as RequestMessage;
    const handler = handlers[message.type];
    Promise.resolve()
      .then(() => {
        if (!handler) {
          throw new Error(`no handler for ${message.type}`);
        }
        return handler(message.input);
      })
      .then(
        (payload) => send({ kind: "reply", id: message.id, ok: true, payload }),
        (error: unknown) =>
          send({
            kind: "reply",
            id: message.id,
            ok: false,
            payload: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  process.once("SIGTERM", stop);
  process.once("disconnect", stop);
  send({ kind: "ready", payload: ready });
}

/** Peak resident set size of this process so far, in MiB (getrusage ru_maxrss). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs a child's main function, reporting a startup failure on stderr with a non-zero exit. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
