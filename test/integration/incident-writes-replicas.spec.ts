import { createSimulator, type Simulator } from "../../src/simulator";
import { startTestGatewayOn } from "../support/sync-fixtures";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { GraphQLBody, TestGateway } from "../support/test-gateway";

const WRITER_TOKEN = "replica-writer-token-0123456789";
const USER = "svc.replicas";
const PASSWORD = "Replica-Writer-Pa55!";
const ENV = { GATEWAY_WRITER_TOKENS: `alerts=${WRITER_TOKEN}` };

const CREATE = `mutation($id: ID!, $input: CreateIncidentInput!) {
  createIncident(integrationId: $id, input: $input) {
    created transactionsToday incident { sysId }
  }
}`;

interface Created {
  createIncident: { created: boolean; transactionsToday: number; incident: { sysId: string } };
}

let simulator: Simulator;
let database: TestDatabase;
let replicas: TestGateway[];
let integrationId: string;

function create(replica: TestGateway, input: Record<string, unknown>) {
  return replica
    .graphql<Created>(
      CREATE,
      { id: integrationId, input: { shortDescription: "Replica alert", ...input } },
      { token: WRITER_TOKEN },
    )
    .then(({ body }) => body);
}

beforeAll(async () => {
  simulator = createSimulator();
  simulator.addUser({ userName: USER, password: PASSWORD, roles: ["itil"], timeZone: "UTC" });
  const { url } = await simulator.start();
  database = await createTestDatabase();
  // Two gateways sharing one database, as two replicas behind a load balancer.
  replicas = [];
  replicas.push(await startTestGatewayOn(database.config, { env: ENV }));
  replicas.push(await startTestGatewayOn(database.config, { env: ENV }));
  const created = await replicas[0].graphql<{ createIntegration: { id: string } }>(
    `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
    {
      input: {
        name: "replicated",
        url,
        deployment: "ON_PREM",
        username: USER,
        password: PASSWORD,
        writeEnabled: true,
        expectedTransactionsPerDay: 3,
      },
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

describe("incident writes on two replicas sharing one database", () => {
  it("two requests with one new key, one per replica, create one incident", async () => {
    const [a, b] = await Promise.all([
      create(replicas[0], { correlationId: "replicated-key" }),
      create(replicas[1], { correlationId: "replicated-key" }),
    ]);
    const results = [a, b].map((body: GraphQLBody<Created>) => {
      expect(body.errors).toBeUndefined();
      return body.data!.createIncident;
    });
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    expect(results[0].incident.sysId).toBe(results[1].incident.sysId);
    expect(simulator.all("incident")).toHaveLength(1);
  });

  it("share the daily allowance: together they never exceed expectedTransactionsPerDay", async () => {
    // One of the three is used; four more requests race for the two left.
    const bodies = await Promise.all([
      create(replicas[0], {}),
      create(replicas[1], {}),
      create(replicas[0], {}),
      create(replicas[1], {}),
    ]);
    const refused = bodies.filter(
      (body) => body.errors?.[0].extensions?.code === "TRANSACTION_LIMIT_REACHED",
    );
    expect(refused).toHaveLength(2);
    expect(bodies.filter((body) => body.data?.createIncident.created === true)).toHaveLength(2);
    expect(simulator.all("incident")).toHaveLength(3);
  });
});
