import path from "node:path";

import { type BenchReport, progress } from "../support/bench-report";
import { startChild } from "../support/child-process";
import { compileEntry } from "../support/compile";
import { formatMs, mean } from "../support/stats";
import type {
  DownloadResult,
  SimulatorReady,
  SimulatorSizes,
  SyncChildReady,
  SyncResult,
} from "./sync-bench.types";

/**
 * Sync: a full backfill through the product (the gateway's syncIntegration mutation) against
 * merely downloading the same pages from the same simulator, measured around it (before and
 * after) so drift hits both; an incremental run after 1% of incidents change; the syncing
 * process's peak RSS at N and 4N. The simulator, the downloader and the gateway each run in
 * their own process.
 */

export interface SyncBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const FLAT_RSS_RATIO = 1.25;

export async function syncBench(report: BenchReport, options: SyncBenchOptions): Promise<void> {
  const large: SimulatorSizes = options.quick
    ? { incidents: 10_000, changes: 2_000, users: 1_000, groups: 20 }
    : { incidents: 100_000, changes: 20_000, users: 10_000, groups: 50 };
  const small: SimulatorSizes = {
    incidents: large.incidents / 4,
    changes: large.changes / 4,
    users: large.users / 4,
    groups: large.groups,
  };

  // The gateway that syncs runs as `npm start` runs it: compiled, without the TypeScript loader.
  const syncChild = compileEntry("sync/sync.child.ts", path.join(options.workDir, "compiled"));
  const main = await measureSync(
    syncChild,
    large,
    path.join(options.workDir, "sync-4n.sqlite"),
    true,
  );
  const download = mean(main.downloads.map((d) => d.ms));
  report.add({
    bench: "sync",
    name: "full sync / download of the same pages",
    measured: (main.full.ms / download).toFixed(2),
    target: "≤ 1.4",
    pass: main.full.ms / download <= 1.4,
    detail: `sync ${formatMs(main.full.ms)}, download ${main.downloads.map((d) => formatMs(d.ms)).join(" and ")} (${main.downloads[0].requests} pages, ${main.downloads[0].records} records); ${describe(large)}`,
  });
  if (main.incremental) {
    report.add({
      bench: "sync",
      name: "incremental (1% of incidents changed) / full",
      measured: (main.incremental.ms / main.full.ms).toFixed(3),
      target: "< 0.05",
      pass: main.incremental.ms / main.full.ms < 0.05,
      detail: `incremental ${formatMs(main.incremental.ms)}, fetched ${Object.entries(
        main.incremental.fetchedByTable,
      )
        .map(([table, count]) => `${count} ${table}`)
        .join(", ")}`,
    });
  }

  const smallRun = await measureSync(
    syncChild,
    small,
    path.join(options.workDir, "sync-n.sqlite"),
    false,
  );
  const peakLarge = main.full.peakRssMiB;
  const peakSmall = smallRun.full.peakRssMiB;
  report.add({
    bench: "sync",
    name: "peak RSS of the syncing gateway at 4N (MiB)",
    measured: peakLarge.toFixed(0),
    target: "< 256",
    pass: peakLarge < 256,
    detail: `${main.startupPeakRssMiB.toFixed(0)} MiB before the sync; 4N = ${describe(large)}`,
  });
  report.add({
    bench: "sync",
    name: "peak RSS 4N / N (flat)",
    measured: (peakLarge / peakSmall).toFixed(2),
    target: `≤ ${FLAT_RSS_RATIO}`,
    pass: peakLarge / peakSmall <= FLAT_RSS_RATIO,
    detail: `${peakSmall.toFixed(0)} MiB at N = ${describe(small)} (${smallRun.startupPeakRssMiB.toFixed(0)} MiB before the sync)`,
  });
}

function describe(sizes: SimulatorSizes): string {
  return `${sizes.incidents} incidents, ${sizes.changes} changes, ${sizes.users} users`;
}

interface SyncMeasurement {
  readonly downloads: DownloadResult[];
  readonly full: SyncResult;
  readonly incremental: SyncResult | null;
  readonly startupPeakRssMiB: number;
}

async function measureSync(
  syncChild: string,
  sizes: SimulatorSizes,
  file: string,
  withDownloadAndIncremental: boolean,
): Promise<SyncMeasurement> {
  const started = Date.now();
  const simulator = await startChild<SimulatorReady>("sync/simulator.child.ts", {
    args: [JSON.stringify(sizes)],
  });
  progress(
    "sync",
    `simulator with ${Object.entries(simulator.ready.counts)
      .map(([table, count]) => `${count} ${table}`)
      .join(", ")} ready in ${Date.now() - started} ms`,
  );
  const downloader = withDownloadAndIncremental
    ? await startChild("sync/download.child.ts", { args: [simulator.ready.url] })
    : null;
  const syncer = await startChild<SyncChildReady>(syncChild, {
    args: [simulator.ready.url, file],
  });
  try {
    const downloads: DownloadResult[] = [];
    const download = async () => {
      if (downloader) {
        const result = await downloader.request<DownloadResult>("download");
        progress("sync", `download: ${formatMs(result.ms)}, ${result.records} records`);
        downloads.push(result);
      }
    };
    await download();
    const full = checked(await syncer.request<SyncResult>("sync", true));
    progress("sync", `full sync: ${formatMs(full.ms)}, peak RSS ${full.peakRssMiB.toFixed(0)} MiB`);
    await download();
    let incremental: SyncResult | null = null;
    if (withDownloadAndIncremental) {
      const updated = await simulator.request<number>("updateIncidents", 0.01);
      incremental = checked(await syncer.request<SyncResult>("sync", false));
      progress("sync", `incremental sync after ${updated} updates: ${formatMs(incremental.ms)}`);
    }
    return { downloads, full, incremental, startupPeakRssMiB: syncer.ready.startupPeakRssMiB };
  } finally {
    await Promise.all([syncer.stop(), downloader?.stop(), simulator.stop()]);
  }
}

function checked(result: SyncResult): SyncResult {
  if (result.status !== "SUCCEEDED") {
    throw new Error(`sync ${result.status}: ${result.error ?? "no error recorded"}`);
  }
  return result;
}
