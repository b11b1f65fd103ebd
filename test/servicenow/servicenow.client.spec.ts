import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { inspect } from "node:util";

import {
  BasicAuthProvider,
  query,
  readDateTime,
  readReference,
  readValue,
  ServiceNowClient,
  type ServiceNowClientOptions,
  ServiceNowError,
} from "../../src/servicenow";
import { captureLogger } from "./capture.logger";
import {
  type FakeInstance,
  sendJson,
  sendResult,
  sendServiceNowError,
  startFakeInstance,
} from "./fake-instance.server";

const FIXTURES = `${__dirname}/../fixtures/servicenow`;
const USERNAME = "svc.gateway";
const PASSWORD = "Tr0ub4dor&3-never-log-me";
const BASIC = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString("base64")}`;

let fake: FakeInstance;

beforeEach(async () => {
  fake = await startFakeInstance();
});

afterEach(async () => {
  await fake.close();
});

function makeClient(overrides: Partial<ServiceNowClientOptions> = {}) {
  const sleeps: number[] = [];
  const log = captureLogger();
  const client = new ServiceNowClient({
    instanceUrl: fake.url,
    auth: new BasicAuthProvider(USERNAME, PASSWORD),
    logger: log.logger,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps, log };
}

async function failure(promise: Promise<unknown>): Promise<ServiceNowError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceNowError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected the call to fail");
}

/**
 * Node's fetch when getaddrinfo fails: `TypeError: fetch failed` caused by the resolver's error
 * (`code` ENOTFOUND for NXDOMAIN, EAI_AGAIN for a temporary failure). DNS is the edge here:
 * the test must not depend on what this machine's resolver answers.
 */
function failingDnsFetch(code: "ENOTFOUND" | "EAI_AGAIN", lookups: string[]): typeof fetch {
  return async (input) => {
    const hostname = new URL(input instanceof Request ? input.url : String(input)).hostname;
    lookups.push(hostname);
    const cause = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
      errno: code === "ENOTFOUND" ? -3008 : -3001,
      code,
      syscall: "getaddrinfo",
      hostname,
    });
    throw new TypeError("fetch failed", { cause });
  };
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}

describe("ServiceNowClient", () => {
  it("sends basic auth and the table parameters and returns records, count, links and rate limit", async () => {
    fake.handle((_request, response) =>
      sendResult(response, [{ sys_id: "a1", number: "INC0000001" }], {
        "x-total-count": "42",
        link: '<https://acme.service-now.com/api/now/table/incident?sysparm_offset=0>;rel="first",<https://acme.service-now.com/api/now/table/incident?sysparm_offset=1>;rel="next"',
        "x-ratelimit-limit": "5000",
        "x-ratelimit-reset": "1767225600",
        "x-ratelimit-rule": "a0b1c2",
      }),
    );
    const { client } = makeClient({ userAgent: "gateway-test/1" });

    const page = await client.getRecords("incident", {
      query: query().where("active", "=", true).orderBy("sys_updated_on"),
      fields: ["sys_id", "number"],
      limit: 100,
      offset: 200,
      displayValue: false,
      excludeReferenceLink: true,
    });

    expect(page.records).toEqual([{ sys_id: "a1", number: "INC0000001" }]);
    expect(page.totalCount).toBe(42);
    expect(page.links.next).toBe(
      "https://acme.service-now.com/api/now/table/incident?sysparm_offset=1",
    );
    expect(page.rateLimit).toEqual({
      limit: 5000,
      resetAt: new Date(1_767_225_600_000),
      rule: "a0b1c2",
    });
    const [request] = fake.requests;
    expect(request?.url.pathname).toBe("/api/now/table/incident");
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      sysparm_query: "active=true^ORDERBYsys_updated_on",
      sysparm_fields: "sys_id,number",
      sysparm_limit: "100",
      sysparm_offset: "200",
      sysparm_display_value: "false",
      sysparm_exclude_reference_link: "true",
    });
    expect(request?.headers.authorization).toBe(BASIC);
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("gateway-test/1");
  });

  it("reads a single record in the fixture's shape", async () => {
    fake.handle((_request, response) =>
      sendJson(response, 200, fixture("incident.single.display_value_false.json")),
    );
    const { client } = makeClient();

    const { record } = await client.getRecord("incident", "a9e30c7dc61122760116894de7bcc7bd");

    expect(fake.requests[0]?.url.pathname).toBe(
      "/api/now/table/incident/a9e30c7dc61122760116894de7bcc7bd",
    );
    expect(readValue(record.number)).toBe("INC0000046");
    expect(readReference(record.caller_id)).toBe("46c6f9efa9fe198101ddf5eed9adf6e7");
    expect(readDateTime(record.sys_updated_on)).toEqual(new Date("2015-11-01T22:37:27Z"));
  });

  describe("error translation", () => {
    it.each([
      [401, "AUTH_FAILED", "User Not Authenticated", "Required to provide Auth information"],
      [403, "FORBIDDEN", "Insufficient rights to query records", "Fields present in the query"],
      [404, "NOT_FOUND", "No Record found", "Record doesn't exist or ACL restricts the record"],
      [400, "BAD_REQUEST", "Invalid table incidnet", null],
    ] as const)(
      "rejects with %s → %s without retrying when ServiceNow answers it",
      async (status, code, message, detail) => {
        fake.handle((_request, response) => sendServiceNowError(response, status, message, detail));
        const { client, sleeps } = makeClient();

        const error = await failure(client.getRecords("incident", { limit: 1 }));

        expect(error.code).toBe(code);
        expect(error.status).toBe(status);
        expect(error.retryable).toBe(false);
        expect(error.serviceNowMessage).toBe(message);
        expect(error.serviceNowDetail).toBe(detail ?? undefined);
        expect(error.url).toBe("/api/now/table/incident?sysparm_limit=1");
        expect(error.message).toContain(message);
        expect(fake.requests).toHaveLength(1);
        expect(sleeps).toEqual([]);
      },
    );

    it("rejects AUTH_FAILED with the basic-auth restriction hint when basic credentials are refused", async () => {
      fake.handle((_request, response) =>
        sendServiceNowError(response, 401, "User Not Authenticated"),
      );
      const { client } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.message).toMatch(/snc_basic_auth_api_access/);
      expect(error.message).toMatch(/web service access only/);
    });

    it("rejects INVALID_RESPONSE without retrying when a 200 is an HTML page (hibernating instance)", async () => {
      fake.handle((_request, response) => {
        response.writeHead(200, { "content-type": "text/html;charset=UTF-8" });
        response.end("<html><body>Your instance is hibernating. Wake it up</body></html>");
      });
      const { client, sleeps } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("INVALID_RESPONSE");
      expect(error.message).toMatch(/HTML page.*hibernating/);
      expect(fake.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it("rejects INVALID_RESPONSE when the JSON is malformed", async () => {
      fake.handle((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"result": [{"sys_id": "a1"');
      });
      const { client } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("INVALID_RESPONSE");
      expect(error.message).toMatch(/malformed JSON/);
    });

    it("rejects INVALID_RESPONSE when the body lacks `result`", async () => {
      fake.handle((_request, response) => sendJson(response, 200, { records: [] }));
      const { client } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("INVALID_RESPONSE");
    });

    it("rejects INVALID_RESPONSE and does not follow when the instance redirects", async () => {
      fake.handle((_request, response) => {
        response.writeHead(302, { location: "https://login.example.com/sso?SAMLRequest=abc" });
        response.end();
      });
      const { client } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("INVALID_RESPONSE");
      expect(error.message).toContain("https://login.example.com/sso");
      expect(error.message).not.toContain("SAMLRequest");
      expect(fake.requests).toHaveLength(1);
    });

    it("rejects UNREACHABLE with ENOTFOUND without retrying when the host does not resolve", async () => {
      const lookups: string[] = [];
      const { client, sleeps } = makeClient({
        instanceUrl: "https://no-such-instance.invalid",
        fetchImpl: failingDnsFetch("ENOTFOUND", lookups),
      });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("UNREACHABLE");
      expect(error.networkCode).toBe("ENOTFOUND");
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/does not resolve \(DNS ENOTFOUND\): check the URL/);
      expect(lookups).toEqual(["no-such-instance.invalid"]);
      expect(sleeps).toEqual([]);
      expect(error.cause).toBeDefined();
    });

    it("retries UNREACHABLE with EAI_AGAIN when the DNS lookup fails temporarily, then gives up", async () => {
      const lookups: string[] = [];
      const { client, sleeps } = makeClient({
        instanceUrl: "https://acme.service-now.com",
        fetchImpl: failingDnsFetch("EAI_AGAIN", lookups),
      });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("UNREACHABLE");
      expect(error.networkCode).toBe("EAI_AGAIN");
      expect(error.retryable).toBe(true);
      expect(lookups).toHaveLength(3);
      expect(sleeps).toHaveLength(2);
    });

    it("rejects UNREACHABLE when Node's own fetch cannot resolve the host", async () => {
      // The real error object, whichever way this machine's resolver answers (NXDOMAIN, or
      // EAI_AGAIN without a resolver): the faked ones above must keep its shape.
      const { client } = makeClient({
        instanceUrl: "https://no-such-instance.invalid",
        retry: { maxAttempts: 1 },
      });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("UNREACHABLE");
      expect(error.networkCode).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
      expect(error.cause).toBeDefined();
    });

    it("rejects UNREACHABLE with ECONNREFUSED when nothing listens on the port", async () => {
      const port = await closedPort();
      const { client } = makeClient({ instanceUrl: `http://127.0.0.1:${port}` });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("UNREACHABLE");
      expect(error.networkCode).toBe("ECONNREFUSED");
    });

    it("rejects BAD_REQUEST before sending anything when the sys_id would change the path", async () => {
      const { client } = makeClient();

      const error = await failure(client.getRecord("incident", "../sys_user/abc"));

      expect(error.code).toBe("BAD_REQUEST");
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe("retries", () => {
    it("waits Retry-After on a 429 and then succeeds", async () => {
      let calls = 0;
      fake.handle((_request, response) => {
        calls += 1;
        if (calls === 1) {
          sendServiceNowError(response, 429, "Rate limit exceeded", null, { "retry-after": "7" });
          return;
        }
        sendResult(response, []);
      });
      const { client, sleeps, log } = makeClient();

      await client.getRecords("incident");

      expect(sleeps).toEqual([7000]);
      expect(log.warnings()).toEqual([
        expect.objectContaining({ attempt: 1, code: "RATE_LIMITED", status: 429, delayMs: 7000 }),
      ]);
    });

    it("uses X-RateLimit-Reset when a 429 has no Retry-After", async () => {
      let calls = 0;
      fake.handle((_request, response) => {
        calls += 1;
        if (calls === 1) {
          sendServiceNowError(response, 429, "Rate limit exceeded", null, {
            "x-ratelimit-limit": "100",
            "x-ratelimit-reset": "1700000030",
          });
          return;
        }
        sendResult(response, []);
      });
      const { client, sleeps } = makeClient({ now: () => 1_700_000_000_000 });

      await client.getRecords("incident");

      expect(sleeps).toEqual([30_000]);
    });

    it("rejects RATE_LIMITED at once when Retry-After exceeds the cap", async () => {
      fake.handle((_request, response) =>
        sendServiceNowError(response, 429, "Rate limit exceeded", null, { "retry-after": "3600" }),
      );
      const { client, sleeps } = makeClient({
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 },
      });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("RATE_LIMITED");
      expect(error.retryAfterMs).toBe(3_600_000);
      expect(error.retryable).toBe(true);
      expect(fake.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it("backs off with full jitter through a 5xx burst and then succeeds", async () => {
      const statuses = [503, 502];
      fake.handle((_request, response) => {
        const status = statuses.shift();
        if (status !== undefined) {
          sendServiceNowError(response, status, "Service Unavailable");
          return;
        }
        sendResult(response, [{ sys_id: "a1" }]);
      });
      const { client, sleeps, log } = makeClient();

      const page = await client.getRecords("incident");

      expect(page.records).toHaveLength(1);
      // random() = 0.5 of the ceilings 100 · 2^0 and 100 · 2^1.
      expect(sleeps).toEqual([50, 100]);
      expect(log.warnings().map((line) => [line.attempt, line.code, line.delayMs])).toEqual([
        [1, "SERVER_ERROR", 50],
        [2, "SERVER_ERROR", 100],
      ]);
    });

    it("caps the backoff at maxDelayMs", async () => {
      fake.handle((_request, response) => sendServiceNowError(response, 500, "boom"));
      const { client, sleeps } = makeClient({
        retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 300 },
        random: () => 0.999,
      });

      await failure(client.getRecords("incident"));

      expect(sleeps).toEqual([99, 199, 299, 299, 299]);
    });

    it("rejects SERVER_ERROR after maxAttempts when the 5xx persists", async () => {
      fake.handle((_request, response) =>
        sendServiceNowError(
          response,
          500,
          "Transaction cancelled: maximum execution time exceeded",
        ),
      );
      const { client, sleeps } = makeClient();

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("SERVER_ERROR");
      expect(error.retryable).toBe(true);
      expect(error.attempts).toBe(3);
      expect(error.message).toMatch(/smaller pages/);
      expect(fake.requests).toHaveLength(3);
      expect(sleeps).toHaveLength(2);
    });

    it("retries after the connection is reset and then succeeds", async () => {
      let calls = 0;
      fake.handle((_request, response) => {
        calls += 1;
        if (calls === 1) {
          response.socket?.destroy();
          return;
        }
        sendResult(response, [{ sys_id: "a1" }]);
      });
      const { client, sleeps, log } = makeClient();

      const page = await client.getRecords("incident");

      expect(page.records).toHaveLength(1);
      expect(sleeps).toHaveLength(1);
      expect(log.warnings()[0]).toMatchObject({ code: "UNREACHABLE" });
      expect(String(log.warnings()[0]?.networkCode)).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    });

    it("rejects TIMEOUT after bounded attempts when ServiceNow does not answer in time", async () => {
      fake.handle(() => {
        // Never answer; the client's timeout must fire.
      });
      const { client, sleeps } = makeClient({
        timeoutMs: 100,
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
      });

      const error = await failure(client.getRecords("incident"));

      expect(error.code).toBe("TIMEOUT");
      expect(error.retryable).toBe(true);
      expect(error.attempts).toBe(2);
      expect(fake.requests).toHaveLength(2);
      expect(sleeps).toHaveLength(1);
    });

    it("rejects with the caller's abort reason and does not retry when the caller aborts", async () => {
      fake.handle(() => {
        // Hold the request until the caller gives up.
      });
      const { client, sleeps } = makeClient();
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("shutting down")), 50);

      await expect(client.getRecords("incident", { signal: controller.signal })).rejects.toThrow(
        "shutting down",
      );
      expect(fake.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it("does not retry a POST after a 503", async () => {
      fake.handle((_request, response) => sendServiceNowError(response, 503, "Unavailable"));
      const { client } = makeClient();

      const error = await failure(client.request("/api/now/table/incident", { method: "POST" }));

      expect(error.code).toBe("SERVER_ERROR");
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe("secrets", () => {
    it("rejects with messages, JSON and logs free of the password and header even when ServiceNow echoes them", async () => {
      fake.handle((request, response) => {
        const header = String(request.headers.authorization);
        const decoded = Buffer.from(header.slice(6), "base64").toString();
        const status = request.url.searchParams.has("sysparm_limit") ? 500 : 401;
        sendServiceNowError(response, status, `Bad auth ${header}`, `for ${decoded}`);
      });
      const { client, log } = makeClient();

      const errors = [
        await failure(client.getRecords("incident")),
        await failure(client.getRecords("incident", { limit: 5 })),
      ];

      for (const error of errors) {
        for (const text of [String(error), error.message, JSON.stringify(error)]) {
          expect(text).not.toContain(PASSWORD);
          expect(text).not.toContain(BASIC.slice(6));
        }
        expect(JSON.stringify(error)).toContain("[redacted]");
      }
      expect(log.raw.join("")).not.toContain(PASSWORD);
      expect(log.raw.join("")).not.toContain(BASIC.slice(6));
    });

    it("keeps the password out of the provider's JSON and inspection", () => {
      const provider = new BasicAuthProvider(USERNAME, PASSWORD);
      expect(JSON.stringify(provider)).not.toContain(PASSWORD);
      expect(inspect(provider, { showHidden: true })).not.toContain(BASIC.slice(6));
    });

    it("rejects an instance URL with credentials without echoing them", () => {
      const create = () =>
        new ServiceNowClient({
          instanceUrl: `https://admin:${PASSWORD}@acme.service-now.com`,
          auth: new BasicAuthProvider(USERNAME, PASSWORD),
          logger: captureLogger().logger,
        });

      expect(create).toThrow(ServiceNowError);
      expect(create).not.toThrow(PASSWORD);
    });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
