import path from "node:path";
import { performance } from "node:perf_hooks";

import Database from "better-sqlite3";

import {
  BENCH_ADMIN_TOKEN,
  type RecordedStatement,
  startGatewayChild,
} from "../support/bench-gateway";
import { type BenchReport, progress } from "../support/bench-report";
import { type LoadTarget, postJson } from "../support/http-load";
import { seedDatabase, type SeedSizes } from "../support/seed-database";
import { formatMs, median } from "../support/stats";

/**
 * Scale: the same filtered, paginated query — active P1/P2 incidents, newest first, 50 per
 * page, the first page and the second through its cursor — against a small and a large
 * database seeded with the same distributions, one request at a time, alternating between the
 * two so noise hits both. Also prints SQLite's plan for the page statement on the large one.
 */

export interface ScaleBenchOptions {
  readonly quick: boolean;
  readonly workDir: string;
}

const SCALE_QUERY = `query Scale($after: String) {
  incidents(
    filter: { priority: [1, 2], state: [NEW, IN_PROGRESS, ON_HOLD] }
    first: 50
    after: $after
  ) {
    edges {
      node {
        number
        shortDescription
        state
        priority
        openedAt
        assignedTo { name }
        assignmentGroup { name }
        updates(first: 5) { value sysCreatedOn }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface ScalePage {
  data?: {
    incidents: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
  errors?: unknown;
}

function scaleRequest(url: string, after: string | null): LoadTarget {
  return {
    url,
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    body: JSON.stringify({ query: SCALE_QUERY, variables: { after } }),
  };
}

async function timed(target: LoadTarget): Promise<{ ms: number; page: ScalePage }> {
  const started = performance.now();
  const { status, body } = await postJson(target);
  const ms = performance.now() - started;
  const page = body as ScalePage;
  if (status !== 200 || !page.data || page.data.incidents.edges.length !== 50) {
    throw new Error(`unexpected answer (${status}): ${JSON.stringify(body).slice(0, 300)}`);
  }
  return { ms, page };
}

export async function scaleBench(report: BenchReport, options: ScaleBenchOptions): Promise<void> {
  const shared = { users: 5_000, groups: 50, journalPerIncident: 2 };
  const small: SeedSizes = { ...shared, incidents: 10_000 };
  const large: SeedSizes = { ...shared, incidents: options.quick ? 100_000 : 1_000_000 };
  const samples = options.quick ? 15 : 40;
  const files = {
    small: path.join(options.workDir, "scale-small.sqlite"),
    large: path.join(options.workDir, "scale-large.sqlite"),
  };
  for (const name of ["small", "large"] as const) {
    const started = Date.now();
    const sizes = name === "small" ? small : large;
    await seedDatabase(files[name], sizes);
    progress("scale", `seeded ${sizes.incidents} incidents in ${Date.now() - started} ms`);
  }

  const plan = await pagePlan(files.large);
  const gateways = {
    small: await startGatewayChild(files.small),
    large: await startGatewayChild(files.large),
  };
  try {
    const cursors = { small: "", large: "" };
    for (const name of ["small", "large"] as const) {
      // The first answers warm each gateway up and give the second page's cursor.
      for (let warm = 0; warm < 3; warm += 1) {
        const { page } = await timed(scaleRequest(gateways[name].ready.graphqlUrl, null));
        cursors[name] = page.data?.incidents.pageInfo.endCursor ?? "";
      }
    }
    const times = {
      small: { first: [] as number[], second: [] as number[] },
      large: { first: [] as number[], second: [] as number[] },
    };
    for (let sample = 0; sample < samples; sample += 1) {
      const order =
        sample % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
      for (const name of order) {
        const url = gateways[name].ready.graphqlUrl;
        times[name].first.push((await timed(scaleRequest(url, null))).ms);
        times[name].second.push((await timed(scaleRequest(url, cursors[name]))).ms);
      }
    }
    for (const page of ["first", "second"] as const) {
      const smallMs = median(times.small[page]);
      const largeMs = median(times.large[page]);
      report.add({
        bench: "scale",
        name: `${page === "first" ? "first page" : "second page (cursor)"}: ${large.incidents / 1000}k / 10k incidents`,
        measured: (largeMs / smallMs).toFixed(2),
        target: "≤ 2",
        pass: largeMs / smallMs <= 2,
        detail: `median ${formatMs(largeMs)} vs ${formatMs(smallMs)} over ${samples} requests each`,
      });
    }
    report.add({
      bench: "scale",
      name: "SQLite plan of the page statement (large)",
      measured: "-",
      target: "-",
      pass: null,
      detail: plan,
    });
  } finally {
    await Promise.all([gateways.small.stop(), gateways.large.stop()]);
  }
}

/** EXPLAIN QUERY PLAN of the statement the gateway runs for the page, on the large database. */
async function pagePlan(file: string): Promise<string> {
  const gateway = await startGatewayChild(file, { countStatements: true });
  try {
    await gateway.request("resetStatements");
    await timed(scaleRequest(gateway.ready.graphqlUrl, null));
    const statements = await gateway.request<RecordedStatement[]>("statements");
    const page = statements.find((statement) => /FROM "incident"/.test(statement.sql));
    if (!page) {
      return "no incident statement seen";
    }
    const db = new Database(file, { readonly: true });
    try {
      const rows = db
        .prepare(`EXPLAIN QUERY PLAN ${page.sql}`)
        .all(...(page.parameters as unknown[])) as Array<{ detail: string }>;
      return rows.map((row) => row.detail).join("; ");
    } finally {
      db.close();
    }
  } finally {
    await gateway.stop();
  }
}
