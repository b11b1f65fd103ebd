import path from "node:path";
import { performance } from "node:perf_hooks";

import { BENCH_ADMIN_TOKEN, startGatewayChild } from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { postJson } from "../support/http-load";
import { copyToPostgres, postgresAvailable } from "../support/postgres-copy";
import { seedDatabase, type SeedSizes } from "../support/seed-database";
import { formatMs, median } from "../support/stats";

/**
 * Insights (DESIGN.md §5): `dora` over the year and `incidentCounts` by group × week over every
 * incident, each against a plain `totalCount` over the same rows, one request at a time,
 * alternating so noise hits all three. Then the same on PostgreSQL (the SQLite data copied into
 * a fresh schema), and the two databases' answers compared.
 */

export interface InsightsBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const COPIED_TABLES = ["integration", "sn_user_group", "sn_user", "incident", "change_request"];

const RATE = "numerator denominator value low95 high95";
const DURATION =
  "count censored meanSeconds medianSeconds p90Seconds survivalMedianSeconds survivalP90Seconds";
const QUERIES = {
  totalCount: "{ incidents(first: 1) { totalCount } }",
  counts: `{ incidentCounts(groupBy: [ASSIGNMENT_GROUP], bucket: { field: OPENED_AT, interval: WEEK, timeZone: "Europe/Paris" }) {
    keys { value label } bucketStart count } }`,
  dora: `{ dora(from: "2024-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z", bucket: WEEK, timeZone: "Europe/Paris") {
    asOf deployments deploymentsPerWeek changeFailureRate { ${RATE} } reworkRate { ${RATE} }
    timeToRestore { ${DURATION} } failedDeploymentRecoveryTime { ${DURATION} }
    series { bucketStart deployments changeFailureRate { ${RATE} } timeToRestore { ${DURATION} } } } }`,
} as const;

type QueryName = keyof typeof QUERIES;

async function timed(url: string, query: string): Promise<{ ms: number; data: unknown }> {
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
  return { ms, data: answer.data };
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
  const sqliteAnswers = await measureInsights(report, file, sizes, samples, "");
  if (!(await postgresAvailable(POSTGRES_URL))) {
    report.add({
      bench: "insights",
      name: "PostgreSQL",
      measured: "-",
      target: "-",
      pass: null,
      detail: `skipped: no PostgreSQL answers at ${POSTGRES_URL} (set BENCH_POSTGRES_URL)`,
    });
    return;
  }
  const copiedAt = Date.now();
  const copy = await copyToPostgres(file, POSTGRES_URL, COPIED_TABLES);
  progress("insights", `copied the data into PostgreSQL in ${Date.now() - copiedAt} ms`);
  try {
    const postgresAnswers = await measureInsights(
      report,
      copy.url,
      sizes,
      samples,
      " on PostgreSQL",
    );
    const differing = (["counts", "dora"] as const).filter(
      (name) => comparable(sqliteAnswers[name]) !== comparable(postgresAnswers[name]),
    );
    report.add({
      bench: "insights",
      name: "answers on SQLite and PostgreSQL",
      measured: differing.length === 0 ? "identical" : `differ: ${differing.join(", ")}`,
      target: "identical",
      pass: differing.length === 0,
      detail: "dora and incidentCounts as above, compared as JSON but for asOf",
    });
  } finally {
    await copy.drop();
  }
}

/** The ratios on one database (the SQLite file or a postgres:// URL); returns the answers. */
async function measureInsights(
  report: BenchReport,
  source: string,
  sizes: SeedSizes,
  samples: number,
  label: string,
): Promise<Record<QueryName, unknown>> {
  const gateway = await startGatewayChild(source);
  try {
    const url = gateway.ready.graphqlUrl;
    const names = Object.keys(QUERIES) as QueryName[];
    const answers = {} as Record<QueryName, unknown>;
    for (const name of names) {
      answers[name] = (await timed(url, QUERIES[name])).data;
    }
    const times: Record<QueryName, number[]> = { totalCount: [], counts: [], dora: [] };
    for (let sample = 0; sample < samples; sample += 1) {
      const order = sample % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        times[name].push((await timed(url, QUERIES[name])).ms);
      }
    }
    const baseline = median(times.totalCount);
    for (const name of ["dora", "counts"] as const) {
      const ms = median(times[name]);
      report.add({
        bench: "insights",
        name: `${name === "dora" ? "dora" : "incidentCounts by group × week"} / totalCount: ${sizes.incidents / 1000}k incidents${label}`,
        measured: (ms / baseline).toFixed(2),
        target: "≤ 10",
        pass: ms / baseline <= 10,
        detail: `median ${formatMs(ms)} vs ${formatMs(baseline)} over ${samples} requests each`,
      });
    }
    return answers;
  } finally {
    await gateway.stop();
  }
}

/**
 * An answer as JSON without asOf: the seed leaves lastSyncedAt empty, so asOf is the time of
 * each request (open incidents are censored there; the seeded ones are open far longer than
 * any restore, which makes the rest of the answer independent of it).
 */
function comparable(answer: unknown): string {
  return JSON.stringify(answer, (key, value: unknown) => (key === "asOf" ? undefined : value));
}
