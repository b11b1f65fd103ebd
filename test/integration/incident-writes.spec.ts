import { createLogger } from "../../src/logging/logger";
import { createSimulator, type Simulator } from "../../src/simulator";
import {
  SIM_PASSWORD,
  SIM_USER,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";
import { ADMIN_TOKEN, type GraphQLBody, VIEWER_TOKEN } from "../support/test-gateway";

const WRITER_TOKEN = "test-writer-token-0123456789";

const CREATE = `mutation($id: ID!, $input: CreateIncidentInput!) {
  createIncident(integrationId: $id, input: $input) {
    created transactionsToday transactionsLeftToday
    incident { sysId number shortDescription callerSysId assignmentGroupSysId assignedToSysId
      priority impact urgency state stateValue attributes }
  }
}`;
const UPDATE = `mutation($id: ID!, $sysId: String!, $input: UpdateIncidentInput!) {
  updateIncident(integrationId: $id, sysId: $sysId, input: $input) {
    created transactionsToday incident { sysId state closeCode closeNotes resolvedAt }
  }
}`;
const COMMENT = `mutation($id: ID!, $sysId: String!, $kind: JournalKind!, $text: String!) {
  addIncidentComment(integrationId: $id, sysId: $sysId, kind: $kind, text: $text) {
    created incident { sysId updates { element value createdBy } }
  }
}`;
const UPDATE_INTEGRATION = `mutation($id: ID!, $input: UpdateIntegrationInput!) {
  updateIntegration(id: $id, input: $input) { id writeEnabled transactionsToday }
}`;

interface WriteResult {
  created: boolean;
  transactionsToday: number;
  transactionsLeftToday: number | null;
  incident: {
    sysId: string;
    number: string;
    shortDescription: string;
    callerSysId: string | null;
    assignmentGroupSysId: string | null;
    assignedToSysId: string | null;
    priority: number | null;
    state: string | null;
    attributes: Record<string, string>;
  };
}

let simulator: Simulator;
let harness: SyncHarness;
let janeSysId: string;
let groupSysId: string;
let otherGroupSysId: string;
const logLines: string[] = [];
const bodies: string[] = [];

async function gql<T>(
  query: string,
  variables: Record<string, unknown>,
  token: string = WRITER_TOKEN,
): Promise<GraphQLBody<T>> {
  const { body } = await harness.gateway.graphql<T>(query, variables, { token });
  bodies.push(JSON.stringify(body));
  return body;
}

async function create(input: Record<string, unknown>, token?: string) {
  return gql<{ createIncident: WriteResult }>(
    CREATE,
    { id: harness.integrationId, input: { shortDescription: "Disk full on db-1", ...input } },
    token,
  );
}

async function settings(input: Record<string, unknown>) {
  const body = await gql(UPDATE_INTEGRATION, { id: harness.integrationId, input }, ADMIN_TOKEN);
  expect(body.errors).toBeUndefined();
}

async function transactionsToday(): Promise<number> {
  const body = await gql<{ integration: { transactionsToday: number } }>(
    `query($id: ID!) { integration(id: $id) { transactionsToday } }`,
    { id: harness.integrationId },
    VIEWER_TOKEN,
  );
  return body.data!.integration.transactionsToday;
}

const posts = () =>
  simulator.requestLog.filter((entry) => entry.method === "POST" && entry.table === "incident");

beforeAll(async () => {
  simulator = createSimulator();
  janeSysId = simulator.insert("sys_user", { user_name: "jane.doe", name: "Jane Doe" }).sys_id;
  simulator.insert("sys_user", { user_name: "bob.smith", name: "Bob Smith" });
  groupSysId = simulator.insert("sys_user_group", { name: "Network Ops" }).sys_id;
  otherGroupSysId = simulator.insert("sys_user_group", { name: "Service Desk" }).sys_id;
  simulator.insert("sys_user_group", { name: "Twins" });
  simulator.insert("sys_user_group", { name: "Twins" });
  harness = await startSyncHarness({
    simulator,
    env: { GATEWAY_WRITER_TOKENS: `monitoring=${WRITER_TOKEN}`, SERVICENOW_RETRY_BASE_MS: "10" },
    // The integration user may create incidents.
    roles: ["itil"],
    logger: createLogger("debug", {
      write(line: string) {
        logLines.push(line);
      },
    }),
  });
  await harness.sync(true);
  await settings({ writeEnabled: true, defaultAssignmentGroup: "Network Ops" });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe("incident writes over real HTTP against the simulator", () => {
  it("creates with names resolved and the default group; reads it back at once", async () => {
    const body = await create({ callerUserName: "jane.doe", impact: 2, urgency: 2 });
    expect(body.errors).toBeUndefined();
    const result = body.data!.createIncident;
    expect(result).toMatchObject({
      created: true,
      transactionsLeftToday: null,
      incident: {
        shortDescription: "Disk full on db-1",
        callerSysId: janeSysId,
        assignmentGroupSysId: groupSysId,
        priority: 3,
        state: "NEW",
      },
    });
    expect(result.incident.number).toMatch(/^INC\d+$/);
    const stored = simulator.get("incident", result.incident.sysId);
    expect(stored).toMatchObject({ caller_id: janeSysId, assignment_group: groupSysId });

    // Read-your-writes, in the same second, from the cache.
    const read = await gql<{ incident: { number: string; callerSysId: string } | null }>(
      `query($id: ID, $sysId: String) { incident(integrationId: $id, sysId: $sysId) { number callerSysId } }`,
      { id: harness.integrationId, sysId: result.incident.sysId },
      VIEWER_TOKEN,
    );
    expect(read.data?.incident).toEqual({ number: result.incident.number, callerSysId: janeSysId });
  });

  it("the next sync leaves a written incident exactly as the write cached it", async () => {
    const body = await create({ callerUserName: "jane.doe", assignmentGroup: otherGroupSysId });
    const { sysId } = body.data!.createIncident.incident;
    const repository = harness.gateway.gateway.dataSource.getRepository("incident");
    const before = (await repository.findOneByOrFail({ sysId })) as Record<string, unknown>;
    await harness.sync();
    const after = (await repository.findOneByOrFail({ sysId })) as Record<string, unknown>;
    const { syncedAt: _before, ...cachedColumns } = before;
    const { syncedAt: _after, ...syncedColumns } = after;
    expect(syncedColumns).toEqual(cachedColumns);

    // A comment's journal entry, cached by the write, is also what the sync stores.
    await gql(COMMENT, { id: harness.integrationId, sysId, kind: "COMMENT", text: "Looking" });
    const journal = harness.gateway.gateway.dataSource.getRepository("journal_entry");
    const written = await journal.find({ where: { elementSysId: sysId } });
    expect(written).toHaveLength(1);
    await harness.sync();
    const synced = await journal.find({ where: { elementSysId: sysId } });
    const strip = (rows: Array<Record<string, unknown>>) =>
      rows.map(({ syncedAt: _at, ...columns }) => columns);
    expect(strip(synced)).toEqual(strip(written));
  });

  it("writes with OAuth too: an expired token is renewed and the POST sent once", async () => {
    simulator.addOAuthClient({
      clientId: "writer-client",
      clientSecret: "Writer-Client-Secret-42",
      redirectUris: [],
    });
    const created = await gql<{ createIntegration: { id: string } }>(
      `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id } }`,
      {
        input: {
          name: "oauth writer",
          url: harness.simulatorUrl,
          deployment: "ON_PREM",
          authMethod: "OAUTH",
          clientId: "writer-client",
          clientSecret: "Writer-Client-Secret-42",
          username: SIM_USER,
          password: SIM_PASSWORD,
          writeEnabled: true,
        },
      },
      ADMIN_TOKEN,
    );
    const id = created.data!.createIntegration.id;
    const createOn = () =>
      gql<{ createIncident: WriteResult }>(CREATE, {
        id,
        input: { shortDescription: "Via OAuth", callerSysId: janeSysId },
      });
    const first = await createOn();
    expect(first.errors).toBeUndefined();
    simulator.expireAccessTokens();
    const before = simulator.all("incident").length;
    const second = await createOn();
    expect(second.errors).toBeUndefined();
    expect(simulator.all("incident")).toHaveLength(before + 1);
    const bearerPosts = simulator.requestLog.filter(
      (entry) =>
        entry.method === "POST" && entry.table === "incident" && entry.authKind === "bearer",
    );
    // The first POST of the expired token got a 401 and was sent again once renewed.
    expect(bearerPosts.map((entry) => entry.status)).toEqual([201, 401, 201]);
  });

  it("resolves a user created since the last sync on the instance; the caller defaults to the integration user", async () => {
    const lateSysId = simulator.insert("sys_user", { user_name: "late.joiner" }).sys_id;
    const body = await create({
      assignedToUserName: "late.joiner",
      assignmentGroup: "Service Desk",
    });
    expect(body.errors).toBeUndefined();
    const integrationUser = simulator.users.find((user) => user.userName === SIM_USER)!;
    expect(body.data!.createIncident.incident).toMatchObject({
      assignedToSysId: lateSysId,
      callerSysId: integrationUser.sysId,
      assignmentGroupSysId: otherGroupSysId,
    });
  });

  it("names an unknown or ambiguous group or user as the field at fault, and writes nothing", async () => {
    const before = posts().length;
    const unknown = await create({ assignmentGroup: "No Such Group" });
    expect(unknown.errors?.[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.assignmentGroup",
    });
    const ambiguous = await create({ assignmentGroup: "Twins" });
    expect(ambiguous.errors?.[0].extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.assignmentGroup",
    });
    expect(ambiguous.errors?.[0].message).toContain("More than one");
    const user = await create({ callerUserName: "nobody" });
    expect(user.errors?.[0].extensions).toMatchObject({ field: "input.callerUserName" });
    expect(posts().length).toBe(before);
  });

  it("updates the state to Resolved with close code and notes", async () => {
    const { sysId } = (await create({})).data!.createIncident.incident;
    const body = await gql<{
      updateIncident: { created: boolean; incident: Record<string, unknown> };
    }>(UPDATE, {
      id: harness.integrationId,
      sysId,
      input: { state: "RESOLVED", closeCode: "Solved (Permanently)", closeNotes: "Disk cleaned" },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateIncident.created).toBe(false);
    expect(body.data!.updateIncident.incident).toMatchObject({
      state: "RESOLVED",
      closeCode: "Solved (Permanently)",
      closeNotes: "Disk cleaned",
    });
    expect(body.data!.updateIncident.incident.resolvedAt).not.toBeNull();
    expect(simulator.get("incident", sysId)?.state).toBe("6");
  });

  it("shows a data-policy refusal in ServiceNow's words, naming the field", async () => {
    const { sysId } = (await create({})).data!.createIncident.incident;
    const body = await gql(UPDATE, {
      id: harness.integrationId,
      sysId,
      input: { state: "RESOLVED" },
    });
    const error = body.errors?.[0];
    expect(error?.extensions).toMatchObject({
      code: "SERVICENOW_REJECTED",
      field: "input.closeCode",
      servicenowStatus: 403,
    });
    expect(error?.message).toContain(
      "Data Policy Exception: The following fields are mandatory: Resolution code, Resolution notes",
    );
    expect(simulator.get("incident", sysId)?.state).toBe("1");
  });

  it("adds a comment and a work note that appear under updates", async () => {
    const { sysId } = (await create({})).data!.createIncident.incident;
    const comment = await gql<{ addIncidentComment: { incident: { updates: unknown[] } } }>(
      COMMENT,
      { id: harness.integrationId, sysId, kind: "COMMENT", text: "We are on it" },
    );
    expect(comment.errors).toBeUndefined();
    const note = await gql<{ addIncidentComment: { incident: { updates: unknown[] } } }>(COMMENT, {
      id: harness.integrationId,
      sysId,
      kind: "WORK_NOTE",
      text: "Rebooted db-1",
    });
    expect(note.data!.addIncidentComment.incident.updates).toEqual(
      expect.arrayContaining([
        { element: "comments", value: "We are on it", createdBy: SIM_USER },
        { element: "work_notes", value: "Rebooted db-1", createdBy: SIM_USER },
      ]),
    );
  });

  it("retried create with the same key after a dropped response creates one incident", async () => {
    simulator.faults.inject({ kind: "dropResponse", match: { table: "incident", method: "POST" } });
    const first = await create({ correlationId: "alert-dropped" });
    expect(first.errors).toBeUndefined();
    expect(first.data!.createIncident.created).toBe(true);
    const retried = await create({ correlationId: "alert-dropped" });
    expect(retried.data!.createIncident).toMatchObject({
      created: false,
      transactionsToday: first.data!.createIncident.transactionsToday,
      incident: { sysId: first.data!.createIncident.incident.sysId },
    });
    const stored = simulator.all("incident").filter((r) => r.correlation_id === "alert-dropped");
    expect(stored).toHaveLength(1);
    expect(stored[0].correlation_display).toBe("servicenow-graphql-gateway");
  });

  it("settles a lost answer that could not be looked up on the next retry, without a second POST", async () => {
    simulator.faults.inject({ kind: "dropResponse", match: { table: "incident", method: "POST" } });
    simulator.faults.inject({
      kind: "status",
      status: 503,
      times: 50,
      match: { table: "incident", method: "GET" },
    });
    const first = await create({ correlationId: "alert-unknown" });
    simulator.faults.clear();
    expect(first.errors?.[0].extensions?.code).toBe("SERVICENOW_UNAVAILABLE");
    expect(first.errors?.[0].message).toContain("may exist");
    const used = await transactionsToday();
    const before = posts().length;
    const retried = await create({ correlationId: "alert-unknown" });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createIncident.created).toBe(true);
    expect(posts().length).toBe(before);
    expect(await transactionsToday()).toBe(used);
    const again = await create({ correlationId: "alert-unknown" });
    expect(again.data!.createIncident).toMatchObject({
      created: false,
      incident: { sysId: retried.data!.createIncident.incident.sysId },
    });
    expect(
      simulator.all("incident").filter((r) => r.correlation_id === "alert-unknown"),
    ).toHaveLength(1);
  });

  it("without a key, a lost answer is SERVICENOW_UNAVAILABLE saying the incident may exist", async () => {
    simulator.faults.inject({ kind: "dropResponse", match: { table: "incident", method: "POST" } });
    const before = posts().length;
    const body = await create({});
    expect(body.errors?.[0].extensions?.code).toBe("SERVICENOW_UNAVAILABLE");
    expect(body.errors?.[0].message).toContain("may exist");
    expect(posts().length).toBe(before + 1);
  });

  it("two concurrent requests with one new key create one incident", async () => {
    const [a, b] = await Promise.all([
      create({ correlationId: "alert-concurrent" }),
      create({ correlationId: "alert-concurrent" }),
    ]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const results = [a.data!.createIncident, b.data!.createIncident];
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0].incident.sysId).toBe(results[1].incident.sysId);
    expect(
      simulator.all("incident").filter((r) => r.correlation_id === "alert-concurrent"),
    ).toHaveLength(1);
  });

  it("refuses the (N+1)th transaction of the day and sends nothing", async () => {
    const used = (await create({})).data!.createIncident.transactionsToday;
    await settings({ expectedTransactionsPerDay: used + 1 });
    const last = await create({});
    expect(last.data!.createIncident).toMatchObject({
      transactionsToday: used + 1,
      transactionsLeftToday: 0,
    });
    const before = posts().length;
    const refused = await create({});
    expect(refused.errors?.[0].extensions?.code).toBe("TRANSACTION_LIMIT_REACHED");
    const resetsAt = String(refused.errors?.[0].extensions?.resetsAt);
    expect(new Date(resetsAt).toISOString().endsWith("T00:00:00.000Z")).toBe(true);
    expect(posts().length).toBe(before);
    const integration = await gql<{ integration: { transactionsToday: number } }>(
      `query($id: ID!) { integration(id: $id) { transactionsToday writeEnabled } }`,
      { id: harness.integrationId },
      VIEWER_TOKEN,
    );
    expect(integration.data?.integration.transactionsToday).toBe(used + 1);
    await settings({ expectedTransactionsPerDay: null });
  });

  it("waits out a short 429 and answers a long one as SERVICENOW_RATE_LIMITED", async () => {
    simulator.faults.inject({
      kind: "rateLimit",
      retryAfterSeconds: 1,
      match: { table: "incident", method: "POST" },
    });
    const waited = await create({});
    expect(waited.errors).toBeUndefined();

    simulator.faults.inject({
      kind: "rateLimit",
      retryAfterSeconds: 120,
      match: { table: "incident", method: "POST" },
    });
    const count = simulator.all("incident").length;
    const limited = await create({});
    expect(limited.errors?.[0].extensions).toMatchObject({
      code: "SERVICENOW_RATE_LIMITED",
      retryAfterSeconds: 120,
    });
    expect(simulator.all("incident")).toHaveLength(count);
  });

  it("lets writer tokens write and read only; viewers are refused; admins see the write log", async () => {
    const viewer = await create({}, VIEWER_TOKEN);
    expect(viewer.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    expect(viewer.errors?.[0].message).toContain("admin or writer");
    const writerAdmin = await gql(
      `mutation($id: ID!) { syncIntegration(id: $id) { id } }`,
      { id: harness.integrationId },
      WRITER_TOKEN,
    );
    expect(writerAdmin.errors?.[0].extensions?.code).toBe("FORBIDDEN");
    const writerReads = await gql(`{ incidents(first: 1) { totalCount } }`, {}, WRITER_TOKEN);
    expect(writerReads.errors).toBeUndefined();
    const writerLog = await gql(`{ writeLog { totalCount } }`, {}, WRITER_TOKEN);
    expect(writerLog.errors?.[0].extensions?.code).toBe("FORBIDDEN");

    const log = await gql<{
      writeLog: { nodes: Array<Record<string, unknown>> };
    }>(
      `query($id: ID) { writeLog(integrationId: $id, first: 100) { nodes { id at role tokenName operation integrationId sysId correlationId outcome servicenowStatus durationMs error } } }`,
      { id: harness.integrationId },
      ADMIN_TOKEN,
    );
    const nodes = log.data!.writeLog.nodes;
    expect(nodes.length).toBeGreaterThan(5);
    expect(nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: "writer",
          tokenName: "monitoring",
          operation: "CREATE_INCIDENT",
          outcome: "CREATED",
          servicenowStatus: 201,
        }),
        expect.objectContaining({ correlationId: "alert-dropped", outcome: "DUPLICATE" }),
        expect.objectContaining({ outcome: "TRANSACTION_LIMIT_REACHED" }),
        expect.objectContaining({ outcome: "SERVICENOW_REJECTED", servicenowStatus: 403 }),
      ]),
    );
    const metrics = await (await fetch(`${harness.gateway.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(
      /gateway_incident_writes_total\{operation="CREATE_INCIDENT",outcome="CREATED"\} \d+/,
    );
  });

  it("refuses writes with WRITES_DISABLED when the integration does not write", async () => {
    await settings({ writeEnabled: false });
    const before = posts().length;
    const body = await create({});
    expect(body.errors?.[0].extensions?.code).toBe("WRITES_DISABLED");
    expect(posts().length).toBe(before);
    await settings({ writeEnabled: true });
  });

  it("checks the write role in preflight when writes are enabled", async () => {
    const body = await gql<{
      validateConnection: { checks: Array<{ name: string; status: string; message: string }> };
    }>(
      `mutation($id: ID!) { validateConnection(id: $id) { checks { name status message } } }`,
      { id: harness.integrationId },
      ADMIN_TOKEN,
    );
    const check = body.data!.validateConnection.checks.find(
      (entry) => entry.name === "incident write access",
    );
    expect(check).toMatchObject({ status: "PASS" });
    expect(check?.message).toContain("itil");
  });

  it("warns in preflight when the integration user's roles cannot be read", async () => {
    simulator.addUser({
      userName: "svc.no-roles-table",
      password: "No-Roles-Table-Pa55!",
      webServiceAccessOnly: true,
      timeZone: "UTC",
      roles: ["itil"],
      readableTables: ["incident", "change_request", "sys_user", "sys_user_group"],
    });
    const body = await gql<{
      testConnection: { checks: Array<{ name: string; status: string; message: string }> };
    }>(
      `mutation($input: CreateIntegrationInput!) { testConnection(input: $input) { checks { name status message } } }`,
      {
        input: {
          name: "roles unreadable",
          url: harness.simulatorUrl,
          deployment: "ON_PREM",
          username: "svc.no-roles-table",
          password: "No-Roles-Table-Pa55!",
          writeEnabled: true,
        },
      },
      ADMIN_TOKEN,
    );
    const check = body.data!.testConnection.checks.find(
      (entry) => entry.name === "incident write access",
    );
    expect(check?.status).toBe("WARN");
    expect(check?.message).toContain("sys_user_has_role");
  });

  it("puts no secret in any response or log line", () => {
    const everything = `${bodies.join("\n")}\n${logLines.join("")}`;
    for (const secret of [
      SIM_PASSWORD,
      WRITER_TOKEN,
      ADMIN_TOKEN,
      VIEWER_TOKEN,
      "No-Roles-Table-Pa55!",
      "Writer-Client-Secret-42",
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toContain(Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString("base64"));
    expect(logLines.length).toBeGreaterThan(10);
  });
});
