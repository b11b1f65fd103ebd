import path from "node:path";

import { frontendRequest } from "../read/frontend-query";
import { BENCH_ADMIN_TOKEN } from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { type Child, startChild } from "../support/child-process";
import { compileEntry } from "../support/compile";
import { createAgent, postJson, runLoad } from "../support/http-load";
import { startScriptNodeFlags } from "../support/node-flags";
import { seedDatabase } from "../support/seed-database";
import { median } from "../support/stats";
import type { MemorySample, StartupChildReady } from "./startup-bench.types";

/**
 * Start-up memory (issue #8): the compiled gateway, run with `npm start`'s node flags, on a
 * seeded SQLite file whose migrations already ran (a restart, the usual start). RSS after
 * start-up and after its first 1,000 GraphQL requests, each phase's process.memoryUsage(), and
 * the same gateway under node's default flags beside it. Flags that save memory must not cost
 * throughput: both gateways then answer the frontend query in alternating rounds of load. A
 * first start on an empty file (every migration runs) is reported too.
 */

export interface StartupBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

/**
 * Bare node holds about 40 MiB; the gateway's code (about 1,600 modules: TypeORM, graphql-js,
 * type-graphql, Apollo, Express) and its schema about 45 more once young-generation space is
 * kept small. 110 leaves room for the V8 heap start-up needs, not for anything that grows.
 */
const STARTED_TARGET_MIB = 110;
/** Requests allocate: the heap may grow to its working size, which must stay well under 200. */
const SERVED_TARGET_MIB = 140;
const REQUESTS = 1000;
const CONCURRENCY = 8;
/** Throughput under npm start's flags relative to node's defaults: no more than noise lower. */
const THROUGHPUT_TARGET = 0.9;
const LOAD_CLIENTS = 32;

interface Measured {
  readonly ready: StartupChildReady;
  readonly firstRequest: MemorySample;
  readonly served: MemorySample;
  readonly lazyLoadedAfterRequests: string[];
}

export async function startupBench(
  report: BenchReport,
  options: StartupBenchOptions,
): Promise<void> {
  const child = compileEntry("startup/startup.child.ts", path.join(options.workDir, "startup"));
  const flags = startScriptNodeFlags();

  progress("startup", "first start on an empty file (every migration runs)");
  const fresh = await startChild<StartupChildReady>(child, {
    args: [path.join(options.workDir, "startup-fresh.sqlite")],
    nodeArgs: flags,
  });
  const freshStarted = fresh.ready.phases.at(-1);
  await fresh.stop();

  const file = path.join(options.workDir, "startup.sqlite");
  progress("startup", "seeding");
  await seedDatabase(file, {
    incidents: options.quick ? 2_000 : 20_000,
    users: 500,
    groups: 20,
    journalPerIncident: 5,
  });
  progress("startup", `restart as npm start runs it (${flags.join(" ") || "no flags"})`);
  const tunedChild = await startChild<StartupChildReady>(child, { args: [file], nodeArgs: flags });
  const defaultChild = await startChild<StartupChildReady>(child, { args: [file], nodeArgs: [] });
  let tuned: Measured;
  let defaults: Measured;
  let throughput: Throughput;
  try {
    tuned = await measure(tunedChild);
    progress("startup", "restart under node's default flags");
    defaults = await measure(defaultChild);
    progress("startup", "throughput, alternating rounds");
    throughput = await alternateLoad(tunedChild, defaultChild, options.quick);
  } finally {
    await Promise.all([tunedChild.stop(), defaultChild.stop()]);
  }

  const started = tuned.ready.phases.at(-1) as MemorySample;
  report.add({
    bench: "startup",
    name: "RSS after start-up (restart)",
    measured: `${mib(started.rssMiB)} MiB`,
    target: `< ${STARTED_TARGET_MIB} MiB`,
    pass: started.rssMiB < STARTED_TARGET_MIB,
    detail: `${phasesLine(tuned.ready.phases)}; node defaults ${mib((defaults.ready.phases.at(-1) as MemorySample).rssMiB)} MiB; first start with migrations ${freshStarted ? mib(freshStarted.rssMiB) : "?"} MiB`,
  });
  report.add({
    bench: "startup",
    name: `RSS after ${REQUESTS} GraphQL requests`,
    measured: `${mib(tuned.served.rssMiB)} MiB`,
    target: `< ${SERVED_TARGET_MIB} MiB`,
    pass: tuned.served.rssMiB < SERVED_TARGET_MIB,
    detail: `first request ${mib(tuned.firstRequest.rssMiB)}; heap used ${mib(tuned.served.heapUsedMiB)} of ${mib(tuned.served.heapTotalMiB)}; node defaults ${mib(defaults.served.rssMiB)} MiB (heap ${mib(defaults.served.heapUsedMiB)} of ${mib(defaults.served.heapTotalMiB)})`,
  });
  report.add({
    bench: "startup",
    name: "throughput (CPU per request) flags / defaults",
    measured: throughput.cpuRatio.toFixed(2),
    target: `≥ ${THROUGHPUT_TARGET}`,
    pass: throughput.cpuRatio >= THROUGHPUT_TARGET,
    detail: `${throughput.tunedCpuMs.toFixed(2)} vs ${throughput.defaultsCpuMs.toFixed(2)} ms CPU per request (medians); requests per second ${throughput.rateRatio.toFixed(2)}; median of ${throughput.pairs} pairs of 1 s rounds, frontend query (first 50), ${LOAD_CLIENTS} clients`,
  });
  const lazy = [...new Set([...tuned.ready.lazyLoaded, ...tuned.lazyLoadedAfterRequests])];
  report.add({
    bench: "startup",
    name: "lazily loaded modules loaded by a plain start",
    measured: String(lazy.length),
    target: "0",
    pass: lazy.length === 0,
    detail: `${started.modules} modules after start-up${lazy.length > 0 ? `: ${lazy.map((loaded) => path.basename(loaded)).join(", ")}` : ""}`,
  });
}

function requestsOf(graphqlUrl: string): Array<Parameters<typeof postJson>[0]> {
  return [
    frontendRequest(graphqlUrl, 50),
    {
      url: graphqlUrl,
      headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
      body: JSON.stringify({ query: "{ integrations { id name status lastSyncedAt } }" }),
    },
  ];
}

async function measure(gateway: Child<StartupChildReady>): Promise<Measured> {
  const requests = requestsOf(gateway.ready.graphqlUrl);
  await answer(requests[0]);
  const { sample: firstRequest } = await gateway.request<{ sample: MemorySample }>(
    "memory",
    "first request",
  );
  let sent = 1;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent += 1;
        await answer(requests[sent % requests.length]);
      }
    }),
  );
  const after = await gateway.request<{ sample: MemorySample; lazyLoaded: string[] }>(
    "memory",
    `${REQUESTS} requests`,
  );
  return {
    ready: gateway.ready,
    firstRequest,
    served: after.sample,
    lazyLoadedAfterRequests: after.lazyLoaded,
  };
}

/**
 * Each gateway's cost per request in short rounds, one right after the other: CPU time (the
 * process's, GC threads included), which the machine's load barely changes, and requests per
 * second. Ratios are the median of each pair's, tuned over defaults.
 */
async function alternateLoad(
  tuned: Child<StartupChildReady>,
  defaults: Child<StartupChildReady>,
  quick: boolean,
): Promise<Throughput> {
  const pairs = quick ? 9 : 25;
  const roundMs = 1_000;
  const gateways = { tuned, defaults };
  const agents = { tuned: createAgent(LOAD_CLIENTS), defaults: createAgent(LOAD_CLIENTS) };
  const round = async (name: "tuned" | "defaults") => {
    const cpuBefore = await gateways[name].request<number>("cpu");
    const result = await runLoad(frontendRequest(gateways[name].ready.graphqlUrl, 50), {
      concurrency: LOAD_CLIENTS,
      durationMs: roundMs,
      agent: agents[name],
    });
    const cpuUs = (await gateways[name].request<number>("cpu")) - cpuBefore;
    if (result.errors > 0 || result.requests === 0) {
      throw new Error(`${name}: ${result.errors} failed requests of ${result.requests}`);
    }
    return {
      perSecond: (result.requests * 1000) / result.elapsedMs,
      cpuMsPerRequest: cpuUs / 1000 / result.requests,
    };
  };
  const cpuRatios: number[] = [];
  const rateRatios: number[] = [];
  const cpu = { tuned: [] as number[], defaults: [] as number[] };
  try {
    for (let pair = 0; pair < pairs; pair += 1) {
      // Who goes first alternates too.
      const order =
        pair % 2 === 0 ? (["tuned", "defaults"] as const) : (["defaults", "tuned"] as const);
      const measured: Partial<Record<"tuned" | "defaults", Awaited<ReturnType<typeof round>>>> = {};
      for (const name of order) {
        measured[name] = await round(name);
        cpu[name].push(measured[name].cpuMsPerRequest);
      }
      const { tuned: t, defaults: d } = measured as Required<typeof measured>;
      cpuRatios.push(d.cpuMsPerRequest / t.cpuMsPerRequest);
      rateRatios.push(t.perSecond / d.perSecond);
    }
  } finally {
    agents.tuned.destroy();
    agents.defaults.destroy();
  }
  return {
    cpuRatio: median(cpuRatios),
    rateRatio: median(rateRatios),
    tunedCpuMs: median(cpu.tuned),
    defaultsCpuMs: median(cpu.defaults),
    pairs,
  };
}

interface Throughput {
  /** CPU per request under node's defaults / under npm start's flags (1: the flags cost nothing). */
  readonly cpuRatio: number;
  /** Requests per second under npm start's flags / under node's defaults. */
  readonly rateRatio: number;
  readonly tunedCpuMs: number;
  readonly defaultsCpuMs: number;
  readonly pairs: number;
}

async function answer(target: Parameters<typeof postJson>[0]): Promise<void> {
  const { status, body } = await postJson(target);
  const answered = body as { data?: unknown; errors?: unknown };
  if (status !== 200 || answered.errors !== undefined || !answered.data) {
    throw new Error(`unexpected answer (${status}): ${JSON.stringify(body).slice(0, 300)}`);
  }
}

function mib(value: number): string {
  return value.toFixed(1);
}

function phasesLine(phases: readonly MemorySample[]): string {
  return phases
    .map(
      (phase) =>
        `${phase.phase} ${mib(phase.rssMiB)} (heap ${mib(phase.heapUsedMiB)}/${mib(phase.heapTotalMiB)}, ${phase.modules} modules)`,
    )
    .join(", ");
}
