import {
  DASHBOARD_COUNTS_QUERY,
  DASHBOARD_DORA_QUERY,
  DASHBOARD_INTEGRATIONS_QUERY,
} from "../../src/http/dashboard/dashboard.queries";
import { A, AS_OF, FROM, seedInsightsDataset, TO } from "../support/insights-dataset";
import { startTestGateway, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

describe("GET /dashboard", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await seedInsightsDataset(gateway);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("serves the page without a token, loading nothing from the network", async () => {
    const response = await fetch(`${gateway.gateway.url}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain('<script src="/dashboard/dashboard.js"></script>');
    for (const tile of [
      "deploymentsPerWeek",
      "changeFailureRate",
      "reworkRate",
      "timeToRestore",
      "failedDeploymentRecoveryTime",
    ]) {
      expect(html).toContain(`data-tile="${tile}"`);
    }
    // No external scripts, styles or fonts: every URL is the gateway's own.
    expect(html.match(/(?:src|href)="(?!\/)[^"]*"/g)).toBeNull();
  });

  it("serves a script that parses and calls only /graphql", async () => {
    const response = await fetch(`${gateway.gateway.url}/dashboard/dashboard.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/javascript/);
    const script = await response.text();
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('fetch("/graphql"');
    expect(script.match(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/g)).toBeNull();
  });

  it("its queries run for a viewer and return the hand-computed numbers", async () => {
    const options = { token: VIEWER_TOKEN };
    const integrations = await gateway.graphql<{ integrations: { id: string }[] }>(
      DASHBOARD_INTEGRATIONS_QUERY,
      {},
      options,
    );
    expect(integrations.body.errors).toBeUndefined();
    expect(integrations.body.data?.integrations.map((integration) => integration.id)).toContain(A);
    const dora = await gateway.graphql<{ dora: Record<string, unknown> }>(
      DASHBOARD_DORA_QUERY,
      { integrationId: A, from: FROM, to: TO, bucket: "WEEK", timeZone: "UTC" },
      options,
    );
    expect(dora.body.errors).toBeUndefined();
    expect(dora.body.data?.dora).toMatchObject({
      asOf: AS_OF,
      deployments: 4,
      deploymentsPerWeek: 2,
      changeFailureRate: { numerator: 3, denominator: 4, value: 0.75 },
      timeToRestore: { survivalMedianSeconds: 64800 },
    });
    const counts = await gateway.graphql<{ incidentCounts: { count: number }[] }>(
      DASHBOARD_COUNTS_QUERY,
      {
        integrationId: A,
        filter: { openedAt: { from: FROM, to: TO } },
        bucket: { field: "OPENED_AT", interval: "WEEK", timeZone: "UTC" },
      },
      options,
    );
    expect(counts.body.errors).toBeUndefined();
    // I1, I2, I3, I4, I5 (canceled, but counted) and I6 opened in the window.
    expect(counts.body.data?.incidentCounts.reduce((sum, group) => sum + group.count, 0)).toBe(6);
  });
});
