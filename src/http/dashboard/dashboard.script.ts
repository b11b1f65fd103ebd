/**
 * The dashboard's browser script, served as /dashboard/dashboard.js: plain ES2020, no
 * dependencies. It asks only the public GraphQL API (integrations, dora, incidentCounts) with
 * the token the user typed, and draws the charts as inline SVG.
 */
import {
  DASHBOARD_COUNTS_QUERY,
  DASHBOARD_DORA_QUERY,
  DASHBOARD_INTEGRATIONS_QUERY,
} from "./dashboard.queries";

export const DASHBOARD_SCRIPT = String.raw`"use strict";
(function () {
  var TOKEN_KEY = "gateway-dashboard-token";
  var SVG = "http://www.w3.org/2000/svg";
  var COLORS = ["#b42318", "#e8590c", "#f0b400", "#2f6fdd", "#7a8699", "#9aa5b8"];
  var $ = function (id) { return document.getElementById(id); };

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function graphql(query, variables) {
    return fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer " + token() },
      body: JSON.stringify({ query: query, variables: variables })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && body.errors.length) {
          var error = new Error(body.errors[0].message);
          error.code = body.errors[0].extensions && body.errors[0].extensions.code;
          throw error;
        }
        return body.data;
      });
    });
  }

  var DORA = ${JSON.stringify(DASHBOARD_DORA_QUERY)};
  var COUNTS = ${JSON.stringify(DASHBOARD_COUNTS_QUERY)};
  var INTEGRATIONS = ${JSON.stringify(DASHBOARD_INTEGRATIONS_QUERY)};

  function percent(value) { return value === null ? "–" : (value * 100).toFixed(1) + "%"; }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return "–"; }
    if (seconds < 3600) { return Math.round(seconds / 60) + " min"; }
    if (seconds < 172800) { return (seconds / 3600).toFixed(1) + " h"; }
    return (seconds / 86400).toFixed(1) + " d";
  }
  function rateDetail(rate) {
    return rate.numerator + " of " + rate.denominator +
      (rate.low95 === null ? "" : " · 95% " + percent(rate.low95) + "–" + percent(rate.high95));
  }
  function durationDetail(stats) {
    return stats.count + " observed, " + stats.censored + " still open · median of the closed " +
      duration(stats.medianSeconds) + ", p90 " + duration(stats.p90Seconds);
  }
  function setTile(name, value, detail) {
    document.querySelector("[data-tile=" + name + "]").textContent = value;
    var element = document.querySelector("[data-detail=" + name + "]");
    if (element) { element.textContent = detail; }
  }
  // A bucket's start as its month and day in the chosen zone (a Paris Monday is Sunday in UTC).
  function shortDate(iso, timeZone) {
    var parts = new Intl.DateTimeFormat("en-US", { timeZone: timeZone, month: "2-digit", day: "2-digit" }).formatToParts(new Date(iso));
    var part = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
    return part("month") + "-" + part("day");
  }

  function svgElement(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  // A small chart: stacked bars (series of {values: [..], color}) or a line with an optional band.
  function chart(container, labels, options) {
    var width = 560, height = 220, left = 44, bottom = 28, top = 10, right = 10;
    var svg = svgElement("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    var plotWidth = width - left - right, plotHeight = height - top - bottom;
    var max = Math.max(options.max || 0, 1e-9);
    var y = function (value) { return top + plotHeight - (value / max) * plotHeight; };
    var step = labels.length ? plotWidth / labels.length : plotWidth;
    for (var tick = 0; tick <= 4; tick++) {
      var value = (max * tick) / 4;
      svg.appendChild(svgElement("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), stroke: "#e3e6ec" }));
      svg.appendChild(svgElement("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", "font-size": 10, fill: "#5a6478" }, options.format(value)));
    }
    var every = Math.max(1, Math.ceil(labels.length / 10));
    labels.forEach(function (label, index) {
      if (index % every === 0) {
        svg.appendChild(svgElement("text", { x: left + step * index + step / 2, y: height - 10, "text-anchor": "middle", "font-size": 10, fill: "#5a6478" }, label));
      }
    });
    // One group per bucket, its value in a hover title: a reader can check any bar or point.
    var groups = labels.map(function (_label, index) {
      var group = svgElement("g", { "class": "bucket", "data-bucket-start": options.starts[index] });
      group.appendChild(svgElement("title", {}, labels[index] + ": " + options.tooltip(index)));
      group.appendChild(svgElement("rect", { x: left + step * index, width: step, y: top, height: plotHeight, fill: "transparent" }));
      svg.appendChild(group);
      return group;
    });
    if (options.stacks) {
      labels.forEach(function (_label, index) {
        var base = 0;
        options.stacks.forEach(function (stack) {
          var amount = stack.values[index] || 0;
          if (amount > 0) {
            groups[index].appendChild(svgElement("rect", { x: left + step * index + step * 0.15, width: step * 0.7, y: y(base + amount), height: y(base) - y(base + amount), fill: stack.color }, undefined));
          }
          base += amount;
        });
      });
    }
    if (options.band) {
      var points = [];
      options.band.forEach(function (pair, index) { if (pair) { points.push([left + step * index + step / 2, y(pair[1])]); } });
      for (var back = options.band.length - 1; back >= 0; back--) {
        if (options.band[back]) { points.push([left + step * back + step / 2, y(options.band[back][0])]); }
      }
      if (points.length) { svg.appendChild(svgElement("polygon", { points: points.map(function (p) { return p.join(","); }).join(" "), fill: "rgba(47,111,221,.18)" })); }
    }
    if (options.line) {
      var path = "";
      options.line.forEach(function (value, index) {
        if (value === null) { return; }
        var x = left + step * index + step / 2;
        path += (path === "" ? "M" : " L") + x + " " + y(value);
        groups[index].appendChild(svgElement("circle", { cx: x, cy: y(value), r: 3, fill: "#2f6fdd" }));
      });
      if (path) { svg.appendChild(svgElement("path", { d: path, fill: "none", stroke: "#2f6fdd", "stroke-width": 2 })); }
    }
    container.replaceChildren(svg);
  }

  function dayStart(value) { return new Date(value + "T00:00:00Z").toISOString(); }

  // Every change of a control starts a load; only the latest one may draw.
  var latestLoad = 0;
  function load() {
    var loadNumber = ++latestLoad;
    var status = $("status");
    status.className = "";
    status.textContent = "Loading…";
    var integrationId = $("integration").value || null;
    var from = dayStart($("from").value);
    var to = new Date(new Date(dayStart($("to").value)).getTime() + 86400000).toISOString();
    var bucket = $("bucket").value;
    var timeZone = $("zone").value || "UTC";
    return Promise.all([
      graphql(DORA, { integrationId: integrationId, from: from, to: to, bucket: bucket, timeZone: timeZone }),
      graphql(COUNTS, { integrationId: integrationId, filter: { openedAt: { from: from, to: to } }, bucket: { field: "OPENED_AT", interval: bucket, timeZone: timeZone } })
    ]).then(function (results) {
      if (loadNumber !== latestLoad) { return; }
      var dora = results[0].dora;
      render(dora, results[1].incidentCounts, timeZone);
      status.textContent = "Updated " + new Date().toLocaleTimeString();
    }).catch(function (error) {
      if (loadNumber !== latestLoad) { return; }
      status.className = "error";
      status.textContent = error.message;
      if (error.code === "UNAUTHENTICATED") { sessionStorage.removeItem(TOKEN_KEY); start(); }
    });
  }

  function render(dora, counts, timeZone) {
    $("as-of").textContent = dora.asOf;
    setTile("deploymentsPerWeek", dora.deploymentsPerWeek.toFixed(2), dora.deployments + " deployments in the window");
    setTile("changeFailureRate", percent(dora.changeFailureRate.value), rateDetail(dora.changeFailureRate));
    setTile("reworkRate", percent(dora.reworkRate.value), rateDetail(dora.reworkRate));
    setTile("timeToRestore", duration(dora.timeToRestore.survivalMedianSeconds), durationDetail(dora.timeToRestore));
    setTile("failedDeploymentRecoveryTime", duration(dora.failedDeploymentRecoveryTime.survivalMedianSeconds), durationDetail(dora.failedDeploymentRecoveryTime));

    var labels = dora.series.map(function (point) { return shortDate(point.bucketStart, timeZone); });
    var starts = dora.series.map(function (point) { return point.bucketStart; });
    var deployments = dora.series.map(function (point) { return point.deployments; });
    chart($("chart-deployments"), labels, {
      starts: starts, stacks: [{ values: deployments, color: "#2f6fdd" }],
      tooltip: function (i) { return deployments[i] + " deployments"; },
      max: Math.max.apply(null, deployments.concat([1])), format: function (v) { return v.toFixed(0); }
    });
    chart($("chart-cfr"), labels, {
      starts: starts,
      line: dora.series.map(function (point) { return point.changeFailureRate.value; }),
      band: dora.series.map(function (point) { return point.changeFailureRate.low95 === null ? null : [point.changeFailureRate.low95, point.changeFailureRate.high95]; }),
      tooltip: function (i) { var rate = dora.series[i].changeFailureRate; return percent(rate.value) + " (" + rateDetail(rate) + ")"; },
      max: 1, format: function (v) { return (v * 100).toFixed(0) + "%"; }
    });
    var ttr = dora.series.map(function (point) { var s = point.timeToRestore.survivalMedianSeconds; return s === null ? null : s / 3600; });
    chart($("chart-ttr"), labels, {
      starts: starts, line: ttr,
      tooltip: function (i) { return duration(dora.series[i].timeToRestore.survivalMedianSeconds) + " (" + durationDetail(dora.series[i].timeToRestore) + ")"; },
      max: Math.max.apply(null, ttr.filter(function (v) { return v !== null; }).concat([1])), format: function (v) { return v.toFixed(0); }
    });

    var index = {};
    starts.forEach(function (start, i) { index[start] = i; });
    var priorities = {};
    counts.forEach(function (group) {
      if (group.bucketStart === null) { return; }
      var key = group.keys[0].value === null ? "none" : group.keys[0].value;
      var slot = index[group.bucketStart];
      if (slot === undefined) {
        // The first bucket starts at the window's start, the counts at the bucket's boundary.
        slot = starts.findIndex(function (start, i) { return group.bucketStart <= start && (i === 0); });
      }
      if (slot === -1 || slot === undefined) { return; }
      priorities[key] = priorities[key] || { label: group.keys[0].label || (key === "none" ? "No priority" : key), values: starts.map(function () { return 0; }) };
      priorities[key].values[slot] += group.count;
    });
    var keys = Object.keys(priorities).sort();
    var stacks = keys.map(function (key, i) { return { values: priorities[key].values, color: COLORS[Math.min(i, COLORS.length - 1)], label: priorities[key].label }; });
    var totals = starts.map(function (_s, i) { return stacks.reduce(function (sum, stack) { return sum + stack.values[i]; }, 0); });
    chart($("chart-priority"), labels, {
      starts: starts, stacks: stacks,
      tooltip: function (i) { return totals[i] + " incidents" + stacks.map(function (stack) { return stack.values[i] ? " · " + stack.label + " " + stack.values[i] : ""; }).join(""); },
      max: Math.max.apply(null, totals.concat([1])), format: function (v) { return v.toFixed(0); }
    });
    $("legend-priority").replaceChildren.apply($("legend-priority"), stacks.map(function (stack) {
      var span = document.createElement("span");
      span.style.setProperty("--swatch", stack.color);
      span.textContent = stack.label;
      return span;
    }));
  }

  function start() {
    if (!token()) {
      $("app").hidden = true;
      $("token-form").hidden = false;
      return;
    }
    $("token-form").hidden = true;
    $("app").hidden = false;
    graphql(INTEGRATIONS, {}).then(function (data) {
      var select = $("integration");
      select.replaceChildren(select.options[0]);
      data.integrations.forEach(function (integration) {
        var option = document.createElement("option");
        option.value = integration.id;
        option.textContent = integration.name;
        select.appendChild(option);
      });
      // Cached data may end well before today (a simulator, a paused sync): end the default
      // window at the newest incident.
      var newest = data.latest.nodes.length ? data.latest.nodes[0].openedAt : null;
      if (newest && !windowChosen) { setWindow(new Date(newest)); }
      return load();
    }).catch(function (error) {
      $("status").className = "error";
      $("status").textContent = error.message;
      if (error.code === "UNAUTHENTICATED") { sessionStorage.removeItem(TOKEN_KEY); start(); }
    });
  }

  var windowChosen = false;
  function setWindow(end) {
    $("to").value = end.toISOString().slice(0, 10);
    $("from").value = new Date(end.getTime() - 90 * 86400000).toISOString().slice(0, 10);
  }
  setWindow(new Date());
  ["from", "to"].forEach(function (id) { $(id).addEventListener("change", function () { windowChosen = true; }); });
  $("zone").value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    start();
  });
  ["integration", "from", "to", "bucket"].forEach(function (id) { $(id).addEventListener("change", load); });
  $("refresh").addEventListener("click", load);
  $("forget").addEventListener("click", function () { sessionStorage.removeItem(TOKEN_KEY); start(); });
  start();
})();
`;
