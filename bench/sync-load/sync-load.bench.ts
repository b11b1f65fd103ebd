import path from "node:path";

import { frontendRequest } from "../read/frontend-query";
import { type BenchReport, progress } from "../support/bench-report";
import { createAgent, type LoadResult, runLoad } from "../support/http-load";
import { formatMs, mean, percentile } from "../support/stats";
import { checked, compileSyncChild, startSimulator, startSyncChild } from "../sync/sync.bench";
import type { SimulatorSizes, SyncResult } from "../sync/sync-bench.types";

/**
 * Reads beside a sync (issue #12): one gateway holds an instance already synced once; a full
 * re-sync of it is timed alone, then again while 32 keep-alive readers send the frontend query
 * of the read bench to that same gateway as fast as it answers. The readers' p99 is measured
 * idle (no sync) before and after the loaded sync, after a warm-up, and during it. Simulator,
 * gateway and readers are three processes.
 */

export interface SyncLoadBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const READERS = 32;
const PAGE = 50;
const SYNC_UNDER_LOAD_TO_ALONE = 2;
const P99_DURING_TO_IDLE = 3;
/** A loaded sync that takes longer than this is cut short (reported, not hidden). */
const LOAD_CAP_MS = 20 * 60_000;

export async function syncLoadBench(
  report: BenchReport,
  options: SyncLoadBenchOptions,
): Promise<void> {
  const sizes: SimulatorSizes = options.quick
    ? { incidents: 5_000, changes: 1_000, users: 500, groups: 20 }
    : { incidents: 20_000, changes: 4_000, users: 2_000, groups: 40 };
  const idleMs = options.quick ? 3_000 : 5_000;
  const syncChild = compileSyncChild(options.workDir);
  const simulator = await startSimulator(sizes);
  try {
    const syncer = await startSyncChild(
      syncChild,
      simulator,
      path.join(options.workDir, "sync-load.sqlite"),
    );
    try {
      checked(await syncer.request<SyncResult>("sync", true));
      progress("sync-load", "first full sync done: the readers have data");
      const alone = checked(await syncer.request<SyncResult>("sync", true));
      progress("sync-load", `full re-sync alone: ${formatMs(alone.ms)}`);

      const target = frontendRequest(syncer.ready.graphqlUrl, PAGE);
      const agent = createAgent(READERS);
      const idleLoad = async () => {
        const idle = await runLoad(target, { concurrency: READERS, durationMs: idleMs, agent });
        progress("sync-load", `readers idle: ${describeLoad(idle)}`);
        return idle;
      };
      // Warm-up: the read plans are compiled and cached on first use.
      await runLoad(target, { concurrency: READERS, durationMs: idleMs, agent });
      const idleBefore = await idleLoad();

      const syncing = syncer.request<SyncResult>("sync", true);
      const during = await runLoad(target, {
        concurrency: READERS,
        durationMs: LOAD_CAP_MS,
        agent,
        until: syncing,
      });
      const loaded = checked(await syncing);
      progress(
        "sync-load",
        `full re-sync under load: ${formatMs(loaded.ms)}; ${describeLoad(during)}`,
      );
      const idleAfter = await idleLoad();
      agent.destroy();

      const syncRatio = loaded.ms / alone.ms;
      report.add({
        bench: "sync-load",
        name: `full sync under ${READERS} readers / alone`,
        measured: syncRatio.toFixed(2),
        target: `≤ ${SYNC_UNDER_LOAD_TO_ALONE}`,
        pass: syncRatio <= SYNC_UNDER_LOAD_TO_ALONE,
        detail: `under load ${formatMs(loaded.ms)}, alone ${formatMs(alone.ms)}; ${loaded.fetched} records; ${sizes.incidents} incidents, ${sizes.changes} changes, ${sizes.users} users`,
      });
      const p99Idle = mean([idleBefore, idleAfter].map((idle) => percentile(idle.latenciesMs, 99)));
      const p99During = percentile(during.latenciesMs, 99);
      report.add({
        bench: "sync-load",
        name: "readers' p99 during the sync / idle",
        measured: (p99During / p99Idle).toFixed(2),
        target: `≤ ${P99_DURING_TO_IDLE}`,
        pass: p99During / p99Idle <= P99_DURING_TO_IDLE && during.errors === 0,
        detail: `p99 ${formatMs(p99During)} during vs ${formatMs(p99Idle)} idle (mean of before and after); during: ${describeLoad(during)}; idle before: ${describeLoad(idleBefore)}; after: ${describeLoad(idleAfter)}`,
      });
    } finally {
      await syncer.stop();
    }
  } finally {
    await simulator.stop();
  }
}

function describeLoad(load: LoadResult): string {
  const perSecond = (load.requests / load.elapsedMs) * 1000;
  return `${load.requests} answers in ${formatMs(load.elapsedMs)} (${perSecond.toFixed(0)}/s), p50 ${formatMs(percentile(load.latenciesMs, 50))}, p99 ${formatMs(percentile(load.latenciesMs, 99))}, ${load.errors} errors`;
}
