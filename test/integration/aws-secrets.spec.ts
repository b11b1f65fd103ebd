import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";

import { pino } from "pino";

import { createSimulator, type Simulator } from "../../src/simulator";
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from "../support/fake-secrets-manager.server";
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from "../support/gateway-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const BASIC_USER = "aws.basic";
const BASIC_PASSWORD = "aws-held-Basic-Pa55-4b1e";
const OAUTH_USER = "aws.oauth";
const OAUTH_PASSWORD = "aws-held-OAuth-Pa55-90d2";
const CLIENT_ID = "aws-gateway-client";
const CLIENT_SECRET = "aws-held-client-secret-c3a7";
const ROTATING_USER = "aws.rotating";
const ROTATED_BEFORE = "aws-held-before-rotation-11aa";
const ROTATED_AFTER = "aws-held-after-rotation-22bb";
const UNREADABLE = "aws-held-never-readable-5e5e";
const CACHE_SECONDS = 120;
const INCIDENTS = 25;
const PUBLIC_URL = "https://gateway.example.com";
const REDIRECT_URI = `${PUBLIC_URL}/oauth/servicenow/callback`;
/** Every value that must never leave AWS, the simulator and the encrypted columns. */
const SECRETS = [
  BASIC_PASSWORD,
  OAUTH_PASSWORD,
  CLIENT_SECRET,
  ROTATED_BEFORE,
  ROTATED_AFTER,
  UNREADABLE,
];

interface Check {
  name: string;
  status: string;
  message: string;
}
interface Validation {
  ok: boolean;
  checks: Check[];
}
interface RunView {
  id: string;
  status: string;
  errorCode: string | null;
  error: string | null;
  tables: Array<{ table: string; fetched: number }>;
}

const CREATE = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id status hasCredentials } }`;
const VALIDATE = `mutation($id: ID!) { validateConnection(id: $id) { ok checks { name status message } } }`;
const SYNC = `mutation($id: ID!) { syncIntegration(id: $id, full: true) { id } }`;
const LAST_RUN = `query($id: ID!) { integration(id: $id) { status statusReason lastSyncRun { id status errorCode error tables { table fetched } } } }`;

/** The environment an operator sets: endpoint, region and (dummy) keys, nothing else. */
function awsEnv(aws: FakeSecretsManager): Record<string, string> {
  return {
    AWS_REGION: aws.region,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKE0002",
    AWS_SECRET_ACCESS_KEY: "dummy-aws-secret-access-key",
  };
}

function simulatorWithUsers(): Simulator {
  const simulator = createSimulator();
  for (const [userName, password] of [
    [BASIC_USER, BASIC_PASSWORD],
    [OAUTH_USER, OAUTH_PASSWORD],
    [ROTATING_USER, ROTATED_BEFORE],
  ] as const) {
    simulator.addUser({ userName, password, timeZone: "UTC", webServiceAccessOnly: true });
  }
  simulator.addOAuthClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
  });
  simulator.setBrowserUser(OAUTH_USER);
  simulator.generate({
    seed: 12,
    groups: 2,
    users: 5,
    incidents: INCIDENTS,
    changes: 3,
    approvalsPerChange: 1,
    journalPerRecord: 1,
  });
  return simulator;
}

describe("AWS-held credentials, read by the real SDK from a Secrets Manager endpoint on loopback", () => {
  let aws: FakeSecretsManager;
  let simulator: Simulator;
  let gateway: TestGateway;
  let clock = Date.now();
  const logLines: string[] = [];
  const responses: string[] = [];

  beforeAll(async () => {
    aws = await startFakeSecretsManager("eu-west-1");
    simulator = simulatorWithUsers();
    await simulator.start();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString("utf8"));
        done();
      },
    });
    gateway = await startTestGateway({
      env: {
        ...awsEnv(aws),
        AWS_SECRET_CACHE_SECONDS: String(CACHE_SECONDS),
        PUBLIC_URL,
        SERVICENOW_TIMEOUT_MS: "5000",
        SERVICENOW_RETRY_ATTEMPTS: "1",
      },
      logger: pino({ level: "debug" }, sink),
      awsClock: () => clock,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await simulator?.stop();
    await aws?.close();
  });

  async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { body } = await gateway.graphql<T>(query, variables);
    responses.push(JSON.stringify(body));
    if (body.errors) {
      throw new Error(JSON.stringify(body.errors));
    }
    return body.data as T;
  }

  async function create(input: Record<string, unknown>): Promise<string> {
    const created = await call<{ createIntegration: { id: string; hasCredentials: boolean } }>(
      CREATE,
      {
        input: {
          name: `aws-${Math.random().toString(36).slice(2)}`,
          url: simulator.url,
          deployment: "ON_PREM",
          ...input,
        },
      },
    );
    expect(created.createIntegration.hasCredentials).toBe(true);
    return created.createIntegration.id;
  }

  async function validate(id: string): Promise<Validation> {
    return (await call<{ validateConnection: Validation }>(VALIDATE, { id })).validateConnection;
  }

  async function sync(id: string): Promise<RunView> {
    await call(SYNC, { id });
    await gateway.gateway.syncService.waitFor(id);
    const { integration } = await call<{ integration: { lastSyncRun: RunView } }>(LAST_RUN, {
      id,
    });
    return integration.lastSyncRun;
  }

  async function incidentCount(id: string): Promise<number> {
    const data = await call<{ incidents: { totalCount: number } }>(
      `query($id: ID!) { incidents(integrationId: $id, first: 1) { totalCount } }`,
      { id },
    );
    return data.incidents.totalCount;
  }

  const check = (validation: Validation, name: string): Check => {
    const found = validation.checks.find((entry) => entry.name === name);
    if (!found) {
      throw new Error(`no check ${name}`);
    }
    return found;
  };
  const failed = (validation: Validation) =>
    validation.checks.filter((entry) => entry.status === "FAIL");

  it("validates and syncs a BASIC integration whose username and password are held in AWS", async () => {
    const arn = aws.putSecret(
      "servicenow/basic",
      JSON.stringify({ username: BASIC_USER, password: BASIC_PASSWORD }),
    );
    const id = await create({ authMethod: "BASIC", awsSecretId: arn });

    const validation = await validate(id);
    expect(failed(validation)).toEqual([]);
    expect(check(validation, "authentication").message).toBe(
      `Signed in to ServiceNow as ${BASIC_USER}.`,
    );

    const run = await sync(id);
    expect([run.status, run.errorCode]).toEqual(["SUCCEEDED", null]);
    expect(run.tables.find((entry) => entry.table === "incident")?.fetched).toBe(INCIDENTS);
    expect(await incidentCount(id)).toBe(INCIDENTS);
    // Signed with the configured keys and region, and read once: the sync used the cached copy.
    const reads = aws.readsOf("servicenow/basic");
    expect(reads).toHaveLength(1);
    expect(reads[0]!.credentialScope).toMatch(
      /^AKIAFAKEFAKEFAKE0002\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request$/,
    );
    expect(
      simulator.requestLog.some(
        (entry) => entry.userName === BASIC_USER && entry.authKind === "basic",
      ),
    ).toBe(true);
  });

  it("validates and syncs an OAUTH integration (password grant) whose client and user are held in AWS", async () => {
    const arn = aws.putSecret(
      "servicenow/oauth-password",
      JSON.stringify({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        username: OAUTH_USER,
        password: OAUTH_PASSWORD,
      }),
    );
    const id = await create({ authMethod: "OAUTH", awsSecretId: arn });
    simulator.clearRequestLog();

    const validation = await validate(id);
    expect(failed(validation)).toEqual([]);
    const run = await sync(id);

    expect([run.status, run.errorCode]).toEqual(["SUCCEEDED", null]);
    expect(await incidentCount(id)).toBe(INCIDENTS);
    const tokenRequests = simulator.requestLog.filter(
      (entry) => entry.path === "/oauth_token.do" && entry.status === 200,
    );
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(simulator.requestLog.some((entry) => entry.authKind === "bearer")).toBe(true);
  });

  it("authorizes, validates and syncs an OAUTH integration (authorization code) whose client secret is held in AWS", async () => {
    const arn = aws.putSecret(
      "servicenow/oauth-code",
      JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
    );
    const id = await create({ authMethod: "OAUTH", awsSecretId: arn });
    const { authorizeIntegration } = await call<{
      authorizeIntegration: { authorizationUrl: string };
    }>(`mutation($id: ID!) { authorizeIntegration(id: $id) { authorizationUrl } }`, { id });
    const authorizationUrl = new URL(authorizeIntegration.authorizationUrl);
    expect(authorizationUrl.searchParams.get("client_id")).toBe(CLIENT_ID);
    // The browser: ServiceNow approves and sends it back to the gateway's callback.
    const consent = await fetch(authorizationUrl, { redirect: "manual" });
    const location = new URL(consent.headers.get("location")!);
    const callback = await fetch(
      new URL(`${location.pathname}${location.search}`, gateway.gateway.url),
      { redirect: "manual" },
    );
    expect(callback.status).toBe(303);

    const { integration } = await call<{ integration: { status: string } }>(LAST_RUN, { id });
    expect(integration.status).toBe("CONNECTED");
    const run = await sync(id);
    expect([run.status, run.errorCode]).toEqual(["SUCCEEDED", null]);
    expect(await incidentCount(id)).toBe(INCIDENTS);
  });

  it("keeps the cached secret for AWS_SECRET_CACHE_SECONDS and reads the rotated one after", async () => {
    const secret = (password: string) => JSON.stringify({ username: ROTATING_USER, password });
    const arn = aws.putSecret("servicenow/rotating", secret(ROTATED_BEFORE));
    const id = await create({ authMethod: "BASIC", awsSecretId: arn });
    expect(failed(await validate(id))).toEqual([]);

    // Rotation: ServiceNow and AWS both hold the new password now.
    simulator.setPassword(ROTATING_USER, ROTATED_AFTER);
    aws.putSecret("servicenow/rotating", secret(ROTATED_AFTER));
    clock += CACHE_SECONDS * 1000 - 1;
    const stale = await validate(id);
    expect(check(stale, "authentication")).toMatchObject({
      status: "FAIL",
      message: expect.stringMatching(/^Authentication failed: ServiceNow answered 401/),
    });
    expect(aws.readsOf("servicenow/rotating")).toHaveLength(1);

    clock += 1;
    const fresh = await validate(id);
    expect(failed(fresh)).toEqual([]);
    expect(aws.readsOf("servicenow/rotating")).toHaveLength(2);
    const run = await sync(id);
    expect([run.status, run.errorCode]).toEqual(["SUCCEEDED", null]);
  });

  const FAILURES: ReadonlyArray<{
    readonly when: string;
    readonly code: string;
    readonly words: RegExp;
    readonly arrange: (name: string) => void;
  }> = [
    {
      when: "the secret does not exist",
      code: "AWS_SECRET_NOT_FOUND",
      words:
        /AWS Secrets Manager has no secret "arn:aws:secretsmanager:eu-west-1:\d+:secret:servicenow\/absent-AbCdEf" \(ResourceNotFoundException\): check awsSecretId/,
      arrange: () => undefined,
    },
    {
      when: "the gateway's identity may not read it",
      code: "AWS_ACCESS_DENIED",
      words:
        /may not read the secret .* \(AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role\/gateway\/task is not authorized to perform: secretsmanager:GetSecretValue.*\): allow secretsmanager:GetSecretValue on it, and kms:Decrypt on its KMS key if that key is customer-managed/,
      arrange: (name) => {
        aws.putSecret(name, JSON.stringify({ username: BASIC_USER, password: UNREADABLE }));
        aws.failWith(name, {
          type: "AccessDeniedException",
          message: `User: arn:aws:sts::123456789012:assumed-role/gateway/task is not authorized to perform: secretsmanager:GetSecretValue on resource: ${aws.arnOf(name)} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
        });
      },
    },
    {
      when: "AWS throttles every attempt",
      code: "AWS_THROTTLED",
      words:
        /AWS Secrets Manager throttled reading the secret .* after 3 attempts \(ThrottlingException\)/,
      arrange: (name) => {
        aws.putSecret(name, JSON.stringify({ username: BASIC_USER, password: UNREADABLE }));
        aws.failWith(name, { type: "ThrottlingException", message: "Rate exceeded" });
      },
    },
    {
      when: "the secret has no password key",
      code: "AWS_SECRET_MISSING_KEY",
      words:
        /has no non-empty password or client_secret key \(keys found: username, pass\): store username and password \(BASIC\)/,
      arrange: (name) => {
        aws.putSecret(name, JSON.stringify({ username: BASIC_USER, pass: UNREADABLE }));
      },
    },
    {
      when: "the secret is not JSON",
      code: "AWS_SECRET_NOT_JSON",
      words: /is not a JSON object of key\/value pairs: store username and password/,
      arrange: (name) => {
        aws.putSecret(name, `${BASIC_USER}:${UNREADABLE}`);
      },
    },
  ];

  it.each(FAILURES)(
    "fails the authentication check and the sync run with $code when $when",
    async ({ code, words, arrange }) => {
      const name = code === "AWS_SECRET_NOT_FOUND" ? "servicenow/absent" : `servicenow/${code}`;
      arrange(name);
      const id = await create({ authMethod: "BASIC", awsSecretId: aws.arnOf(name) });

      const validation = await validate(id);
      expect(validation.ok).toBe(false);
      expect(check(validation, "authentication")).toMatchObject({
        status: "FAIL",
        message: expect.stringMatching(words),
      });
      expect(check(validation, "read incident").message).toBe("Not run: authentication failed.");

      const run = await sync(id);
      expect(run).toMatchObject({ status: "FAILED", errorCode: code });
      expect(run.error).toMatch(words);
      expect(run.tables).toEqual([]);
    },
  );

  it("never puts an AWS-held secret in a response, a log line, a sync run or a stored row", async () => {
    const everything = [...responses, ...logLines].join("\n");
    expect(logLines.some((line) => line.includes('"msg":"sync failed"'))).toBe(true);
    expect(logLines.some((line) => line.includes("AWS_ACCESS_DENIED"))).toBe(true);
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
    }
    const { dataSource } = gateway.gateway;
    const rows = JSON.stringify([
      await dataSource.query("SELECT * FROM integration"),
      await dataSource.query("SELECT * FROM sync_run"),
    ]);
    for (const secret of SECRETS) {
      expect(rows).not.toContain(secret);
    }
  });
});

describe("the gateway `npm start` runs (src/index.ts)", () => {
  let aws: FakeSecretsManager;
  let simulator: Simulator;
  let database: TestDatabase;
  let dataDir: string;
  let child: GatewayProcess;

  beforeAll(async () => {
    aws = await startFakeSecretsManager("eu-west-1");
    simulator = simulatorWithUsers();
    await simulator.start();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-aws-"));
    child = await startGatewayProcess({
      database: database.config,
      dataDir,
      env: { ...awsEnv(aws), LOG_LEVEL: "info" },
    });
  });

  afterAll(async () => {
    await killGatewayProcesses();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await simulator?.stop();
    await aws?.close();
  });

  it("validates and syncs an integration whose credentials are held in AWS", async () => {
    const arn = aws.putSecret(
      "servicenow/bootstrap",
      JSON.stringify({ username: BASIC_USER, password: BASIC_PASSWORD }),
    );
    const created = await child.graphql<{ createIntegration: { id: string } }>(CREATE, {
      input: { name: "from-aws", url: simulator.url, deployment: "ON_PREM", awsSecretId: arn },
    });
    const id = created.data!.createIntegration.id;

    const validated = await child.graphql<{ validateConnection: Validation }>(VALIDATE, { id });
    expect(
      validated.data?.validateConnection.checks.filter((entry) => entry.status === "FAIL"),
    ).toEqual([]);
    await child.graphql(SYNC, { id });
    const run = await waitForRun(child, id);
    expect([run.status, run.errorCode]).toEqual(["SUCCEEDED", null]);
    expect(aws.readsOf("servicenow/bootstrap").length).toBeGreaterThan(0);
    for (const secret of SECRETS) {
      expect(child.output()).not.toContain(secret);
    }
  });
});

async function waitForRun(child: GatewayProcess, id: string): Promise<RunView> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await child.graphql<{ integration: { lastSyncRun: RunView | null } }>(LAST_RUN, {
      id,
    });
    const run = result.data?.integration.lastSyncRun;
    if (run && run.status !== "RUNNING") {
      return run;
    }
    if (Date.now() > deadline) {
      throw new Error(`sync still running: ${JSON.stringify(result)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
