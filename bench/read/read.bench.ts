import path from "node:path";

import { type RecordedStatement, startGatewayChild } from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { startChild } from "../support/child-process";
import { createAgent, type LoadResult, postJson, runLoad } from "../support/http-load";
import { copyToPostgres, postgresAvailable } from "../support/postgres-copy";
import { seedDatabase } from "../support/seed-database";
import { percentile } from "../support/stats";
import { frontendRequest } from "./frontend-query";

/**
 * Read: the gateway against a hand-written floor on the same SQLite file, both driven by the
 * same closed loop of 32 clients, in alternating rounds so noise hits both; statements per
 * request for 5, 50 and 500 incidents; the gateway's latency spread under that load. Then the
 * same on PostgreSQL, the data copied from that file.
 */

export interface ReadBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const CONCURRENCY = 32;
/** The PostgreSQL the same benchmark also runs on (skipped when none answers). */
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const PAGE = 50;

export async function readBench(report: BenchReport, options: ReadBenchOptions): Promise<void> {
  const sizes = options.quick
    ? { incidents: 20_000, users: 2_000, groups: 40, journalPerIncident: 5 }
    : { incidents: 100_000, users: 10_000, groups: 100, journalPerIncident: 5 };
  const timing = options.quick
    ? { warmupMs: 1_500, roundMs: 2_000, rounds: 2 }
    : { warmupMs: 3_000, roundMs: 5_000, rounds: 4 };
  const file = path.join(options.workDir, "read.sqlite");
  const seededAt = Date.now();
  await seedDatabase(file, sizes);
  progress(
    "read",
    `seeded ${sizes.incidents} incidents, ${sizes.incidents * sizes.journalPerIncident} journal entries, ${sizes.users} users in ${Date.now() - seededAt} ms`,
  );

  await measureRead(report, file, sizes, timing, "");
  if (!(await postgresAvailable(POSTGRES_URL))) {
    report.skipped(
      "read",
      "PostgreSQL",
      `no PostgreSQL answers at ${POSTGRES_URL} (set BENCH_POSTGRES_URL)`,
    );
    return;
  }
  const copiedAt = Date.now();
  const copy = await copyToPostgres(file, POSTGRES_URL);
  progress("read", `copied the data into PostgreSQL in ${Date.now() - copiedAt} ms`);
  try {
    await measureRead(report, copy.url, sizes, timing, " on PostgreSQL");
  } finally {
    await copy.drop();
  }
}

/**
 * The measurements on one database (`source`: the SQLite file or a postgres:// URL), both
 * servers reading it; `label` tells the PostgreSQL lines apart.
 */
async function measureRead(
  report: BenchReport,
  source: string,
  sizes: { readonly incidents: number },
  timing: { readonly warmupMs: number; readonly roundMs: number; readonly rounds: number },
  label: string,
): Promise<void> {
  const statements = await countStatements(source, [5, 50, 500]);
  const constant = new Set(statements).size === 1;
  report.add({
    bench: "read",
    name: `SQL statements per request (5 / 50 / 500)${label}`,
    measured: statements.join(" / "),
    target: "≤ 5, same",
    pass: constant && Math.max(...statements) <= 5,
  });

  const gateway = await startGatewayChild(source);
  const floor = await startChild<{ graphqlUrl: string }>("read/floor.server.ts", {
    args: [source],
  });
  try {
    const targets = {
      gateway: frontendRequest(gateway.ready.graphqlUrl, PAGE),
      floor: frontendRequest(floor.ready.graphqlUrl, PAGE),
    };
    await assertSameAnswer(targets.gateway.url, targets.floor.url);
    // Connections open during the warm-up and stay open: the rounds measure steady state.
    const agents = { gateway: createAgent(CONCURRENCY), floor: createAgent(CONCURRENCY) };
    for (const name of ["gateway", "floor"] as const) {
      await runLoad(targets[name], {
        concurrency: CONCURRENCY,
        durationMs: timing.warmupMs,
        agent: agents[name],
      });
    }
    const results: Record<"gateway" | "floor", LoadResult[]> = { gateway: [], floor: [] };
    for (let round = 0; round < timing.rounds; round += 1) {
      // Alternate which goes first, so a drift within a round does not favour one side.
      const order =
        round % 2 === 0 ? (["gateway", "floor"] as const) : (["floor", "gateway"] as const);
      for (const name of order) {
        const result = await runLoad(targets[name], {
          concurrency: CONCURRENCY,
          durationMs: timing.roundMs,
          agent: agents[name],
        });
        results[name].push(result);
        progress(
          "read",
          `round ${round + 1} ${name}${label}: ${((result.requests / result.elapsedMs) * 1000).toFixed(0)} req/s` +
            (result.errors > 0 ? `, ${result.errors} errors` : ""),
        );
      }
    }
    const throughput = (list: LoadResult[]) =>
      (list.reduce((sum, r) => sum + r.requests, 0) /
        list.reduce((sum, r) => sum + r.elapsedMs, 0)) *
      1000;
    const errors = [...results.gateway, ...results.floor].reduce((sum, r) => sum + r.errors, 0);
    const gatewayRps = throughput(results.gateway);
    const floorRps = throughput(results.floor);
    const clientCpu = Math.max(...results.floor.map((r) => r.clientCpuShare));
    report.add({
      bench: "read",
      name: `throughput gateway / floor (${CONCURRENCY} clients, first ${PAGE})${label}`,
      measured: (gatewayRps / floorRps).toFixed(2),
      target: "≥ 0.5",
      pass: errors === 0 && gatewayRps / floorRps >= 0.5,
      detail: `gateway ${gatewayRps.toFixed(0)} req/s, floor ${floorRps.toFixed(0)} req/s, ${sizes.incidents} incidents, client CPU ≤ ${(clientCpu * 100).toFixed(0)}% of a core${errors > 0 ? `, ${errors} errors` : ""}`,
    });
    const latencies = results.gateway.flatMap((r) => r.latenciesMs);
    const perClient = results.gateway.flatMap((r) => r.perClient);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    report.add({
      bench: "read",
      name: `gateway p99 / p50 latency (${CONCURRENCY} clients)${label}`,
      measured: (p99 / p50).toFixed(2),
      target: "≤ 5",
      pass: p99 / p50 <= 5,
      detail: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length} requests on open connections; answers per client and round ${Math.min(...perClient)}–${Math.max(...perClient)}`,
    });
    for (const agent of Object.values(agents)) {
      agent.destroy();
    }
    // Not a target, but a tail the steady state hides: 32 clients connecting at once to a warm
    // server, and how long each waits for its first answer.
    for (const name of ["gateway", "floor"] as const) {
      const burst = await runLoad(targets[name], {
        concurrency: CONCURRENCY,
        durationMs: timing.warmupMs,
      });
      const openP50 = percentile(
        results[name].flatMap((r) => r.latenciesMs),
        50,
      );
      report.add({
        bench: "read",
        name: `${name}: first answer on a new connection${label}`,
        measured: `${percentile(burst.firstLatenciesMs, 50).toFixed(0)} ms`,
        target: "-",
        pass: null,
        detail: `median of ${burst.firstLatenciesMs.length} connections opened at once, max ${Math.max(...burst.firstLatenciesMs).toFixed(0)} ms; p50 on open connections ${openP50.toFixed(0)} ms`,
      });
    }
  } finally {
    await Promise.all([gateway.stop(), floor.stop()]);
  }
}

/** Statements the gateway issues for the frontend query, per page size (after a warm-up). */
async function countStatements(file: string, pageSizes: readonly number[]): Promise<number[]> {
  const gateway = await startGatewayChild(file, { countStatements: true });
  try {
    await postJson(frontendRequest(gateway.ready.graphqlUrl, PAGE));
    const counts: number[] = [];
    for (const first of pageSizes) {
      await gateway.request("resetStatements");
      const { body } = await postJson(frontendRequest(gateway.ready.graphqlUrl, first));
      const edges = (body as { data?: { incidents?: { edges?: unknown[] } } }).data?.incidents
        ?.edges;
      if (edges?.length !== first) {
        throw new Error(`first ${first}: unexpected answer ${JSON.stringify(body).slice(0, 300)}`);
      }
      counts.push((await gateway.request<RecordedStatement[]>("statements")).length);
    }
    return counts;
  } finally {
    await gateway.stop();
  }
}

/** The comparison means something only if both answer the same data (cursors aside). */
async function assertSameAnswer(gatewayUrl: string, floorUrl: string): Promise<void> {
  const withoutCursors = (body: unknown): string =>
    JSON.stringify(body, (key, value: unknown) =>
      key === "cursor" || key === "endCursor" ? undefined : value,
    );
  const [fromGateway, fromFloor] = await Promise.all([
    postJson(frontendRequest(gatewayUrl, PAGE)),
    postJson(frontendRequest(floorUrl, PAGE)),
  ]);
  const a = withoutCursors(fromGateway.body);
  const b = withoutCursors(fromFloor.body);
  if (a !== b) {
    let at = 0;
    while (at < a.length && a[at] === b[at]) {
      at += 1;
    }
    throw new Error(
      `the gateway and the floor answer differently at ${at}:\n  gateway ${a.slice(Math.max(0, at - 80), at + 80)}\n  floor   ${b.slice(Math.max(0, at - 80), at + 80)}`,
    );
  }
}
