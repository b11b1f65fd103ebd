import { Incident } from "../../src/modules/incidents/incident.entity";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { startTestGateway, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

const FIELDS = `id name description tags url deployment authMethod username clientId awsSecretId
  excludedFields { table fields } ownerEmail contact expectedTransactionsPerDay
  defaultAssignmentGroup syncIntervalMinutes enabled status statusReason hasCredentials
  oauthRedirectUrl lastSyncRun { id } lastSyncedAt`;

const CREATE = `mutation Create($input: CreateIntegrationInput!) {
  createIntegration(input: $input) { ${FIELDS} }
}`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateIntegrationInput!) {
  updateIntegration(id: $id, input: $input) { ${FIELDS} }
}`;
const DELETE = `mutation Delete($id: ID!) { deleteIntegration(id: $id) }`;

const PASSWORD = "Sup3r-Secret-Password!";
const CLIENT_SECRET = "client-secret-value-7f3a9";

type IntegrationView = Record<string, unknown> & { id: string; status: string };

describe("integration lifecycle", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { PUBLIC_URL: "https://gateway.example.com" } });
  });

  afterAll(async () => {
    await gateway.stop();
  });

  const create = (input: Record<string, unknown>) =>
    gateway.graphql<{ createIntegration: IntegrationView }>(CREATE, { input });

  const basicInput = (name: string) => ({
    name,
    url: "https://acme.service-now.com/",
    deployment: "CLOUD",
    authMethod: "BASIC",
    username: "integration.user",
    password: PASSWORD,
    tags: ["prod", "prod", " itsm "],
    excludedFields: [{ table: "incident", fields: ["description", "close_notes"] }],
    ownerEmail: "owner@example.com",
    expectedTransactionsPerDay: 1200,
  });

  it("creates a BASIC integration, normalises its settings and never returns the password", async () => {
    const { status, body } = await create(basicInput("ACME production"));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const created = body.data!.createIntegration;
    expect(created).toMatchObject({
      name: "ACME production",
      url: "https://acme.service-now.com",
      tags: ["prod", "itsm"],
      excludedFields: [{ table: "incident", fields: ["close_notes", "description"] }],
      status: "PENDING",
      hasCredentials: true,
      syncIntervalMinutes: 60,
      enabled: true,
      oauthRedirectUrl: "https://gateway.example.com/oauth/servicenow/callback",
    });
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
    const stored = await gateway.gateway.dataSource
      .getRepository(Integration)
      .findOneByOrFail({ id: created.id });
    expect(stored.passwordCipher).toBeTruthy();
    expect(stored.passwordCipher).not.toContain(PASSWORD);
  });

  it("marks an OAuth authorization-code integration NEEDS_AUTHORIZATION and hides the client secret", async () => {
    const { body } = await create({
      name: "ACME OAuth",
      url: "https://acme-oauth.service-now.com",
      authMethod: "OAUTH",
      clientId: "abc123",
      clientSecret: CLIENT_SECRET,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.createIntegration.status).toBe("NEEDS_AUTHORIZATION");
    expect(JSON.stringify(body)).not.toContain(CLIENT_SECRET);
  });

  it.each([
    [{ name: "  " }, "input.name", "BAD_USER_INPUT"],
    [{ url: "not a url" }, "input.url", "BAD_USER_INPUT"],
    [{ url: "http://acme.service-now.com" }, "input.url", "BAD_USER_INPUT"],
    [{ url: "https://169.254.169.254" }, "input.url", "BAD_USER_INPUT"],
    [{ url: "https://10.1.2.3" }, "input.url", "BAD_USER_INPUT"],
    [{ url: "https://user:pw@acme.service-now.com" }, "input.url", "BAD_USER_INPUT"],
    [{ password: null }, "input.password", "BAD_USER_INPUT"],
    [
      { excludedFields: [{ table: "cmdb_ci", fields: ["x"] }] },
      "input.excludedFields[0].table",
      "BAD_USER_INPUT",
    ],
    [
      { excludedFields: [{ table: "incident", fields: ["sys_id"] }] },
      "input.excludedFields[0].fields",
      "BAD_USER_INPUT",
    ],
    [
      { excludedFields: [{ table: "incident", fields: ["a^b"] }] },
      "input.excludedFields[0].fields",
      "BAD_USER_INPUT",
    ],
    [{ syncIntervalMinutes: 0 }, "syncIntervalMinutes", "BAD_USER_INPUT"],
    [{ syncIntervalMinutes: 2000 }, "syncIntervalMinutes", "BAD_USER_INPUT"],
    [{ description: "d".repeat(2001) }, "description", "BAD_USER_INPUT"],
    [{ tags: Array.from({ length: 21 }, (_v, i) => `t${i}`) }, "tags", "BAD_USER_INPUT"],
    [{ contact: "c".repeat(321) }, "contact", "BAD_USER_INPUT"],
    [{ expectedTransactionsPerDay: -1 }, "expectedTransactionsPerDay", "BAD_USER_INPUT"],
    [{ defaultAssignmentGroup: "g".repeat(256) }, "defaultAssignmentGroup", "BAD_USER_INPUT"],
  ])("rejects %j with a code naming %s", async (override, field, code) => {
    const { status, body } = await create({
      ...basicInput(`bad ${field} ${Math.random()}`),
      ...override,
    });
    expect(status).toBe(200);
    expect(body.errors?.[0].extensions).toMatchObject({
      code,
      field: expect.stringContaining(field),
    });
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
  });

  it("accepts http and private addresses for ON_PREM but still refuses metadata addresses", async () => {
    const onPrem = await create({
      ...basicInput("On-prem"),
      url: "http://10.20.30.40:8080/sn",
      deployment: "ON_PREM",
    });
    expect(onPrem.body.data?.createIntegration.url).toBe("http://10.20.30.40:8080/sn");
    const metadata = await create({
      ...basicInput("Metadata"),
      url: "http://169.254.169.254/latest",
      deployment: "ON_PREM",
    });
    expect(metadata.body.errors?.[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.url",
    });
  });

  it("rejects a duplicate name with CONFLICT", async () => {
    await create(basicInput("Duplicate"));
    const { body } = await create(basicInput("Duplicate"));
    expect(body.errors?.[0].extensions).toMatchObject({ code: "CONFLICT", field: "input.name" });
  });

  it("updates only the given fields and resets the status when connection settings change", async () => {
    const { body } = await create(basicInput("To update"));
    const id = body.data!.createIntegration.id;
    await gateway.gateway.dataSource
      .getRepository(Integration)
      .update({ id }, { status: "CONNECTED" as Integration["status"] });
    const renamed = await gateway.graphql<{ updateIntegration: IntegrationView }>(UPDATE, {
      id,
      input: { description: "tickets", syncIntervalMinutes: 30 },
    });
    expect(renamed.body.data!.updateIntegration).toMatchObject({
      description: "tickets",
      syncIntervalMinutes: 30,
      status: "CONNECTED",
      username: "integration.user",
    });
    const moved = await gateway.graphql<{ updateIntegration: IntegrationView }>(UPDATE, {
      id,
      input: { url: "https://acme2.service-now.com" },
    });
    expect(moved.body.data!.updateIntegration).toMatchObject({
      url: "https://acme2.service-now.com",
      status: "PENDING",
    });
    const disabled = await gateway.graphql<{ updateIntegration: IntegrationView }>(UPDATE, {
      id,
      input: { enabled: false },
    });
    expect(disabled.body.data!.updateIntegration.status).toBe("DISABLED");
  });

  it("answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    const unknown = await gateway.graphql(DELETE, { id: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.body.errors?.[0].extensions).toMatchObject({ code: "NOT_FOUND", field: "id" });
    const malformed = await gateway.graphql(DELETE, { id: "42" });
    expect(malformed.body.errors?.[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "id",
    });
  });

  it("deletes the integration with its cached records and leaves other integrations' records", async () => {
    const doomed = (await create(basicInput("Doomed"))).body.data!.createIntegration.id;
    const kept = (await create(basicInput("Kept"))).body.data!.createIntegration.id;
    const incidents = gateway.gateway.dataSource.getRepository(Incident);
    for (const [integrationId, sysId] of [
      [doomed, "a".repeat(32)],
      [kept, "b".repeat(32)],
    ]) {
      await incidents.insert({
        integrationId,
        sysId,
        number: `INC-${sysId.slice(0, 4)}`,
        sysCreatedOn: new Date("2026-01-01T00:00:00Z"),
        sysUpdatedOn: new Date("2026-01-01T00:00:00Z"),
        attributes: {},
        syncedAt: new Date(),
      });
    }
    const { body } = await gateway.graphql<{ deleteIntegration: boolean }>(DELETE, { id: doomed });
    expect(body.data?.deleteIntegration).toBe(true);
    expect(await incidents.countBy({ integrationId: doomed })).toBe(0);
    expect(await incidents.countBy({ integrationId: kept })).toBe(1);
    const lookup = await gateway.graphql<{ integration: unknown }>(
      `query($id: ID!) { integration(id: $id) { id } }`,
      { id: doomed },
    );
    expect(lookup.body.data?.integration).toBeNull();
  });

  it("answers FORBIDDEN when a viewer calls a mutation, and changes nothing", async () => {
    const before = await gateway.gateway.dataSource.getRepository(Integration).count();
    const { body } = await gateway.graphql(
      CREATE,
      { input: basicInput("By viewer") },
      { token: VIEWER_TOKEN },
    );
    expect(body.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(await gateway.gateway.dataSource.getRepository(Integration).count()).toBe(before);
  });
});

describe("variable errors on integration input", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it("names the field at fault without echoing the input's values (secrets included)", async () => {
    const { status, body } = await gateway.graphql(CREATE, {
      input: {
        name: "typo",
        url: "https://acme.service-now.com",
        username: "integration.user",
        password: PASSWORD,
        pasword: `${PASSWORD}-typo`,
        syncIntervalMinutes: "sixty",
      },
    });
    // GraphQL over HTTP: 200 as application/json, 400 as application/graphql-response+json.
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain(PASSWORD);
    const messages = body.errors?.map((error) => error.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Variable "\$input" has an invalid value: Field "pasword" is not defined/,
        ),
        'Variable "$input" has an invalid value at "input.syncIntervalMinutes": Int cannot represent non-integer value.',
      ]),
    );
    expect(body.errors?.map((error) => error.extensions?.field)).toEqual(
      expect.arrayContaining(["input", "input.syncIntervalMinutes"]),
    );
    expect(body.errors?.every((error) => error.extensions?.code === "BAD_USER_INPUT")).toBe(true);
  });
});
