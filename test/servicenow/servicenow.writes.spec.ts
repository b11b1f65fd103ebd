import { BasicAuthProvider, ServiceNowClient, ServiceNowError } from "../../src/servicenow";
import { captureLogger } from "./capture.logger";
import {
  type FakeInstance,
  sendJson,
  sendServiceNowError,
  startFakeInstance,
} from "./fake-instance.server";

const USERNAME = "svc.writer";
const PASSWORD = "Wr1te-Pa55word-never-log-me";
const SYS_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

let fake: FakeInstance;

beforeEach(async () => {
  fake = await startFakeInstance();
});

afterEach(async () => {
  await fake.close();
});

function makeClient(options: { writeMaxRetryAfterMs?: number; timeoutMs?: number } = {}) {
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
    ...options,
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

const created = { sys_id: SYS_ID, number: "INC0010001", short_description: "Disk full" };

describe("ServiceNowClient writes", () => {
  it("creates with POST /api/now/table/incident, a JSON body and the answer's shape", async () => {
    fake.handle((_request, response) => sendJson(response, 201, { result: created }));
    const { client } = makeClient();
    const result = await client.createRecord(
      "incident",
      { short_description: "Disk full", caller_id: SYS_ID },
      { fields: ["sys_id", "number"], displayValue: "all", excludeReferenceLink: true },
    );
    expect(result.record).toEqual(created);
    const [request] = fake.requests;
    expect(request.method).toBe("POST");
    expect(request.url.pathname).toBe("/api/now/table/incident");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toMatch(/^Basic /);
    expect(JSON.parse(request.body)).toEqual({ short_description: "Disk full", caller_id: SYS_ID });
    expect(request.url.searchParams.get("sysparm_fields")).toBe("sys_id,number");
    expect(request.url.searchParams.get("sysparm_display_value")).toBe("all");
    expect(request.url.searchParams.get("sysparm_exclude_reference_link")).toBe("true");
  });

  it("updates with PATCH /api/now/table/incident/{sys_id}", async () => {
    fake.handle((_request, response) =>
      sendJson(response, 200, { result: { ...created, state: "6" } }),
    );
    const { client } = makeClient();
    const result = await client.updateRecord("incident", SYS_ID, { state: "6" });
    expect(result.record.state).toBe("6");
    expect(fake.requests[0].method).toBe("PATCH");
    expect(fake.requests[0].url.pathname).toBe(`/api/now/table/incident/${SYS_ID}`);
    await expect(client.updateRecord("incident", "x^y", {})).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("looks records up by correlation_id through the query builder", async () => {
    fake.handle((_request, response) => sendJson(response, 200, { result: [created] }));
    const { client } = makeClient();
    const records = await client.findByCorrelationId("incident", "alert-42", {
      fields: ["sys_id"],
    });
    expect(records).toEqual([created]);
    expect(fake.requests[0].url.searchParams.get("sysparm_query")).toBe(
      "correlation_id=alert-42^ORDERBYsys_created_on",
    );
    await expect(client.findByCorrelationId("incident", "a^NQactive=true")).rejects.toThrow();
  });

  it("answers a data-policy refusal as REJECTED in ServiceNow's words, naming the field", async () => {
    fake.handle((_request, response) =>
      sendServiceNowError(
        response,
        403,
        "Operation Failed",
        "Data Policy Exception: \n\tThe following fields are mandatory: Caller",
      ),
    );
    const { client } = makeClient();
    const error = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(error.code).toBe("REJECTED");
    expect(error.field).toBe("Caller");
    expect(error.serviceNowDetail).toContain("The following fields are mandatory: Caller");
    expect(error.message).toContain("Data Policy Exception");
    expect(error.outcomeUnknown).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it("answers an ACL refusal (403) and a 400 as REJECTED, never retried", async () => {
    fake.handle((_request, response) =>
      sendServiceNowError(
        response,
        403,
        "Operation Failed",
        "ACL Exception Insert Failed due to security constraints",
      ),
    );
    const { client } = makeClient();
    const acl = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(acl).toMatchObject({ code: "REJECTED", status: 403 });
    expect(acl.message).toContain("ACL Exception Insert Failed");
    fake.handle((_request, response) =>
      sendServiceNowError(response, 400, "Invalid field: u_missing", null),
    );
    const bad = await failure(client.updateRecord("incident", SYS_ID, { u_missing: "1" }));
    expect(bad).toMatchObject({ code: "REJECTED", status: 400 });
    expect(fake.requests).toHaveLength(2);
  });

  it("keeps reads' 403 as FORBIDDEN", async () => {
    fake.handle((_request, response) =>
      sendServiceNowError(response, 403, "Insufficient rights to query records"),
    );
    const { client } = makeClient();
    expect((await failure(client.getRecords("incident"))).code).toBe("FORBIDDEN");
  });

  it("waits out a 429 whose Retry-After is within the write cap, then sends again", async () => {
    let calls = 0;
    fake.handle((_request, response) => {
      calls += 1;
      if (calls === 1) {
        sendServiceNowError(response, 429, "Rate limit exceeded", null, { "retry-after": "3" });
      } else {
        sendJson(response, 201, { result: created });
      }
    });
    const { client, sleeps } = makeClient();
    await client.createRecord("incident", { short_description: "x" });
    expect(sleeps).toEqual([3000]);
    expect(fake.requests).toHaveLength(2);
  });

  it("fails a 429 beyond the write cap at once as RATE_LIMITED with retryAfterSeconds", async () => {
    fake.handle((_request, response) =>
      sendServiceNowError(response, 429, "Rate limit exceeded", null, { "retry-after": "30" }),
    );
    const { client, sleeps } = makeClient();
    const error = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(error.code).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.outcomeUnknown).toBe(false);
    expect(sleeps).toEqual([]);
    // The cap is configurable.
    const patient = makeClient({ writeMaxRetryAfterMs: 60_000 });
    let calls = 0;
    fake.handle((_request, response) => {
      calls += 1;
      if (calls === 1) {
        sendServiceNowError(response, 429, "Rate limit exceeded", null, { "retry-after": "30" });
      } else {
        sendJson(response, 201, { result: created });
      }
    });
    await patient.client.createRecord("incident", { short_description: "x" });
    expect(patient.sleeps).toEqual([30000]);
  });

  it("never retries a POST after a 5xx, a reset or a timeout: the outcome is unknown", async () => {
    fake.handle((_request, response) => sendServiceNowError(response, 503, "Service Unavailable"));
    const { client } = makeClient({ timeoutMs: 300 });
    const server = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(server).toMatchObject({ code: "SERVER_ERROR", outcomeUnknown: true });
    expect(fake.requests).toHaveLength(1);

    fake.handle((_request, response) => response.socket?.destroy());
    const reset = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(reset).toMatchObject({ code: "UNREACHABLE", outcomeUnknown: true });
    expect(fake.requests).toHaveLength(2);

    fake.handle(() => undefined);
    const timeout = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(timeout).toMatchObject({ code: "TIMEOUT", outcomeUnknown: true });
    expect(fake.requests).toHaveLength(3);
  });

  it("still retries reads after a 5xx", async () => {
    let calls = 0;
    fake.handle((_request, response) => {
      calls += 1;
      if (calls === 1) {
        sendServiceNowError(response, 503, "Service Unavailable");
      } else {
        sendJson(response, 200, { result: [created] });
      }
    });
    const { client } = makeClient();
    expect(await client.findByCorrelationId("incident", "k")).toEqual([created]);
    expect(fake.requests).toHaveLength(2);
  });

  it("knows a refused connection never reached ServiceNow", async () => {
    const url = fake.url;
    await fake.close();
    const client = new ServiceNowClient({
      instanceUrl: url,
      auth: new BasicAuthProvider(USERNAME, PASSWORD),
      logger: captureLogger().logger,
      retry: { maxAttempts: 1 },
    });
    const error = await failure(client.createRecord("incident", { short_description: "x" }));
    expect(error).toMatchObject({ code: "UNREACHABLE", outcomeUnknown: false });
    fake = await startFakeInstance();
  });

  it("puts no credential in a write error or a log line", async () => {
    fake.handle((_request, response) =>
      sendServiceNowError(response, 403, "Operation Failed", `echo ${PASSWORD}`),
    );
    const { client, log } = makeClient();
    const error = await failure(client.createRecord("incident", { short_description: "x" }));
    const text = `${error.message} ${JSON.stringify(error)} ${log.raw.join("")}`;
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(`${USERNAME}:${PASSWORD}`).toString("base64"));
  });
});
