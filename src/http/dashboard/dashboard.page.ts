/**
 * The built-in dashboard's page: plain HTML and CSS, no build step and nothing loaded from the
 * network. Its script (dashboard.script.ts) asks the public GraphQL API and draws inline SVG.
 */
export const DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Insights · ServiceNow gateway</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1d2433; background: #f5f6f8; }
  body { margin: 0; }
  header { background: #1d2433; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 16px 0 0; }
  header label { font-size: 13px; display: flex; gap: 6px; align-items: center; }
  header input, header select, header button { font: inherit; padding: 3px 6px; }
  main { padding: 20px; display: grid; gap: 16px; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
  .tile, .chart { background: #fff; border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .tile h2, .chart h2 { font-size: 13px; font-weight: 600; color: #5a6478; margin: 0 0 6px; }
  .tile .value { font-size: 28px; font-weight: 600; }
  .tile .detail { font-size: 12px; color: #5a6478; margin-top: 4px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
  svg { width: 100%; height: auto; display: block; }
  .legend { font-size: 12px; color: #5a6478; display: flex; gap: 12px; flex-wrap: wrap; margin-top: 6px; }
  .legend span::before { content: ""; display: inline-block; width: 10px; height: 10px; margin-right: 4px; background: var(--swatch); }
  #status { font-size: 13px; }
  #status.error { color: #b42318; }
  #token-form { background: #fff; max-width: 420px; margin: 60px auto; padding: 20px; border-radius: 8px; display: grid; gap: 10px; }
  #token-form[hidden] { display: none; }
  footer { font-size: 12px; color: #5a6478; padding: 0 20px 20px; }
</style>
</head>
<body>
<form id="token-form" hidden>
  <strong>Bearer token</strong>
  <span>A viewer token is enough; it is kept in this tab only.</span>
  <input id="token" type="password" autocomplete="off" required>
  <button type="submit">Open the dashboard</button>
</form>
<div id="app" hidden>
<header>
  <h1>Insights</h1>
  <label>Integration <select id="integration"><option value="">All integrations</option></select></label>
  <label>From <input id="from" type="date"></label>
  <label>To <input id="to" type="date"></label>
  <label>Bucket <select id="bucket"><option value="WEEK">Week</option><option value="DAY">Day</option><option value="MONTH">Month</option></select></label>
  <label>Zone <input id="zone" size="16"></label>
  <button id="refresh" type="button">Refresh</button>
  <button id="forget" type="button">Forget token</button>
  <span id="status" role="status"></span>
</header>
<main>
  <section class="tiles">
    <div class="tile"><h2>Deployments per week</h2><div class="value" data-tile="deploymentsPerWeek">–</div><div class="detail" data-detail="deploymentsPerWeek"></div></div>
    <div class="tile"><h2>Change failure rate</h2><div class="value" data-tile="changeFailureRate">–</div><div class="detail" data-detail="changeFailureRate"></div></div>
    <div class="tile"><h2>Rework rate</h2><div class="value" data-tile="reworkRate">–</div><div class="detail" data-detail="reworkRate"></div></div>
    <div class="tile"><h2>Time to restore (median, Kaplan–Meier)</h2><div class="value" data-tile="timeToRestore">–</div><div class="detail" data-detail="timeToRestore"></div></div>
    <div class="tile"><h2>Failed deployment recovery (median, K–M)</h2><div class="value" data-tile="failedDeploymentRecoveryTime">–</div><div class="detail" data-detail="failedDeploymentRecoveryTime"></div></div>
  </section>
  <section class="charts">
    <div class="chart"><h2>Deployments</h2><div id="chart-deployments"></div></div>
    <div class="chart"><h2>Change failure rate (95% Wilson interval)</h2><div id="chart-cfr"></div></div>
    <div class="chart"><h2>Time to restore, survival median (hours)</h2><div id="chart-ttr"></div></div>
    <div class="chart"><h2>Incidents opened by priority</h2><div id="chart-priority"></div><div class="legend" id="legend-priority"></div></div>
  </section>
</main>
<footer>Computed by the gateway from cached ServiceNow data (asOf <span id="as-of">–</span>); definitions in the README's Insights section.</footer>
</div>
<script src="/dashboard/dashboard.js"></script>
</body>
</html>
`;
