import {
  BasicAuthProvider,
  checkQueryTimeZone,
  EncodedQueryError,
  fetchCurrentUserTimeZone,
  fetchInstanceDefaultTimeZone,
  fetchUserTimeZone,
  ServiceNowClient,
} from "../../src/servicenow";
import { captureLogger } from "./capture.logger";
import {
  type FakeInstance,
  sendResult,
  sendServiceNowError,
  startFakeInstance,
} from "./fake-instance.server";
import { makeRows, serveTable, utcLiteral } from "./fake-table.api";

let fake: FakeInstance;
let client: ServiceNowClient;

const USERS = [
  {
    sys_id: "6816f79cc0a8016401c5a33be04be441",
    user_name: "svc.gateway",
    time_zone: "America/Los_Angeles",
  },
  { sys_id: "5137153cc611227c000bbd1bd8cd2007", user_name: "oauth.user", time_zone: "" },
];

beforeEach(async () => {
  fake = await startFakeInstance();
  client = new ServiceNowClient({
    instanceUrl: fake.url,
    auth: new BasicAuthProvider("svc.gateway", "secret-password"),
    logger: captureLogger().logger,
    retry: { maxAttempts: 1 },
  });
});

afterEach(async () => {
  await fake.close();
});

/** sys_user answering `user_name=<name>`; `current` is who `gs.getUserName()` is, if scripts run. */
function serveUsers(options: { current?: string; forbidScripts?: boolean } = {}) {
  fake.handle((request, response) => {
    if (request.url.pathname === "/api/now/ui/user/current_user") {
      sendResult(response, { user_name: options.current, user_sys_id: "x" });
      return;
    }
    if (request.url.pathname === "/api/now/table/sys_properties") {
      sendServiceNowError(response, 403, "Insufficient rights to query records");
      return;
    }
    const encoded = request.url.searchParams.get("sysparm_query") ?? "";
    if (encoded === "user_name=javascript:gs.getUserName()") {
      if (options.forbidScripts === true) {
        sendServiceNowError(response, 403, "Insufficient rights to query records");
        return;
      }
      sendResult(
        response,
        USERS.filter((user) => user.user_name === options.current),
      );
      return;
    }
    const name = encoded.replace(/^user_name=/, "");
    sendResult(
      response,
      USERS.filter((user) => user.user_name === name),
    );
  });
}

describe("fetchUserTimeZone", () => {
  it("reads sys_user.time_zone by a validated user_name", async () => {
    serveUsers();

    const zone = await fetchUserTimeZone(client, "svc.gateway");

    expect(zone).toEqual({
      timeZone: "America/Los_Angeles",
      userName: "svc.gateway",
      userSysId: "6816f79cc0a8016401c5a33be04be441",
    });
    const params = fake.requests[0]?.url.searchParams;
    expect(params?.get("sysparm_query")).toBe("user_name=svc.gateway");
    expect(params?.get("sysparm_fields")).toBe("sys_id,user_name,time_zone");
  });

  it("answers null (the instance default) when the user has no zone", async () => {
    serveUsers();

    expect((await fetchUserTimeZone(client, "oauth.user")).timeZone).toBeNull();
  });

  it("rejects NOT_FOUND when no such user is readable", async () => {
    serveUsers();

    await expect(fetchUserTimeZone(client, "nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects NOT_FOUND when the instance ignores the term and returns someone else", async () => {
    fake.handle((_request, response) => sendResult(response, USERS));

    await expect(fetchUserTimeZone(client, "svc.gatewa")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("rejects a user name that would inject query terms, before sending anything", async () => {
    serveUsers();

    await expect(fetchUserTimeZone(client, "x^NQuser_nameISNOTEMPTY")).rejects.toThrow(
      EncodedQueryError,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

describe("fetchCurrentUserTimeZone", () => {
  it("asks sys_user for gs.getUserName() when the user name is unknown", async () => {
    serveUsers({ current: "svc.gateway" });

    const zone = await fetchCurrentUserTimeZone(client);

    expect(zone.timeZone).toBe("America/Los_Angeles");
    expect(fake.requests).toHaveLength(1);
  });

  it("falls back to current_user when scripted queries are refused", async () => {
    serveUsers({ current: "oauth.user", forbidScripts: true });

    const zone = await fetchCurrentUserTimeZone(client);

    expect(zone).toMatchObject({ userName: "oauth.user", timeZone: null });
    expect(fake.requests.map((request) => request.url.pathname)).toEqual([
      "/api/now/table/sys_user",
      "/api/now/ui/user/current_user",
      "/api/now/table/sys_user",
    ]);
  });

  it("uses the user name when the caller knows it", async () => {
    serveUsers();

    await fetchCurrentUserTimeZone(client, { userName: "svc.gateway" });

    expect(fake.requests[0]?.url.searchParams.get("sysparm_query")).toBe("user_name=svc.gateway");
  });
});

describe("fetchInstanceDefaultTimeZone", () => {
  it("answers null when sys_properties is not readable", async () => {
    serveUsers();

    expect(await fetchInstanceDefaultTimeZone(client)).toBeNull();
  });

  it("reads glide.sys.default.tz", async () => {
    fake.handle((_request, response) =>
      sendResult(response, [{ name: "glide.sys.default.tz", value: "Europe/Berlin" }]),
    );

    expect(await fetchInstanceDefaultTimeZone(client)).toBe("Europe/Berlin");
  });
});

describe("checkQueryTimeZone", () => {
  const rows = makeRows(5, "2024-01-15T12:00:00Z");
  const losAngelesWinter = (literal: string) => utcLiteral(literal) + 8 * 3_600_000;

  it("confirms the zone the instance reads literals in and refutes another", async () => {
    fake.handle(serveTable({ rows, readLiteral: losAngelesWinter }));

    expect(
      await checkQueryTimeZone(client, { table: "incident", timeZone: "America/Los_Angeles" }),
    ).toBe(true);
    expect(await checkQueryTimeZone(client, { table: "incident", timeZone: "UTC" })).toBe(false);
  });

  it("answers null when the table has no record to test with", async () => {
    fake.handle(serveTable({ rows: [] }));

    expect(await checkQueryTimeZone(client, { table: "incident", timeZone: "UTC" })).toBeNull();
  });
});
