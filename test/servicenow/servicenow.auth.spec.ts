import type { ServerResponse } from "node:http";

import {
  type AuthProvider,
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  OAuthAuthorizationCodeProvider,
  OAuthPasswordGrantProvider,
  type OAuthTokens,
  ServiceNowClient,
  ServiceNowError,
} from "../../src/servicenow";
import { captureLogger } from "./capture.logger";
import {
  type FakeInstance,
  type RecordedRequest,
  sendJson,
  sendResult,
  sendServiceNowError,
  startFakeInstance,
} from "./fake-instance.server";

const CLIENT_ID = "3f1c0a8e5b2d4e6f";
const CLIENT_SECRET = "client-secret-Zq9!never-log";
const PASSWORD = "user-password-Xw7#never-log";
const REFRESH_TOKEN = "refresh-token-RT1-never-log";
const NOW = 1_750_000_000_000;

let fake: FakeInstance;

beforeEach(async () => {
  fake = await startFakeInstance();
});

afterEach(async () => {
  await fake.close();
});

interface TokenServer {
  /** Access tokens the Table API accepts. */
  readonly valid: Set<string>;
  issued: number;
  refuseRefresh: boolean;
  refusePassword: boolean;
  /** Answer the next token requests with these statuses first. */
  failures: number[];
}

/** A token endpoint and Table API in ServiceNow's shapes; tokens are `AT<n>`. */
function serveOAuth(overrides: Partial<TokenServer> = {}): TokenServer {
  const state: TokenServer = {
    valid: new Set(),
    issued: 0,
    refuseRefresh: false,
    refusePassword: false,
    failures: [],
    ...overrides,
  };
  fake.handle((request, response) => {
    if (request.url.pathname === "/oauth_token.do") {
      answerToken(state, request, response);
      return;
    }
    const token = String(request.headers.authorization).replace(/^Bearer /, "");
    if (!state.valid.has(token)) {
      sendServiceNowError(
        response,
        401,
        "User Not Authenticated",
        "Required to provide Auth information",
      );
      return;
    }
    sendResult(response, [{ sys_id: "a1" }]);
  });
  return state;
}

function answerToken(state: TokenServer, request: RecordedRequest, response: ServerResponse) {
  const form = new URLSearchParams(request.body);
  const failure = state.failures.shift();
  if (failure !== undefined) {
    sendJson(response, failure, { error: "server_error", error_description: "try later" });
    return;
  }
  const refused =
    form.get("client_secret") !== CLIENT_SECRET ||
    (form.get("grant_type") === "refresh_token" && state.refuseRefresh) ||
    (form.get("grant_type") === "password" &&
      (state.refusePassword || form.get("password") !== PASSWORD));
  if (refused) {
    // ServiceNow's usual refusal; echo the secrets to prove they are scrubbed on our side.
    sendJson(response, 401, {
      error: "server_error",
      error_description: `access_denied ${form.get("client_secret")} ${form.get("refresh_token")} ${form.get("password")}`,
    });
    return;
  }
  state.issued += 1;
  const accessToken = `AT${state.issued}`;
  state.valid.add(accessToken);
  sendJson(response, 200, {
    access_token: accessToken,
    refresh_token: `RT${state.issued + 1}`,
    scope: "useraccount",
    token_type: "Bearer",
    expires_in: 1799,
  });
}

function tokenForms(): URLSearchParams[] {
  return fake.requestsTo("/oauth_token.do").map((request) => new URLSearchParams(request.body));
}

function clientWith(auth: AuthProvider) {
  const sleeps: number[] = [];
  const client = new ServiceNowClient({
    instanceUrl: fake.url,
    auth,
    logger: captureLogger().logger,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
    now: () => NOW,
  });
  return { client, sleeps };
}

function codeProvider(tokens: OAuthTokens, saved: OAuthTokens[] = []) {
  return new OAuthAuthorizationCodeProvider({
    instanceUrl: fake.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokens,
    onTokens: (next) => {
      saved.push(next);
      return Promise.resolve();
    },
    now: () => NOW,
  });
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

function expectNoSecrets(error: ServiceNowError, secrets: readonly string[]): void {
  for (const text of [String(error), error.message, JSON.stringify(error)]) {
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
    }
  }
}

describe("OAuth endpoints", () => {
  it("builds the /oauth_auth.do URL with response_type=code, client, redirect and state", () => {
    const url = new URL(
      buildAuthorizeUrl({
        instanceUrl: "https://acme.service-now.com/",
        clientId: CLIENT_ID,
        redirectUri: "https://gateway.example.com/oauth/callback",
        state: "st-123",
      }),
    );

    expect(url.origin + url.pathname).toBe("https://acme.service-now.com/oauth_auth.do");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: "https://gateway.example.com/oauth/callback",
      state: "st-123",
    });
  });

  it("exchanges an authorization code with a form-encoded POST to /oauth_token.do", async () => {
    serveOAuth();

    const tokens = await exchangeAuthorizationCode({
      instanceUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      code: "code-abc",
      redirectUri: "https://gateway.example.com/oauth/callback",
      now: () => NOW,
    });

    expect(tokens).toEqual({
      accessToken: "AT1",
      refreshToken: "RT2",
      scope: "useraccount",
      expiresAt: new Date(NOW + 1_799_000),
    });
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: "authorization_code",
      code: "code-abc",
      redirect_uri: "https://gateway.example.com/oauth/callback",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it("rejects AUTH_FAILED carrying ServiceNow's description, without secrets, when the exchange is refused", async () => {
    serveOAuth();

    const error = await failure(
      exchangeAuthorizationCode({
        instanceUrl: fake.url,
        clientId: CLIENT_ID,
        clientSecret: "wrong-secret-value",
        code: "code-abc",
        redirectUri: "https://gateway.example.com/oauth/callback",
      }),
    );

    expect(error.code).toBe("AUTH_FAILED");
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.serviceNowMessage).toBe("server_error");
    expect(error.serviceNowDetail).toMatch(/^access_denied/);
    expect(error.url).toBe("/oauth_token.do");
    expectNoSecrets(error, ["wrong-secret-value", "code-abc"]);
  });
});

describe("OAuthAuthorizationCodeProvider", () => {
  it("sends the access token as a bearer and does not refresh far from expiry", async () => {
    serveOAuth({ valid: new Set(["AT-initial"]) });
    const { client } = clientWith(
      codeProvider({
        accessToken: "AT-initial",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW + 20 * 60_000),
      }),
    );

    await client.getRecords("incident");

    expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
      "Bearer AT-initial",
    ]);
  });

  it("refreshes before expiry and hands the new tokens to onTokens", async () => {
    serveOAuth();
    const saved: OAuthTokens[] = [];
    const { client } = clientWith(
      codeProvider(
        { accessToken: "AT-old", refreshToken: REFRESH_TOKEN, expiresAt: new Date(NOW + 30_000) },
        saved,
      ),
    );

    await client.getRecords("incident");

    expect(tokenForms().map((form) => Object.fromEntries(form))).toEqual([
      {
        grant_type: "refresh_token",
        refresh_token: REFRESH_TOKEN,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
    ]);
    expect(saved).toEqual([expect.objectContaining({ accessToken: "AT1", refreshToken: "RT2" })]);
    expect(fake.requestsTo("/api/")[0]?.headers.authorization).toBe("Bearer AT1");
  });

  it("refreshes once on a 401 and retries the request once", async () => {
    serveOAuth();
    const { client, sleeps } = clientWith(
      codeProvider({
        accessToken: "AT-revoked",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW + 20 * 60_000),
      }),
    );

    const page = await client.getRecords("incident");

    expect(page.records).toHaveLength(1);
    expect(fake.requestsTo("/api/").map((request) => request.headers.authorization)).toEqual([
      "Bearer AT-revoked",
      "Bearer AT1",
    ]);
    expect(tokenForms()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("rejects AUTH_FAILED after exactly one refresh when the new token is refused too", async () => {
    const state = serveOAuth();
    fake.handle((request, response) => {
      if (request.url.pathname === "/oauth_token.do") {
        answerToken(state, request, response);
        return;
      }
      sendServiceNowError(response, 401, "User Not Authenticated");
    });
    const { client } = clientWith(
      codeProvider({
        accessToken: "AT-revoked",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW + 20 * 60_000),
      }),
    );

    const error = await failure(client.getRecords("incident"));

    expect(error.code).toBe("AUTH_FAILED");
    expect(tokenForms()).toHaveLength(1);
    expect(fake.requestsTo("/api/")).toHaveLength(2);
  });

  it("shares one refresh among concurrent requests when the token is expiring", async () => {
    serveOAuth();
    const saved: OAuthTokens[] = [];
    const { client } = clientWith(
      codeProvider(
        { accessToken: "AT-old", refreshToken: REFRESH_TOKEN, expiresAt: new Date(NOW + 1000) },
        saved,
      ),
    );

    await Promise.all(Array.from({ length: 5 }, () => client.getRecords("incident")));

    expect(tokenForms()).toHaveLength(1);
    expect(saved).toHaveLength(1);
    expect(new Set(fake.requestsTo("/api/").map((r) => r.headers.authorization))).toEqual(
      new Set(["Bearer AT1"]),
    );
  });

  it("shares one refresh among concurrent requests that all got a 401", async () => {
    serveOAuth();
    const { client } = clientWith(
      codeProvider({
        accessToken: "AT-revoked",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW + 20 * 60_000),
      }),
    );

    const pages = await Promise.all(Array.from({ length: 5 }, () => client.getRecords("incident")));

    expect(pages.every((page) => page.records.length === 1)).toBe(true);
    expect(tokenForms()).toHaveLength(1);
    expect(fake.requestsTo("/api/")).toHaveLength(10);
  });

  it("does not refresh again for a late 401 on a token another request already replaced", async () => {
    const state = serveOAuth();
    let staleAnswers = 0;
    fake.handle((request, response) => {
      if (request.url.pathname === "/oauth_token.do") {
        answerToken(state, request, response);
        return;
      }
      if (request.headers.authorization === "Bearer AT-revoked") {
        staleAnswers += 1;
        // The second stale 401 lands well after the first one's refresh has finished.
        const delayMs = staleAnswers === 1 ? 0 : 150;
        setTimeout(() => sendServiceNowError(response, 401, "User Not Authenticated"), delayMs);
        return;
      }
      sendResult(response, [{ sys_id: "a1" }]);
    });
    const { client } = clientWith(
      codeProvider({
        accessToken: "AT-revoked",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW + 20 * 60_000),
      }),
    );

    await Promise.all([client.getRecords("incident"), client.getRecords("incident")]);

    expect(tokenForms()).toHaveLength(1);
  });

  it("rejects AUTH_FAILED needing reauthorization, without retrying or leaking, when the refresh token is refused", async () => {
    serveOAuth({ refuseRefresh: true });
    const { client, sleeps } = clientWith(
      codeProvider({
        accessToken: "AT-old-token-value",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW - 1000),
      }),
    );

    const error = await failure(client.getRecords("incident"));

    expect(error.code).toBe("AUTH_FAILED");
    expect(error.retryable).toBe(false);
    expect(error.needsReauthorization).toBe(true);
    expect(error.serviceNowDetail).toMatch(/^access_denied/);
    expect(error.message).toMatch(/authorize the integration again/);
    expect(tokenForms()).toHaveLength(1);
    expect(fake.requestsTo("/api/")).toHaveLength(0);
    expect(sleeps).toEqual([]);
    expectNoSecrets(error, [REFRESH_TOKEN, CLIENT_SECRET, "AT-old-token-value"]);
  });

  it("retries the request through the client's backoff when the token endpoint fails transiently", async () => {
    serveOAuth({ failures: [503] });
    const { client, sleeps } = clientWith(
      codeProvider({
        accessToken: "AT-old",
        refreshToken: REFRESH_TOKEN,
        expiresAt: new Date(NOW - 1000),
      }),
    );

    await client.getRecords("incident");

    expect(tokenForms()).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });
});

describe("OAuthPasswordGrantProvider", () => {
  function passwordProvider(options: {
    password?: string;
    stored?: OAuthTokens | null;
    saved?: OAuthTokens[];
  }) {
    return new OAuthPasswordGrantProvider({
      instanceUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      username: "svc.gateway",
      password: options.password ?? PASSWORD,
      now: () => NOW,
      tokenStore: {
        load: () => Promise.resolve(options.stored ?? null),
        save: (tokens) => {
          options.saved?.push(tokens);
          return Promise.resolve();
        },
      },
    });
  }

  it("grants with the password once and reuses the token", async () => {
    serveOAuth();
    const saved: OAuthTokens[] = [];
    const { client } = clientWith(passwordProvider({ saved }));

    await client.getRecords("incident");
    await client.getRecords("incident");

    expect(tokenForms().map((form) => Object.fromEntries(form))).toEqual([
      {
        grant_type: "password",
        username: "svc.gateway",
        password: PASSWORD,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      },
    ]);
    expect(saved.map((tokens) => tokens.accessToken)).toEqual(["AT1"]);
    expect(fake.requestsTo("/api/").map((request) => request.headers.authorization)).toEqual([
      "Bearer AT1",
      "Bearer AT1",
    ]);
  });

  it("uses stored tokens without a grant while they are fresh", async () => {
    serveOAuth({ valid: new Set(["AT-stored"]) });
    const { client } = clientWith(
      passwordProvider({
        stored: {
          accessToken: "AT-stored",
          refreshToken: REFRESH_TOKEN,
          expiresAt: new Date(NOW + 600_000),
        },
      }),
    );

    await client.getRecords("incident");

    expect(tokenForms()).toHaveLength(0);
  });

  it("falls back to a password grant when the stored refresh token is refused", async () => {
    serveOAuth({ refuseRefresh: true });
    const { client } = clientWith(
      passwordProvider({
        stored: {
          accessToken: "AT-stored",
          refreshToken: REFRESH_TOKEN,
          expiresAt: new Date(NOW - 1),
        },
      }),
    );

    await client.getRecords("incident");

    expect(tokenForms().map((form) => form.get("grant_type"))).toEqual([
      "refresh_token",
      "password",
    ]);
  });

  it("rejects AUTH_FAILED without the password or secret when the password is wrong", async () => {
    serveOAuth();
    const wrong = "wrong-password-Yy8$";
    const { client, sleeps } = clientWith(passwordProvider({ password: wrong }));

    const error = await failure(client.getRecords("incident"));

    expect(error.code).toBe("AUTH_FAILED");
    expect(error.needsReauthorization).toBe(false);
    expect(error.serviceNowMessage).toBe("server_error");
    expect(error.message).toMatch(/password grant/);
    expect(sleeps).toEqual([]);
    expectNoSecrets(error, [wrong, CLIENT_SECRET]);
  });
});
