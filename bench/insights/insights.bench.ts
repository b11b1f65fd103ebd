import path from "node:path";
import { performance } from "node:perf_hooks";

import { BENCH_ADMIN_TOKEN, startGatewayChild } from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { postJson } from "../support/http-load";
import { seedDatabase, type SeedSizes } from "../support/seed-database";
import { formatMs, median } from "../support/stats";

/**
 * Insights (DESIGN.md §5): `dora` over the year and `incidentCounts` by group × week over every
 * incident, each against a plain `totalCount` over the same rows, one request at a time,
 * alternating so noise hits all three.
 */

export interface InsightsBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const QUERIES = {
  totalCount: "{ incidents(first: 1) { totalCount } }",
  counts: `{ incidentCounts(groupBy: [ASSIGNMENT_GROUP], bucket: { field: OPENED_AT, interval: WEEK, timeZone: "Europe/Paris" }) { bucketStart count } }`,
  dora: `{ dora(from: "2024-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z", bucket: WEEK, timeZone: "Europe/Paris") {
    deployments changeFailureRate { value } reworkRate { value }
    timeToRestore { count survivalMedianSeconds } failedDeploymentRecoveryTime { count medianSeconds }
    series { deployments } } }`,
} as const;

type QueryName = keyof typeof QUERIES;

async function timed(url: string, query: string): Promise<number> {
  const started = performance.now();
  const { status, body } = await postJson({
    url,
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const ms = performance.now() - started;
  const answer = body as { data?: unknown; errors?: unknown };
  if (status !== 200 || answer.errors !== undefined || !answer.data) {
    throw new Error(`unexpected answer (${status}): ${JSON.stringify(body).slice(0, 300)}`);
  }
  return ms;
}

export async function insightsBench(
  report: BenchReport,
  options: InsightsBenchOptions,
): Promise<void> {
  const sizes: SeedSizes = {
    incidents: options.quick ? 100_000 : 1_000_000,
    changes: options.quick ? 10_000 : 100_000,
    users: 5_000,
    groups: 50,
    journalPerIncident: 0,
  };
  const samples = options.quick ? 5 : 11;
  const file = path.join(options.workDir, "insights.sqlite");
  const started = Date.now();
  await seedDatabase(file, sizes);
  progress(
    "insights",
    `seeded ${sizes.incidents} incidents, ${sizes.changes} changes in ${Date.now() - started} ms`,
  );
  const gateway = await startGatewayChild(file);
  try {
    const url = gateway.ready.graphqlUrl;
    const names = Object.keys(QUERIES) as QueryName[];
    for (const name of names) {
      await timed(url, QUERIES[name]);
    }
    const times: Record<QueryName, number[]> = { totalCount: [], counts: [], dora: [] };
    for (let sample = 0; sample < samples; sample += 1) {
      const order = sample % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        times[name].push(await timed(url, QUERIES[name]));
      }
    }
    const baseline = median(times.totalCount);
    for (const name of ["dora", "counts"] as const) {
      const ms = median(times[name]);
      report.add({
        bench: "insights",
        name: `${name === "dora" ? "dora" : "incidentCounts by group × week"} / totalCount: ${sizes.incidents / 1000}k incidents`,
        measured: (ms / baseline).toFixed(2),
        target: "≤ 10",
        pass: ms / baseline <= 10,
        detail: `median ${formatMs(ms)} vs ${formatMs(baseline)} over ${samples} requests each`,
      });
    }
  } finally {
    await gateway.stop();
  }
}
