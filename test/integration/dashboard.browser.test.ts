import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

import { type Browser, chromium, type Page } from "playwright-core";

import {
  DASHBOARD_COUNTS_QUERY,
  DASHBOARD_DORA_QUERY,
} from "../../src/http/dashboard/dashboard.queries";
import { startSyncHarness, type SyncHarness } from "../support/sync-harness";
import { VIEWER_TOKEN } from "../support/test-gateway";

/** Debian's package; .ci/run installs it when missing, so CI always runs this file. */
const CHROMIUM = "/usr/bin/chromium";
/** The README's picture of the dashboard, rewritten by every run of this test. */
const SCREENSHOT = path.join(__dirname, "..", "..", "docs", "dashboard.png");

// What the user picks: three months of 2024 in Paris (the DST change of 31 March inside).
const WINDOW = { from: "2024-03-01", to: "2024-05-31", bucket: "WEEK", zone: "Europe/Paris" };
// The page reads its dates as UTC days, the `to` day included.
const FROM = "2024-03-01T00:00:00.000Z";
const TO = "2024-06-01T00:00:00.000Z";

interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
  low95: number | null;
  high95: number | null;
}
interface Duration {
  count: number;
  censored: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  survivalMedianSeconds: number | null;
}
interface Dora {
  asOf: string;
  deployments: number;
  deploymentsPerWeek: number;
  changeFailureRate: Rate;
  reworkRate: Rate;
  timeToRestore: Duration;
  failedDeploymentRecoveryTime: Duration;
  series: {
    bucketStart: string;
    deployments: number;
    changeFailureRate: Rate;
    timeToRestore: Duration;
  }[];
}
interface CountGroup {
  keys: { value: string | null; label: string | null }[];
  bucketStart: string | null;
  count: number;
}

// How the README says the tiles present the API's numbers, written out again here.
const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(1)}%`);
function duration(seconds: number | null): string {
  if (seconds === null) {
    return "–";
  }
  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min`;
  }
  return seconds < 172800
    ? `${(seconds / 3600).toFixed(1)} h`
    : `${(seconds / 86400).toFixed(1)} d`;
}
const rateDetail = (rate: Rate) =>
  `${rate.numerator} of ${rate.denominator}` +
  (rate.low95 === null ? "" : ` · 95% ${percent(rate.low95)}–${percent(rate.high95)}`);
const durationDetail = (stats: Duration) =>
  `${stats.count} observed, ${stats.censored} still open · median of the closed ` +
  `${duration(stats.medianSeconds)}, p90 ${duration(stats.p90Seconds)}`;

/** A bucket's month and day in the window's zone, as the charts label it. */
const localDay = (iso: string) => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: WINDOW.zone,
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value;
  return `${part("month")}-${part("day")}`;
};

const describeInChromium = existsSync(CHROMIUM) ? describe : describe.skip;
const title = existsSync(CHROMIUM)
  ? "the dashboard in headless Chromium"
  : `the dashboard in headless Chromium (SKIPPED: no ${CHROMIUM}; apt-get install chromium)`;

describeInChromium(title, () => {
  let harness: SyncHarness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Generated linked data (caused_by, rfc, spread resolution times), synced from the simulator.
    const [started, launched] = await Promise.all([
      startSyncHarness({
        dataset: {
          seed: 909,
          groups: 4,
          users: 30,
          incidents: 600,
          changes: 150,
          approvalsPerChange: 0,
          journalPerRecord: 0,
        },
      }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      }),
    ]);
    harness = started;
    browser = launched;
    const run = await harness.sync(true);
    expect(run.status).toBe("SUCCEEDED");
    page = await browser.newPage({ viewport: { width: 1280, height: 960 } });
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.stop();
  });

  async function api<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { body } = await harness.gateway.graphql<T>(query, variables, { token: VIEWER_TOKEN });
    expect(body.errors).toBeUndefined();
    return body.data as T;
  }

  const text = (selector: string) => page.locator(selector).textContent();
  const bucketTitles = (chart: string) =>
    page.locator(`#${chart} svg g.bucket > title`).allTextContents();

  it("asks for a token, then shows the tiles and charts the API computes for the chosen integration, window and bucket", async () => {
    await page.goto(`${harness.gateway.gateway.url}/dashboard`);
    await page.locator("#token").fill(VIEWER_TOKEN);
    await page.locator("#token-form button[type=submit]").click();
    await page.locator(`#integration option[value="${harness.integrationId}"]`).waitFor({
      state: "attached",
    });
    await page.locator("#status", { hasText: /^Updated/ }).waitFor();

    await page.locator("#zone").fill(WINDOW.zone);
    await page.locator("#integration").selectOption(harness.integrationId);
    await page.locator("#from").fill(WINDOW.from);
    await page.locator("#to").fill(WINDOW.to);
    await page.locator("#bucket").selectOption(WINDOW.bucket);
    // Refresh starts the last load (its status reads "Loading…" until it is drawn).
    await page.locator("#refresh").click();
    await page.locator("#status", { hasText: /^Updated/ }).waitFor();

    const { dora } = await api<{ dora: Dora }>(DASHBOARD_DORA_QUERY, {
      integrationId: harness.integrationId,
      from: FROM,
      to: TO,
      bucket: WINDOW.bucket,
      timeZone: WINDOW.zone,
    });
    // The generated data makes every tile meaningful: nothing here is vacuous.
    expect(dora.deployments).toBeGreaterThan(5);
    expect(dora.changeFailureRate.numerator).toBeGreaterThan(0);
    expect(dora.timeToRestore.count - dora.timeToRestore.censored).toBeGreaterThan(10);
    expect(dora.series.length).toBe(14);

    expect(await text("[data-tile=deploymentsPerWeek]")).toBe(dora.deploymentsPerWeek.toFixed(2));
    expect(await text("[data-detail=deploymentsPerWeek]")).toBe(
      `${dora.deployments} deployments in the window`,
    );
    expect(await text("[data-tile=changeFailureRate]")).toBe(percent(dora.changeFailureRate.value));
    expect(await text("[data-detail=changeFailureRate]")).toBe(rateDetail(dora.changeFailureRate));
    expect(await text("[data-tile=reworkRate]")).toBe(percent(dora.reworkRate.value));
    expect(await text("[data-detail=reworkRate]")).toBe(rateDetail(dora.reworkRate));
    expect(await text("[data-tile=timeToRestore]")).toBe(
      duration(dora.timeToRestore.survivalMedianSeconds),
    );
    expect(await text("[data-detail=timeToRestore]")).toBe(durationDetail(dora.timeToRestore));
    expect(await text("[data-tile=failedDeploymentRecoveryTime]")).toBe(
      duration(dora.failedDeploymentRecoveryTime.survivalMedianSeconds),
    );
    expect(await text("#as-of")).toBe(dora.asOf);

    // Each chart draws one group per bucket of the series, in order, titled with its value.
    const starts = dora.series.map((point) => point.bucketStart);
    for (const chart of ["chart-deployments", "chart-cfr", "chart-ttr", "chart-priority"]) {
      expect(
        await page
          .locator(`#${chart} svg g.bucket`)
          .evaluateAll((groups) => groups.map((group) => group.getAttribute("data-bucket-start"))),
      ).toEqual(starts);
    }
    expect(await bucketTitles("chart-deployments")).toEqual(
      dora.series.map(
        (point) => `${localDay(point.bucketStart)}: ${point.deployments} deployments`,
      ),
    );
    const bars = await page.locator("#chart-deployments svg g.bucket rect[fill='#2f6fdd']").count();
    expect(bars).toBe(dora.series.filter((point) => point.deployments > 0).length);
    expect(await bucketTitles("chart-cfr")).toEqual(
      dora.series.map(
        (point) =>
          `${localDay(point.bucketStart)}: ${percent(point.changeFailureRate.value)} (${rateDetail(point.changeFailureRate)})`,
      ),
    );
    const points = await page.locator("#chart-ttr svg g.bucket circle").count();
    expect(points).toBe(
      dora.series.filter((point) => point.timeToRestore.survivalMedianSeconds !== null).length,
    );

    // Incidents by priority per week: each bucket's total is the API's, the first bucket
    // (clipped to the window) holding the counts of the week it starts in.
    const { incidentCounts } = await api<{ incidentCounts: CountGroup[] }>(DASHBOARD_COUNTS_QUERY, {
      integrationId: harness.integrationId,
      filter: { openedAt: { from: FROM, to: TO } },
      bucket: { field: "OPENED_AT", interval: WINDOW.bucket, timeZone: WINDOW.zone },
    });
    const totals = starts.map(() => 0);
    for (const group of incidentCounts) {
      const slot = starts.indexOf(group.bucketStart ?? "");
      totals[slot === -1 ? 0 : slot] += group.count;
    }
    expect(totals.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(50);
    const priorityTotals = (await bucketTitles("chart-priority")).map((line) =>
      Number(/: (\d+) incidents/.exec(line)?.[1]),
    );
    expect(priorityTotals).toEqual(totals);
    const legend = await page.locator("#legend-priority span").allTextContents();
    expect(legend.length).toBeGreaterThanOrEqual(3);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("answers a wrong token by asking for one again", async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${harness.gateway.gateway.url}/dashboard`);
      await fresh.locator("#token").fill("not-a-token");
      await fresh.locator("#token-form button[type=submit]").click();
      await fresh.locator("#token-form").waitFor({ state: "visible" });
      expect(await fresh.locator("#app").isHidden()).toBe(true);
    } finally {
      await fresh.close();
    }
  });
});
