import path from "node:path";

import { type BenchReport, progress } from "../support/bench-report";
import { type Child, startChild } from "../support/child-process";
import { compileEntry } from "../support/compile";
import { startScriptNodeFlags } from "../support/node-flags";
import { freshPostgresSchema, postgresAvailable } from "../support/postgres-copy";
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
 * after) so drift hits both, on SQLite and then on PostgreSQL; an incremental run after 1% of
 * incidents change; an incremental run with nothing changed, its time and the Table API
 * requests the simulator served for it per table; the syncing process's peak RSS at N and 4N.
 * The simulator, the downloader and the gateway each run in their own process.
 */

export interface SyncBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

/** The PostgreSQL the sync also runs on (skipped when none answers). */
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const FULL_TO_DOWNLOAD = 1.4;
const FLAT_RSS_RATIO = 1.1;
const RSS_LIMIT_MB = 200;
const MB_PER_MIB = 1.048576;
const IDLE_TO_FULL = 0.01;
/** How far the simulator's clock moves on before the idle run: nothing read is still "now". */
const SETTLE_MS = 120_000;

export function syncSizes(quick: boolean): { large: SimulatorSizes; small: SimulatorSizes } {
  const large: SimulatorSizes = quick
    ? { incidents: 10_000, changes: 2_000, users: 1_000, groups: 20 }
    : { incidents: 100_000, changes: 20_000, users: 10_000, groups: 50 };
  const small: SimulatorSizes = {
    incidents: large.incidents / 4,
    changes: large.changes / 4,
    users: large.users / 4,
    groups: large.groups,
  };
  return { large, small };
}

export async function syncBench(report: BenchReport, options: SyncBenchOptions): Promise<void> {
  const { large, small } = syncSizes(options.quick);
  // The gateway that syncs runs as `npm start` runs it: compiled, without the TypeScript loader.
  const syncChild = compileSyncChild(options.workDir);

  const simulator = await startSimulator(large);
  let main: SyncMeasurement;
  try {
    main = await measureSync(syncChild, simulator, path.join(options.workDir, "sync-4n.sqlite"), {
      download: true,
      incremental: true,
    });
    reportFullToDownload(report, main, large, "");
    reportIncremental(report, main);
    await measurePostgres(report, syncChild, simulator, large);
  } finally {
    await simulator.stop();
  }

  const smallSimulator = await startSimulator(small);
  let smallRun: SyncMeasurement;
  try {
    smallRun = await measureSync(
      syncChild,
      smallSimulator,
      path.join(options.workDir, "sync-n.sqlite"),
      { download: false, incremental: false },
    );
  } finally {
    await smallSimulator.stop();
  }
  const peakLarge = main.full.peakRssMiB;
  const peakSmall = smallRun.full.peakRssMiB;
  report.add({
    bench: "sync",
    name: "peak RSS of the syncing gateway at 4N (MB)",
    measured: (peakLarge * MB_PER_MIB).toFixed(0),
    target: `< ${RSS_LIMIT_MB}`,
    pass: peakLarge * MB_PER_MIB < RSS_LIMIT_MB,
    detail: `${peakLarge.toFixed(0)} MiB; ${(main.startupPeakRssMiB * MB_PER_MIB).toFixed(0)} MB before the sync; 4N = ${describe(large)}`,
  });
  report.add({
    bench: "sync",
    name: "peak RSS 4N / N (flat)",
    measured: (peakLarge / peakSmall).toFixed(2),
    target: `≤ ${FLAT_RSS_RATIO}`,
    pass: peakLarge / peakSmall <= FLAT_RSS_RATIO,
    detail: `${(peakSmall * MB_PER_MIB).toFixed(0)} MB at N = ${describe(small)} (${(smallRun.startupPeakRssMiB * MB_PER_MIB).toFixed(0)} MB before the sync)`,
  });
}

export function compileSyncChild(workDir: string): string {
  return compileEntry("sync/sync.child.ts", path.join(workDir, "compiled"));
}

export async function startSimulator(sizes: SimulatorSizes): Promise<Child<SimulatorReady>> {
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
  return simulator;
}

/** The syncing gateway on `database` (a SQLite file or a postgres:// URL). */
export function startSyncChild(
  syncChild: string,
  simulator: Child<SimulatorReady>,
  database: string,
): Promise<Child<SyncChildReady>> {
  return startChild<SyncChildReady>(syncChild, {
    args: [simulator.ready.url, database],
    // As `npm start` runs the gateway (its young-generation cap is part of the memory measured).
    nodeArgs: startScriptNodeFlags(),
    // Entity column types follow DATABASE_URL at import time (column-types.ts).
    ...(/^postgres(ql)?:\/\//.test(database) ? { env: { DATABASE_URL: database } } : {}),
  });
}

export function checked(result: SyncResult): SyncResult {
  if (result.status !== "SUCCEEDED") {
    throw new Error(`sync ${result.status}: ${result.error ?? "no error recorded"}`);
  }
  return result;
}

function describe(sizes: SimulatorSizes): string {
  return `${sizes.incidents} incidents, ${sizes.changes} changes, ${sizes.users} users`;
}

interface IdleMeasurement {
  readonly run: SyncResult;
  readonly requests: Readonly<Record<string, number>>;
}

interface SyncMeasurement {
  readonly downloads: DownloadResult[];
  readonly full: SyncResult;
  readonly incremental: SyncResult | null;
  readonly idle: IdleMeasurement | null;
  readonly startupPeakRssMiB: number;
}

async function measureSync(
  syncChild: string,
  simulator: Child<SimulatorReady>,
  database: string,
  what: { readonly download: boolean; readonly incremental: boolean },
): Promise<SyncMeasurement> {
  const downloader = what.download
    ? await startChild("sync/download.child.ts", { args: [simulator.ready.url] })
    : null;
  const syncer = await startSyncChild(syncChild, simulator, database);
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
    progress(
      "sync",
      `full sync: ${formatMs(full.ms)} (gateway CPU ${formatMs(full.cpuMs)}), peak RSS ${full.peakRssMiB.toFixed(0)} MiB`,
    );
    await download();
    if (!what.incremental) {
      return {
        downloads,
        full,
        incremental: null,
        idle: null,
        startupPeakRssMiB: syncer.ready.startupPeakRssMiB,
      };
    }
    const updated = await simulator.request<number>("updateIncidents", 0.01);
    const incremental = checked(await syncer.request<SyncResult>("sync", false));
    progress("sync", `incremental sync after ${updated} updates: ${formatMs(incremental.ms)}`);
    // A minute later on a real instance: the seconds the last run read as "now" are settled
    // by the next run (it re-reads them once); the run after that finds nothing.
    await simulator.request("clockAhead", SETTLE_MS);
    checked(await syncer.request<SyncResult>("sync", false));
    await simulator.request("tableRequests");
    const idleRun = checked(await syncer.request<SyncResult>("sync", false));
    const requests = await simulator.request<Record<string, number>>("tableRequests");
    progress("sync", `incremental sync with nothing changed: ${formatMs(idleRun.ms)}`);
    return {
      downloads,
      full,
      incremental,
      idle: { run: idleRun, requests },
      startupPeakRssMiB: syncer.ready.startupPeakRssMiB,
    };
  } finally {
    await Promise.all([syncer.stop(), downloader?.stop()]);
  }
}

function reportFullToDownload(
  report: BenchReport,
  measured: SyncMeasurement,
  sizes: SimulatorSizes,
  label: string,
): void {
  const download = mean(measured.downloads.map((d) => d.ms));
  const ratio = measured.full.ms / download;
  report.add({
    bench: "sync",
    name: `full sync / download of the same pages${label}`,
    measured: ratio.toFixed(2),
    target: `≤ ${FULL_TO_DOWNLOAD}`,
    pass: ratio <= FULL_TO_DOWNLOAD,
    detail: `sync ${formatMs(measured.full.ms)}, download ${measured.downloads.map((d) => formatMs(d.ms)).join(" and ")} (${measured.downloads[0]?.requests ?? 0} pages, ${measured.downloads[0]?.records ?? 0} records); ${describe(sizes)}`,
  });
}

function reportIncremental(report: BenchReport, main: SyncMeasurement): void {
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
  if (main.idle) {
    const { run, requests } = main.idle;
    const ratio = run.ms / main.full.ms;
    report.add({
      bench: "sync",
      name: "incremental, nothing changed / full",
      measured: ratio.toFixed(4),
      target: `≤ ${IDLE_TO_FULL}`,
      pass: ratio <= IDLE_TO_FULL && run.fetched === 0,
      detail: `idle ${formatMs(run.ms)} vs full ${formatMs(main.full.ms)}; fetched ${run.fetched}`,
    });
    const counts = Object.values(requests);
    const most = counts.length === 0 ? 0 : Math.max(...counts);
    const total = counts.reduce((sum, count) => sum + count, 0);
    report.add({
      bench: "sync",
      name: "incremental, nothing changed: requests/table",
      measured: String(most),
      target: "≤ 1",
      pass: most <= 1,
      detail: `${total} Table API requests over ${counts.length} tables (the synced ones and sys_audit_delete), counted by the simulator: ${Object.entries(
        requests,
      )
        .map(([table, count]) => `${table} ${count}`)
        .join(", ")}`,
    });
  }
}

async function measurePostgres(
  report: BenchReport,
  syncChild: string,
  simulator: Child<SimulatorReady>,
  sizes: SimulatorSizes,
): Promise<void> {
  if (!(await postgresAvailable(POSTGRES_URL))) {
    report.skipped(
      "sync",
      "full sync / download, PostgreSQL",
      `no PostgreSQL answers at ${POSTGRES_URL} (set BENCH_POSTGRES_URL)`,
    );
    return;
  }
  const schema = await freshPostgresSchema(POSTGRES_URL);
  try {
    const measured = await measureSync(syncChild, simulator, schema.url, {
      download: true,
      incremental: false,
    });
    reportFullToDownload(report, measured, sizes, " (PostgreSQL)");
  } finally {
    await schema.drop();
  }
}
