import { createHmac } from "node:crypto";

import { recordEntityClassOf } from "../../src/database/entities";
import { INCIDENT_TABLE } from "../../src/modules/incidents/incident.table";
import { createSimulator, type Simulator } from "../../src/simulator";
import { startTestGatewayOn } from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TestGateway } from "../support/test-gateway";

const USER = "svc.webhooks";
const PASSWORD = "Webhook-Replica-Pa55!";
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;

let simulator: Simulator;
let database: TestDatabase;
let replicas: TestGateway[];
let integrationId: string;
let incidentSysId: string;

async function rotate(replica: TestGateway): Promise<string> {
  const { body } = await replica.graphql<{ rotateWebhookSecret: { secret: string } }>(ROTATE, {
    id: integrationId,
  });
  return body.data!.rotateWebhookSecret.secret;
}

function signed(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return {
    "content-type": "application/json",
    "x-gateway-timestamp": timestamp,
    "x-gateway-signature": `sha256=${signature}`,
  };
}

async function post(replica: TestGateway, headers: Record<string, string>, body: string) {
  const response = await fetch(`${replica.gateway.url}/webhooks/servicenow/${integrationId}`, {
    method: "POST",
    headers,
    body,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
}

const notification = (nonce: string) =>
  JSON.stringify({ table: "incident", sys_id: incidentSysId, operation: "update", nonce });

beforeAll(async () => {
  simulator = createSimulator();
  simulator.addUser({ userName: USER, password: PASSWORD, timeZone: "UTC" });
  incidentSysId = simulator.insert("incident", { short_description: "Before the push" }).sys_id;
  const { url } = await simulator.start();
  database = await createTestDatabase();
  // Two gateways sharing one database, as two replicas behind a load balancer.
  replicas = [];
  replicas.push(await startTestGatewayOn(database.config));
  replicas.push(await startTestGatewayOn(database.config));
  const created = await replicas[0].graphql<{ createIntegration: { id: string } }>(
    `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
    {
      input: { name: "replicated", url, deployment: "ON_PREM", username: USER, password: PASSWORD },
    },
  );
  integrationId = created.body.data!.createIntegration.id;
}, 60_000);

afterAll(async () => {
  for (const replica of replicas ?? []) {
    await replica.gateway.stop();
  }
  await database?.drop();
  await simulator?.stop();
});

describe("webhooks on two replicas sharing one database", () => {
  it("refuses on one replica a notification the other already accepted", async () => {
    const secret = await rotate(replicas[0]);
    const body = notification("first");
    const headers = signed(secret, body);

    const first = await post(replicas[0], headers, body);
    const replayed = await post(replicas[1], headers, body);

    expect(first.status).toBe(202);
    expect(replayed).toMatchObject({ status: 401, body: { error: { code: "WEBHOOK_REPLAYED" } } });
  });

  it("accepts at once on one replica a secret rotated on the other, though it cached the old one", async () => {
    const before = await rotate(replicas[0]);
    expect(
      (await post(replicas[1], signed(before, notification("a")), notification("a"))).status,
    ).toBe(202);
    const after = await rotate(replicas[0]);

    const answer = await post(replicas[1], signed(after, notification("b")), notification("b"));

    expect(answer.status).toBe(202);
  });

  it("stops cleanly with notifications still waiting for their fetch", async () => {
    const secret = await rotate(replicas[0]);
    simulator.update("incident", incidentSysId, { short_description: "Pushed before a stop" });
    expect(
      (await post(replicas[1], signed(secret, notification("stop")), notification("stop"))).status,
    ).toBe(202);

    // The group is not due for 50 ms: the stop drops it (the next sync reads the change).
    await replicas[1].gateway.stop();

    const [survivor] = replicas;
    const cached = await survivor.gateway.dataSource
      .getRepository(recordEntityClassOf(INCIDENT_TABLE))
      .findOneBy({ integrationId, sysId: incidentSysId });
    expect(cached?.shortDescription ?? null).not.toBe("Pushed before a stop");
    expect(
      (await post(survivor, signed(secret, notification("after")), notification("after"))).status,
    ).toBe(202);
    await survivor.gateway.webhooks.idle();
    const refreshed = await survivor.gateway.dataSource
      .getRepository(recordEntityClassOf(INCIDENT_TABLE))
      .findOneBy({ integrationId, sysId: incidentSysId });
    expect(refreshed?.shortDescription).toBe("Pushed before a stop");
  });
});
