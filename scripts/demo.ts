import "reflect-metadata";

import fs from "node:fs";
import path from "node:path";

import { pino } from "pino";

import { resolveAdminToken } from "../src/auth/access-tokens";
import { loadConfig } from "../src/config/config";
import { startGateway } from "../src/http/gateway.server";
import { createLogger } from "../src/logging/logger";
import { loadSecretBox } from "../src/secrets/secret-key.file";
import { createSimulator } from "../src/simulator";
import { describeStartupFailure } from "../src/startup/startup-failure";

/**
 * `npm run demo`: the built-in ServiceNow simulator with generated data, the gateway on SQLite
 * (data/demo, fresh each time), a demo integration created, validated and synced through the
 * GraphQL API, and the scheduler running — the whole product without a ServiceNow instance.
 * DEMO_INCIDENTS sets the size (default 5000). The terminal shows progress, warnings and the
 * summary; the logs go to data/demo/gateway.log (request lines only with LOG_LEVEL=debug).
 */
const DEMO_USER = "svc.gateway";
const DEMO_PASSWORD = "demo-password-not-secret";

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind !== "sqlite") {
    throw new Error("npm run demo runs on SQLite: unset DATABASE_URL");
  }
  fs.rmSync(config.database.path, { force: true });
  for (const suffix of ["-wal", "-shm"]) {
    fs.rmSync(`${config.database.path}${suffix}`, { force: true });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const logFile = path.join(config.dataDir, "gateway.log");
  fs.rmSync(logFile, { force: true });
  // A person reads the terminal: warnings there, everything else in the file it names.
  const logger = createLogger(
    config.logLevel,
    pino.multistream([
      { level: "warn", stream: process.stdout },
      { level: config.logLevel, stream: pino.destination({ dest: logFile, sync: true }) },
    ]),
  );
  const incidents = Number(process.env.DEMO_INCIDENTS ?? "5000");
  const say = (line: string) => process.stdout.write(`  ${line}\n`);
  say(`Generating ${incidents} simulated incidents and starting the ServiceNow simulator…`);

  const simulator = createSimulator({ logger: logger.child({ component: "simulator" }) });
  simulator.addUser({
    userName: DEMO_USER,
    password: DEMO_PASSWORD,
    timeZone: "America/New_York",
    webServiceAccessOnly: true,
  });
  const dataset = simulator.generate({
    seed: 42,
    groups: 15,
    users: 300,
    incidents,
    changes: Math.ceil(incidents / 8),
    approvalsPerChange: 2,
    journalPerRecord: 2,
  });
  const { url: simulatorUrl } = await simulator.start(0);

  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  const gateway = await startGateway({
    config,
    logger,
    adminToken: admin.token,
    secretBox: loadSecretBox(config).box,
    requestLogLevel: "debug",
  });
  say(`Gateway on ${gateway.graphqlUrl}; creating, validating and syncing a demo integration…`);
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(gateway.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (!body.data || body.errors) {
      throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  };

  const started = Date.now();
  const { createIntegration } = await graphql<{ createIntegration: { id: string } }>(
    `
      mutation ($input: CreateIntegrationInput!) {
        createIntegration(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        name: "Demo instance (simulated)",
        description: "The built-in ServiceNow simulator",
        url: simulatorUrl,
        deployment: "ON_PREM",
        authMethod: "BASIC",
        username: DEMO_USER,
        password: DEMO_PASSWORD,
        tags: ["demo"],
        excludedFields: [{ table: "sys_user", fields: ["employee_number"] }],
      },
    },
  );
  const id = createIntegration.id;
  const { validateConnection } = await graphql<{
    validateConnection: { ok: boolean; checks: Array<{ name: string; status: string }> };
  }>(
    `
      mutation ($id: ID!) {
        validateConnection(id: $id) {
          ok
          checks {
            name
            status
          }
        }
      }
    `,
    { id },
  );
  if (!validateConnection.ok) {
    throw new Error(`validation failed: ${JSON.stringify(validateConnection.checks)}`);
  }
  await graphql(
    `
      mutation ($id: ID!) {
        syncIntegration(id: $id, full: true) {
          id
        }
      }
    `,
    { id },
  );
  await gateway.syncService.waitFor(id);
  const { integration } = await graphql<{
    integration: {
      lastSyncRun: {
        status: string;
        error: string | null;
        tables: Array<{ table: string; upserted: number }>;
      };
    };
  }>(
    `
      query ($id: ID!) {
        integration(id: $id) {
          lastSyncRun {
            status
            error
            tables {
              table
              upserted
            }
          }
        }
      }
    `,
    { id },
  );
  // Push: the simulator's business rules post each of its writes to the gateway's webhook.
  const { rotateWebhookSecret } = await graphql<{
    rotateWebhookSecret: { secret: string; webhookUrl: string };
  }>(
    `
      mutation ($id: ID!) {
        rotateWebhookSecret(id: $id) {
          secret
          webhookUrl
        }
      }
    `,
    { id },
  );
  // The simulator is on loopback: it posts to the gateway's own address, whatever PUBLIC_URL says.
  const webhookPath = new URL(rotateWebhookSecret.webhookUrl).pathname;
  simulator.configureWebhook({
    url: `${gateway.url}${webhookPath}`,
    secret: rotateWebhookSecret.secret,
  });
  const [liveIncident] = simulator.all("incident");

  const example = `{
  incidents(first: 5, filter: { priority: [1, 2] }, orderBy: [{ field: OPENED_AT, direction: DESC }]) {
    totalCount
    edges { node { number shortDescription state priority assignedTo { name } assignmentGroup { name } updates(first: 2) { value } } }
  }
}`;
  process.stdout.write(
    [
      "",
      `  Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s (simulated data: ${dataset.counts.incident} incidents, ${dataset.counts.change_request} changes).`,
      `  Sync ${integration.lastSyncRun.status}: ${integration.lastSyncRun.tables.map((table) => `${table.table} ${table.upserted}`).join(", ")}`,
      "",
      `  Apollo Sandbox:  ${gateway.graphqlUrl}`,
      `  Dashboard:       ${gateway.url}/dashboard (paste the admin token once)`,
      `  Admin token:     ${admin.token}`,
      `  (Sandbox: Connection settings > Headers > Authorization: Bearer <token>)`,
      `  Simulator:       ${simulatorUrl} (user ${DEMO_USER})`,
      `  Logs:            ${path.relative(process.cwd(), logFile)} (LOG_LEVEL=debug adds one line per request)`,
      `  Webhooks:        the simulator's writes are pushed to ${gateway.url}${webhookPath}`,
      "",
      "  Change a record in the simulator and see it in the gateway within a second (freshness WEBHOOK):",
      `    curl -X PATCH ${simulatorUrl}/__sim/records/incident/${liveIncident.sys_id} \\`,
      `      -H 'content-type: application/json' -d '{"short_description": "Changed live"}'`,
      `    then query: { incident(sysId: "${liveIncident.sys_id}") { number shortDescription } integrations { freshness lastWebhookAt } }`,
      "    or watch it arrive over graphql-ws on the same URL (README: Subscriptions), with",
      '    connection_init payload {"authorization": "Bearer <token>"}:',
      "    subscription { incidentChanged { number shortDescription state } }",
      "",
      "  Try:",
      example
        .split("\n")
        .map((line) => `    ${line}`)
        .join("\n"),
      "",
      "  Ctrl+C stops both.",
      "",
    ].join("\n"),
  );

  // Graceful: the gateway drains and closes the database, then the simulator closes. A second
  // signal does not wait.
  let stopping = false;
  const shutdown = () => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    say("Stopping…");
    gateway
      .stop()
      .then(() => simulator.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "demo shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(describeStartupFailure(error).line);
  process.exit(1);
});
