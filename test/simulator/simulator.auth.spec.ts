import { basic, type Harness, startHarness } from "./simulator.harness";

const CLIENT = {
  clientId: "gateway",
  clientSecret: "s3cret",
  redirectUris: ["http://127.0.0.1:9999/oauth/callback"],
};

const UNAUTHENTICATED = {
  error: { message: "User Not Authenticated", detail: "Required to provide Auth information" },
  status: "failure",
};

describe("simulator auth", () => {
  let h: Harness;

  const token = async (form: Record<string, string>): Promise<Response> =>
    fetch(`${h.url}/oauth_token.do`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  const tableWith = (authorization: string | null, table = "incident"): Promise<Response> =>
    h.get(`/api/now/table/${table}`, { sysparm_limit: "1" }, authorization);

  beforeAll(async () => {
    h = await startHarness({ clientCredentialsGrant: false }, (sim) => {
      sim.addUser({ userName: "svc", password: "pw", roles: ["itil"] });
      sim.addUser({ userName: "nobasic", password: "pw", basicAuthAllowed: false });
      sim.addUser({ userName: "narrow", password: "pw", readableTables: ["incident"] });
      sim.addOAuthClient(CLIENT);
      sim.addOAuthClient({
        clientId: "short",
        clientSecret: "x",
        redirectUris: [],
        accessTokenTtlSeconds: 60,
        clientCredentialsUser: "svc",
      });
      sim.insert("incident", { short_description: "one" });
    });
  });
  afterAll(() => h.sim.stop());

  it("answers 200 when Basic credentials are right", async () => {
    expect((await tableWith(basic("svc", "pw"))).status).toBe(200);
    expect(h.sim.requestLog.at(-1)).toMatchObject({
      authKind: "basic",
      userName: "svc",
      status: 200,
    });
  });

  it("answers 401 with ServiceNow's body when credentials are missing or wrong", async () => {
    for (const auth of [null, basic("svc", "wrong"), basic("ghost", "pw"), "Bearer nope"]) {
      const response = await tableWith(auth);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(UNAUTHENTICATED);
    }
  });

  it("answers 401 to a user refused Basic auth even with the right password", async () => {
    const response = await tableWith(basic("nobasic", "pw"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(UNAUTHENTICATED);
  });

  it("answers 401 under the instance Basic policy unless the user is web-service-only", async () => {
    const strict = await startHarness({ enforceBasicAuthRestriction: true }, (sim) => {
      sim.addUser({ userName: "ws", password: "pw", webServiceAccessOnly: true });
      sim.addUser({ userName: "role", password: "pw", roles: ["snc_basic_auth_api_access"] });
    });
    try {
      const statuses = [];
      for (const user of ["admin", "ws", "role"]) {
        const password = user === "admin" ? "admin" : "pw";
        statuses.push(
          (await strict.get("/api/now/table/incident", {}, basic(user, password))).status,
        );
      }
      expect(statuses).toEqual([401, 200, 200]);
    } finally {
      await strict.sim.stop();
    }
  });

  it("answers 403 when the user may not read the table", async () => {
    expect((await tableWith(basic("narrow", "pw"), "incident")).status).toBe(200);
    const response = await tableWith(basic("narrow", "pw"), "sys_user");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: { message: "Insufficient rights to query records" },
      status: "failure",
    });
  });

  it("issues tokens for the password grant that work as Bearer for that user", async () => {
    const response = await token({
      grant_type: "password",
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      username: "svc",
      password: "pw",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      scope: "useraccount",
      token_type: "Bearer",
      expires_in: 1799,
    });
    expect((await tableWith(`Bearer ${String(body.access_token)}`)).status).toBe(200);
    expect(h.sim.requestLog.at(-1)).toMatchObject({ authKind: "bearer", userName: "svc" });
  });

  it("answers 401 access_denied when the password grant has a wrong password or secret", async () => {
    for (const form of [
      { client_secret: CLIENT.clientSecret, password: "wrong" },
      { client_secret: "wrong", password: "pw" },
    ]) {
      const response = await token({
        grant_type: "password",
        client_id: CLIENT.clientId,
        username: "svc",
        ...form,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: "server_error",
        error_description: "access_denied",
      });
    }
  });

  it("answers 400 when parameters are missing or the body is JSON", async () => {
    expect((await token({ grant_type: "password", client_id: CLIENT.clientId })).status).toBe(400);
    const json = await fetch(`${h.url}/oauth_token.do`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grant_type: "password",
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        username: "svc",
        password: "pw",
      }),
    });
    expect(json.status).toBe(400);
  });

  it("redirects with a code and the state, then exchanges the code once only", async () => {
    const authorize = await fetch(
      `${h.url}/oauth_auth.do?${new URLSearchParams({
        response_type: "code",
        client_id: CLIENT.clientId,
        redirect_uri: CLIENT.redirectUris[0],
        state: "xyz",
      }).toString()}`,
      { redirect: "manual" },
    );
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT.redirectUris[0]);
    expect(location.searchParams.get("state")).toBe("xyz");
    const code = location.searchParams.get("code") ?? "";
    const exchange = {
      grant_type: "authorization_code",
      code,
      redirect_uri: CLIENT.redirectUris[0],
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    };
    const first = await token(exchange);
    expect(first.status).toBe(200);
    const { access_token: accessToken } = (await first.json()) as { access_token: string };
    expect((await tableWith(`Bearer ${accessToken}`)).status).toBe(200);
    // The browser user defaults to the first user added: admin.
    expect(h.sim.requestLog.at(-1)?.userName).toBe("admin");
    expect((await token(exchange)).status).toBe(401);
  });

  it("answers 401 when the code is exchanged with another redirect_uri", async () => {
    const authorize = await fetch(
      `${h.url}/oauth_auth.do?response_type=code&client_id=${CLIENT.clientId}&redirect_uri=${encodeURIComponent(CLIENT.redirectUris[0])}`,
      { redirect: "manual" },
    );
    const code = new URL(authorize.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const response = await token({
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://evil.example/cb",
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(response.status).toBe(401);
  });

  it("answers 400 with an HTML page when the client or redirect_uri is unknown", async () => {
    for (const [clientId, redirect] of [
      ["nope", CLIENT.redirectUris[0]],
      [CLIENT.clientId, "http://evil.example/cb"],
    ]) {
      const response = await fetch(
        `${h.url}/oauth_auth.do?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(redirect)}`,
        { redirect: "manual" },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    }
  });

  it("refreshes an expired access token with the refresh token", async () => {
    const issued = (await (
      await token({
        grant_type: "password",
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        username: "svc",
        password: "pw",
      })
    ).json()) as { access_token: string; refresh_token: string };
    h.sim.expireAccessTokens();
    const expired = await tableWith(`Bearer ${issued.access_token}`);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual(UNAUTHENTICATED);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: issued.refresh_token,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { access_token: string; refresh_token: string };
    expect(body.refresh_token).toBe(issued.refresh_token);
    expect((await tableWith(`Bearer ${body.access_token}`)).status).toBe(200);
  });

  it("answers 401 once the access token's lifespan has passed on the clock", async () => {
    const start = new Date("2024-05-01T00:00:00Z");
    h.sim.setClock(start);
    try {
      h.sim.setClientCredentialsGrant(true);
      const response = await token({
        grant_type: "client_credentials",
        client_id: "short",
        client_secret: "x",
      });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      expect(body.expires_in).toBe(59);
      expect((await tableWith(`Bearer ${body.access_token}`)).status).toBe(200);
      h.sim.setClock(new Date(start.getTime() + 61_000));
      expect((await tableWith(`Bearer ${body.access_token}`)).status).toBe(401);
    } finally {
      h.sim.setClock(null);
      h.sim.setClientCredentialsGrant(false);
    }
  });

  it("answers 401 to client_credentials while the grant is off", async () => {
    const response = await token({
      grant_type: "client_credentials",
      client_id: "short",
      client_secret: "x",
    });
    expect(response.status).toBe(401);
  });
});
