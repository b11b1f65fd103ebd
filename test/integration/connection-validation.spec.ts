import { Writable } from "node:stream";

import { pino } from "pino";

import { Integration } from "../../src/modules/integrations/integration.entity";
import { createSimulator, type Simulator } from "../../src/simulator";
import { TABLES } from "../../src/tables";
import {
  type FakeSecretsManager,
  startFakeSecretsManager,
} from "../support/fake-secrets-manager.server";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const PASSWORD = "Integr4tion-Pa55word!";
const CLIENT_SECRET = "oauth-client-secret-93f1c";
const AWS_PASSWORD = "aws-held-password-1f0e";
const PUBLIC_URL = "https://gateway.example.com";
const REDIRECT_URI = `${PUBLIC_URL}/oauth/servicenow/callback`;

interface Check {
  name: string;
  status: string;
  message: string;
  durationMs: number;
}
interface Validation {
  ok: boolean;
  checks: Check[];
}

const CREATE = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id status } }`;
const VALIDATE = `mutation($id: ID!) { validateConnection(id: $id) { ok checkedAt checks { name status message durationMs } } }`;
const TEST = `mutation($input: CreateIntegrationInput!) { testConnection(input: $input) { ok checks { name status message durationMs } } }`;

describe("connection validation and OAuth against the simulator", () => {
  let simulator: Simulator;
  let simulatorUrl: string;
  let gateway: TestGateway;
  let aws: FakeSecretsManager;
  const logLines: string[] = [];
  const responses: string[] = [];

  beforeAll(async () => {
    simulator = createSimulator();
    simulator.addUser({
      userName: "integration",
      password: PASSWORD,
      timeZone: "America/Los_Angeles",
    });
    simulator.addUser({ userName: "no.basic", password: PASSWORD, basicAuthAllowed: false });
    simulator.addUser({
      userName: "no.approvals",
      password: PASSWORD,
      // Every table the gateway reads but approvals.
      readableTables: TABLES.map((table) => table.name).filter(
        (name) => name !== "sysapproval_approver",
      ),
    });
    simulator.addUser({ userName: "aws.user", password: AWS_PASSWORD });
    simulator.addOAuthClient({
      clientId: "gateway-client",
      clientSecret: CLIENT_SECRET,
      redirectUris: [REDIRECT_URI],
    });
    simulator.setBrowserUser("integration");
    simulatorUrl = (await simulator.start()).url;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString("utf8"));
        done();
      },
    });
    aws = await startFakeSecretsManager("eu-west-1");
    aws.putSecret("sn", JSON.stringify({ username: "aws.user", password: AWS_PASSWORD }));
    gateway = await startTestGateway({
      env: {
        PUBLIC_URL,
        SERVICENOW_TIMEOUT_MS: "1500",
        AWS_REGION: aws.region,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
        AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKE0003",
        AWS_SECRET_ACCESS_KEY: "dummy-aws-secret-access-key",
      },
      logger: pino({ level: "debug" }, sink),
    });
  });

  afterAll(async () => {
    await gateway.stop();
    await simulator.stop();
    await aws.close();
  });

  async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { body } = await gateway.graphql<T>(query, variables);
    responses.push(JSON.stringify(body));
    if (body.errors) {
      throw new Error(JSON.stringify(body.errors));
    }
    return body.data as T;
  }

  async function createAndValidate(
    input: Record<string, unknown>,
  ): Promise<{ id: string; validation: Validation }> {
    const name = `it-${Math.random().toString(36).slice(2)}`;
    const created = await call<{ createIntegration: { id: string } }>(CREATE, {
      input: { name, url: simulatorUrl, deployment: "ON_PREM", ...input },
    });
    const id = created.createIntegration.id;
    const validated = await call<{ validateConnection: Validation }>(VALIDATE, { id });
    return { id, validation: validated.validateConnection };
  }

  const check = (validation: Validation, name: string): Check => {
    const found = validation.checks.find((entry) => entry.name === name);
    if (!found) {
      throw new Error(
        `no check ${name} in ${JSON.stringify(validation.checks.map((c) => c.name))}`,
      );
    }
    return found;
  };

  const stored = (id: string) =>
    gateway.gateway.dataSource.getRepository(Integration).findOneByOrFail({ id });

  it("passes every check for a good Basic user, stores the result and marks it CONNECTED", async () => {
    const { id, validation } = await createAndValidate({
      username: "integration",
      password: PASSWORD,
    });
    expect(validation.checks.filter((entry) => entry.status === "FAIL")).toEqual([]);
    expect(validation.ok).toBe(true);
    expect(validation.checks.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        "url policy",
        "reachability",
        "authentication",
        "read incident",
        "read sys_journal_field",
        "time zone",
      ]),
    );
    expect(validation.checks.every((entry) => entry.status === "PASS")).toBe(true);
    expect(check(validation, "time zone").message).toContain("America/Los_Angeles");
    expect(check(validation, "field discovery").message).toMatch(
      /sys_dictionary lists \d+ incident fields/,
    );
    const integration = await stored(id);
    expect(integration.status).toBe("CONNECTED");
    expect(integration.userTimeZone).toBe("America/Los_Angeles");
    expect(integration.lastValidation?.ok).toBe(true);
    const shown = await call<{
      integration: {
        status: string;
        lastValidation: { ok: boolean; checkedAt: string; checks: Check[] };
      };
    }>(
      `query($id: ID!) { integration(id: $id) { status lastValidation { ok checkedAt checks { name status message durationMs } } } }`,
      { id },
    );
    expect(shown.integration.status).toBe("CONNECTED");
    expect(shown.integration.lastValidation.ok).toBe(true);
    expect(Number.isNaN(Date.parse(shown.integration.lastValidation.checkedAt))).toBe(false);
    expect(shown.integration.lastValidation.checks).toEqual(validation.checks);
  });

  it("fails authentication with ServiceNow's words when the password is wrong", async () => {
    const { id, validation } = await createAndValidate({
      username: "integration",
      password: "wrong-password",
    });
    expect(validation.ok).toBe(false);
    const auth = check(validation, "authentication");
    expect(auth.status).toBe("FAIL");
    expect(auth.message).toMatch(
      /^Authentication failed: ServiceNow answered 401 User Not Authenticated — check the username and password/,
    );
    expect(check(validation, "read incident").message).toMatch(/^Not run/);
    expect((await stored(id)).status).toBe("FAILED");
  });

  it("explains the Basic auth restriction when valid credentials are refused", async () => {
    const { validation } = await createAndValidate({ username: "no.basic", password: PASSWORD });
    expect(check(validation, "authentication").message).toContain(
      "Basic auth is allowed for this user",
    );
  });

  it("fails only the table without a read ACL", async () => {
    const { validation } = await createAndValidate({
      username: "no.approvals",
      password: PASSWORD,
    });
    expect(check(validation, "read sysapproval_approver")).toMatchObject({ status: "FAIL" });
    expect(check(validation, "read sysapproval_approver").message).toMatch(
      /^No read access to sysapproval_approver: ServiceNow answered 403/,
    );
    expect(check(validation, "read incident").status).toBe("PASS");
    expect(check(validation, "field discovery").status).toBe("WARN");
  });

  it("fails with a URL hint when the instance path does not exist", async () => {
    const { validation } = await createAndValidate({
      url: `${simulatorUrl}/no-such-base`,
      username: "integration",
      password: PASSWORD,
    });
    expect(validation.ok).toBe(false);
    const failed = validation.checks.find((entry) => entry.status === "FAIL");
    expect(failed?.message).toMatch(/not found.*check the instance URL/);
  });

  it("recognises a hibernating instance's HTML page", async () => {
    simulator.faults.inject({ kind: "html", times: 50 });
    try {
      const { validation } = await createAndValidate({
        username: "integration",
        password: PASSWORD,
      });
      expect(validation.ok).toBe(false);
      expect(validation.checks.find((entry) => entry.status === "FAIL")?.message).toMatch(
        /HTML page|hibernat/i,
      );
    } finally {
      simulator.faults.clear();
    }
  });

  it("reports a timeout when the instance does not answer", async () => {
    simulator.faults.inject({ kind: "timeout", times: 50 });
    try {
      const { validation } = await createAndValidate({
        username: "integration",
        password: PASSWORD,
      });
      expect(validation.ok).toBe(false);
      expect(validation.checks.find((entry) => entry.status === "FAIL")?.message).toMatch(
        /did not answer/,
      );
    } finally {
      simulator.faults.clear();
    }
  });

  it("reports a DNS failure for a host that does not exist", async () => {
    const { validation } = await createAndValidate({
      url: "http://no-such-instance.invalid",
      username: "integration",
      password: PASSWORD,
    });
    expect(check(validation, "url policy")).toMatchObject({ status: "FAIL" });
    expect(check(validation, "url policy").message).toMatch(
      /DNS lookup of no-such-instance.invalid failed/,
    );
    expect(check(validation, "authentication").message).toMatch(/^Not run/);
  });

  it("tests unsaved settings without storing anything", async () => {
    const before = await gateway.gateway.dataSource.getRepository(Integration).count();
    const result = await call<{ testConnection: Validation }>(TEST, {
      input: {
        name: "unsaved",
        url: simulatorUrl,
        deployment: "ON_PREM",
        username: "integration",
        password: PASSWORD,
      },
    });
    expect(result.testConnection.ok).toBe(true);
    expect(await gateway.gateway.dataSource.getRepository(Integration).count()).toBe(before);
  });

  it("reads credentials from an AWS Secrets Manager reference", async () => {
    const { validation } = await createAndValidate({
      awsSecretId: aws.arnOf("sn"),
    });
    expect(validation.checks.filter((entry) => entry.status === "FAIL")).toEqual([]);
    expect(validation.ok).toBe(true);
    expect(check(validation, "authentication").message).toContain("aws.user");
  });

  it("connects with the OAuth password grant", async () => {
    simulator.clearRequestLog();
    const { validation } = await createAndValidate({
      authMethod: "OAUTH",
      clientId: "gateway-client",
      clientSecret: CLIENT_SECRET,
      username: "integration",
      password: PASSWORD,
    });
    expect(validation.checks.filter((entry) => entry.status === "FAIL")).toEqual([]);
    expect(validation.ok).toBe(true);
    expect(
      simulator.requestLog.some(
        (entry) => entry.path === "/oauth_token.do" && entry.status === 200,
      ),
    ).toBe(true);
  });

  describe("OAuth authorization-code flow", () => {
    let integrationId: string;

    async function authorizeAndFollow(): Promise<{ callback: URL; state: string }> {
      const { authorizeIntegration } = await call<{
        authorizeIntegration: { authorizationUrl: string; state: string; expiresAt: string };
      }>(
        `mutation($id: ID!) { authorizeIntegration(id: $id) { authorizationUrl state expiresAt } }`,
        {
          id: integrationId,
        },
      );
      const authorizationUrl = new URL(authorizeIntegration.authorizationUrl);
      expect(authorizationUrl.pathname).toBe("/oauth_auth.do");
      expect(authorizationUrl.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
      // The browser: ServiceNow approves and redirects to the registered URL with code and state.
      const consent = await fetch(authorizationUrl, { redirect: "manual" });
      expect(consent.status).toBe(302);
      const location = new URL(consent.headers.get("location")!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      const callback = new URL(`${location.pathname}${location.search}`, gateway.gateway.url);
      return { callback, state: authorizeIntegration.state };
    }

    beforeAll(async () => {
      const created = await call<{ createIntegration: { id: string; status: string } }>(CREATE, {
        input: {
          name: "oauth-code",
          url: simulatorUrl,
          deployment: "ON_PREM",
          authMethod: "OAUTH",
          clientId: "gateway-client",
          clientSecret: CLIENT_SECRET,
        },
      });
      expect(created.createIntegration.status).toBe("NEEDS_AUTHORIZATION");
      integrationId = created.createIntegration.id;
    });

    it("completes the round trip: code exchanged, tokens stored encrypted, connection validated", async () => {
      const { callback } = await authorizeAndFollow();
      const response = await fetch(callback, { redirect: "manual" });
      expect(response.status).toBe(303);
      const done = await fetch(new URL(response.headers.get("location")!, gateway.gateway.url));
      expect(await done.text()).toContain("ServiceNow is connected");
      const integration = await stored(integrationId);
      expect(integration.lastValidation?.checks.filter((entry) => entry.status === "FAIL")).toEqual(
        [],
      );
      expect(integration.status).toBe("CONNECTED");
      expect(integration.accessTokenCipher).toMatch(/^v1\./);
      expect(integration.refreshTokenCipher).toMatch(/^v1\./);
    });

    it("refuses a replayed state and changes nothing", async () => {
      const { callback } = await authorizeAndFollow();
      expect((await fetch(callback, { redirect: "manual" })).status).toBe(303);
      const before = await stored(integrationId);
      const replay = await fetch(callback, { redirect: "manual" });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain("already used");
      const after = await stored(integrationId);
      expect(after.accessTokenCipher).toBe(before.accessTokenCipher);
    });

    it("refuses an unknown state with an error page", async () => {
      const response = await fetch(
        new URL(`/oauth/servicenow/callback?code=abc&state=${"x".repeat(43)}`, gateway.gateway.url),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Unknown authorization state");
    });

    it("refreshes the access token on 401 and stores the new one", async () => {
      const before = await stored(integrationId);
      simulator.expireAccessTokens();
      simulator.clearRequestLog();
      const { validateConnection } = await call<{ validateConnection: Validation }>(VALIDATE, {
        id: integrationId,
      });
      expect(validateConnection.checks.filter((entry) => entry.status === "FAIL")).toEqual([]);
      const after = await stored(integrationId);
      expect(after.accessTokenCipher).not.toBe(before.accessTokenCipher);
      expect(simulator.requestLog.some((entry) => entry.path === "/oauth_token.do")).toBe(true);
    });

    it("refreshes before expiry without waiting for a 401", async () => {
      await gateway.gateway.dataSource
        .getRepository(Integration)
        .update({ id: integrationId }, { accessTokenExpiresAt: new Date(Date.now() + 5_000) });
      simulator.clearRequestLog();
      await call(VALIDATE, { id: integrationId });
      const log = simulator.requestLog;
      const firstToken = log.findIndex((entry) => entry.path === "/oauth_token.do");
      const firstUnauthorized = log.findIndex(
        (entry) => entry.status === 401 && entry.authKind !== "none",
      );
      expect(firstToken).toBeGreaterThanOrEqual(0);
      expect(firstUnauthorized).toBe(-1);
    });
  });

  it("never puts a secret in a response, a log line or the stored row's plain columns", async () => {
    const secrets = [PASSWORD, CLIENT_SECRET, AWS_PASSWORD];
    const everything = [...responses, ...logLines].join("\n");
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
    }
    const rows = await gateway.gateway.dataSource.query("SELECT * FROM integration");
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(secrets.join("|")));
    expect(logLines.length).toBeGreaterThan(0);
  });
});
