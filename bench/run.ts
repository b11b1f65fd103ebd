import "reflect-metadata";

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { insightsBench } from "./insights/insights.bench";
import { readBench } from "./read/read.bench";
import { scaleBench } from "./scale/scale.bench";
import { startupBench } from "./startup/startup.bench";
import { BenchReport } from "./support/bench-report";
import { profileChildrenInto } from "./support/child-process";
import { syncBench } from "./sync/sync.bench";
import { syncLoadBench } from "./sync-load/sync-load.bench";
import { webhooksBench } from "./webhooks/webhooks.bench";

/**
 * `npm run bench [-- --quick] [-- --only read|sync|sync-load|scale|insights|startup|webhooks]`: DESIGN.md §5's performance targets,
 * each as a ratio measured side by side in one run (never an absolute time: machines are shared
 * and noisy). One line per target; exits 0 even when a target is missed.
 */

const BENCHES = {
  read: readBench,
  sync: syncBench,
  "sync-load": syncLoadBench,
  scale: scaleBench,
  insights: insightsBench,
  startup: startupBench,
  webhooks: webhooksBench,
} as const;
type BenchName = keyof typeof BENCHES;

function parseArgs(argv: readonly string[]): {
  quick: boolean;
  only: BenchName[];
  cpuProfDir: string | null;
} {
  let quick = false;
  let cpuProfDir: string | null = null;
  const only: BenchName[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--quick") {
      quick = true;
    } else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      for (const name of (value ?? "").split(",")) {
        if (!(name in BENCHES)) {
          throw new Error(
            `--only takes read, sync, sync-load, scale, insights, startup or webhooks (comma-separated), got "${value}"`,
          );
        }
        only.push(name as BenchName);
      }
    } else if (arg === "--cpu-prof") {
      cpuProfDir = path.resolve(argv[++i] ?? "bench-profiles");
    } else if (arg === "--help" || arg === "-h") {
      console.log(
        "Usage: npm run bench -- [--quick] [--only read|sync|sync-load|scale|insights|startup|webhooks] [--cpu-prof DIR]",
      );
      process.exit(0);
    } else {
      throw new Error(`Unknown argument ${arg}; try --help`);
    }
  }
  return {
    quick,
    only: only.length > 0 ? only : (Object.keys(BENCHES) as BenchName[]),
    cpuProfDir,
  };
}

async function main(): Promise<void> {
  const { quick, only, cpuProfDir } = parseArgs(process.argv.slice(2));
  if (cpuProfDir) {
    profileChildrenInto(cpuProfDir);
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-bench-"));
  const report = new BenchReport();
  console.log(
    `Benchmarks (${quick ? "quick" : "full"}): ${only.join(", ")} — node ${process.version}, ${os.cpus().length} CPUs`,
  );
  try {
    for (const name of only) {
      const started = Date.now();
      try {
        await BENCHES[name](report, { quick, workDir });
      } catch (error) {
        report.crashed(name, error);
      }
      process.stderr.write(`  ${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log(report.summary());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
