import type { ResourceLimits, Worker } from "node:worker_threads";

import { startWorkerWithYoungGeneration } from "./young-generation";

/**
 * Starts one of the sync's threads (the sync worker, its page writer) from its entry file:
 * compiled (`.js`, dist) with the process's own flags; from sources (`.ts`: jest, `npm run dev`)
 * through the same register hook, added unless the process already has it; with the young
 * generation its limits ask for.
 */
export function startSyncThread(
  file: string,
  options: { readonly workerData: unknown; readonly resourceLimits: ResourceLimits },
): Worker {
  const fromSources = file.endsWith(".ts") && !process.execArgv.includes("@swc-node/register");
  return startWorkerWithYoungGeneration(file, {
    ...options,
    execArgv: fromSources ? [...process.execArgv, "--require", "@swc-node/register"] : undefined,
  });
}
