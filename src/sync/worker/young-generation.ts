import v8 from "node:v8";
import { type ResourceLimits, Worker, type WorkerOptions } from "node:worker_threads";

const SEMI_SPACE_FLAG = "--max-semi-space-size";

/**
 * The process's own `--max-semi-space-size` (MB), from the command line (`npm start` gives 2 to
 * keep the request thread small), or null when V8's default applies.
 */
function processSemiSpaceMb(): number | null {
  let value: number | null = null;
  for (let i = 0; i < process.execArgv.length; i += 1) {
    const arg = process.execArgv[i] ?? "";
    const text = arg.startsWith(`${SEMI_SPACE_FLAG}=`)
      ? arg.slice(SEMI_SPACE_FLAG.length + 1)
      : arg === SEMI_SPACE_FLAG
        ? process.execArgv[i + 1]
        : undefined;
    if (text !== undefined && /^\d+$/.test(text)) {
      value = Number(text);
    }
  }
  return value;
}

/**
 * Starts a worker whose young generation is the one its resourceLimits ask for. V8 caps every
 * isolate's semi-space at the process's `--max-semi-space-size`, so under `npm start` (2 MB) a
 * sync thread's pages, which live from their parse until they are written, were promoted and
 * collected again: a third of the thread was GC. V8 reads the flag when an isolate is created,
 * which happens on the new thread: it is raised to the worker's size until the worker is
 * online (or failed), then put back; threads already running (the request thread) keep theirs.
 */
export function startWorkerWithYoungGeneration(
  file: string,
  options: WorkerOptions & { readonly resourceLimits: ResourceLimits },
): Worker {
  const processMb = processSemiSpaceMb();
  const youngMb = options.resourceLimits.maxYoungGenerationSizeMb;
  // V8 sizes the young generation as three semi-spaces (two, and as much for large objects).
  const wantedMb = youngMb === undefined ? null : Math.max(1, Math.floor(youngMb / 3));
  if (processMb === null || wantedMb === null || wantedMb <= processMb) {
    return new Worker(file, options);
  }
  v8.setFlagsFromString(`${SEMI_SPACE_FLAG}=${wantedMb}`);
  let restored = false;
  const restore = () => {
    if (!restored) {
      restored = true;
      v8.setFlagsFromString(`${SEMI_SPACE_FLAG}=${processMb}`);
    }
  };
  let worker: Worker;
  try {
    worker = new Worker(file, options);
  } catch (error) {
    restore();
    throw error;
  }
  worker.once("online", restore);
  worker.once("error", restore);
  worker.once("exit", restore);
  return worker;
}
