import { cursorScopeOf } from "../../src/database/keyset-cursor";
import { INTEGRATION_IDS, seedDataset } from "../support/seed";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const INCIDENTS = `
  query Incidents(
    $first: Int, $after: String, $integrationId: ID, $filter: IncidentFilter, $orderBy: [IncidentOrder!]
  ) {
    incidents(first: $first, after: $after, integrationId: $integrationId, filter: $filter, orderBy: $orderBy) {
      nodes { sysId }
      pageInfo { endCursor }
      totalCount
    }
  }
`;

interface CursorContext {
  /** endCursor of a real first page of incidents (default order). */
  readonly incidentCursor: string;
  /** endCursor of a real first page of change requests. */
  readonly changeCursor: string;
  /** The sort values and row id inside incidentCursor. */
  readonly values: unknown[];
  readonly id: number;
}

interface BadInputCase {
  readonly name: string;
  readonly request: (context: CursorContext) => {
    query?: string;
    variables?: Record<string, unknown>;
  };
  readonly code: string;
  readonly field?: string;
  readonly message: RegExp;
}

const DEFAULT_ORDERING = "openedAt:DESC";
/** A cursor as the gateway would issue it for an unfiltered list of `table` (its digest too). */
const cursor = (
  values: unknown[],
  id: unknown,
  ordering = DEFAULT_ORDERING,
  table = "incident",
): string =>
  Buffer.from(
    JSON.stringify([
      ordering,
      values,
      id,
      cursorScopeOf({ table, integrationId: null, filter: {}, ordering }),
    ]),
  ).toString("base64url");
const INVALID_CURSOR = /Invalid cursor for after/;
const after = (value: string, extra: Record<string, unknown> = {}) => ({
  variables: { after: value, ...extra },
});
const badCursor = (name: string, build: (context: CursorContext) => string): BadInputCase => ({
  name,
  request: (context) => after(build(context)),
  code: "BAD_USER_INPUT",
  field: "after",
  message: INVALID_CURSOR,
});

const CASES: BadInputCase[] = [
  badCursor("a garbage cursor", () => "not a cursor!"),
  badCursor("a truncated cursor", ({ incidentCursor }) => incidentCursor.slice(0, -6)),
  badCursor("base64 that is not JSON", () => Buffer.from("hello world").toString("base64url")),
  badCursor("a cursor with a tampered, non-numeric row id", ({ values }) =>
    cursor(values, "1 OR 1=1"),
  ),
  badCursor("a cursor with a fractional row id", ({ values, id }) => cursor(values, id + 0.5)),
  badCursor("a cursor with a row id beyond 32 bits", ({ values }) => cursor(values, 2 ** 40)),
  badCursor("a cursor whose date is not a date", ({ id }) => cursor(["yesterday"], id)),
  badCursor("a cursor whose date is out of any database's range", ({ id }) =>
    cursor(["-100000-01-01T00:00:00.000Z"], id),
  ),
  badCursor("a cursor with an object among its values", ({ id }) => cursor([{ $gt: 1 }], id)),
  badCursor("a cursor with too few values", ({ id }) => cursor([], id)),
  {
    name: "a cursor with a fractional priority",
    request: ({ id }) =>
      after(cursor([1.5], id, "priority:ASC"), { orderBy: [{ field: "PRIORITY" }] }),
    code: "BAD_USER_INPUT",
    field: "after",
    message: INVALID_CURSOR,
  },
  {
    name: "a cursor issued for another orderBy",
    request: ({ incidentCursor }) =>
      after(incidentCursor, { orderBy: [{ field: "NUMBER", direction: "DESC" }] }),
    code: "BAD_USER_INPUT",
    field: "after",
    message: /issued for another orderBy/,
  },
  {
    name: "a cursor of another connection",
    request: ({ changeCursor }) => after(changeCursor),
    code: "BAD_USER_INPUT",
    field: "after",
    message: /issued for another orderBy/,
  },
  {
    name: "a cursor longer than any issued",
    request: () => after("a".repeat(3000)),
    code: "BAD_USER_INPUT",
    field: "after",
    message: /not a cursor this API issued/,
  },
  {
    name: "a syncRuns cursor with a row id that is not a UUID",
    request: () => ({
      query: "query ($after: String) { syncRuns(after: $after) { totalCount } }",
      variables: {
        after: cursor(["2024-01-01T00:00:00.000Z"], "x' OR '1'='1", "startedAt:DESC", "sync_run"),
      },
    }),
    code: "BAD_USER_INPUT",
    field: "after",
    message: INVALID_CURSOR,
  },
  ...[0, 501, -1].map((first): BadInputCase => ({
    name: `first: ${first}`,
    request: () => ({ variables: { first } }),
    code: "BAD_USER_INPUT",
    field: "first",
    message: /between 1 and 500/,
  })),
  {
    name: "an unknown enum value as a literal",
    request: () => ({
      query: "query { incidents(orderBy: [{ field: SEVERITY }]) { totalCount } }",
    }),
    code: "GRAPHQL_VALIDATION_FAILED",
    message: /"SEVERITY" does not exist in "IncidentOrderField"/,
  },
  {
    name: "an unknown enum value in a variable",
    request: () => ({ variables: { filter: { state: ["SOLVED"] } } }),
    code: "BAD_USER_INPUT",
    message: /"SOLVED" does not exist in "IncidentState"/,
  },
  {
    name: "a malformed integrationId",
    request: () => ({ variables: { integrationId: "instance-a" } }),
    code: "BAD_USER_INPUT",
    field: "integrationId",
    message: /integration id \(a UUID\)/,
  },
  {
    name: "a malformed sys_id in a filter",
    request: () => ({ variables: { filter: { assignedToSysId: ["ABCDEF"] } } }),
    code: "BAD_USER_INPUT",
    field: "filter.assignedToSysId",
    message: /32 lowercase hex/,
  },
  {
    name: "orderBy naming a field twice",
    request: () => ({
      variables: {
        orderBy: [
          { field: "PRIORITY", direction: "ASC" },
          { field: "PRIORITY", direction: "DESC" },
        ],
      },
    }),
    code: "BAD_USER_INPUT",
    field: "orderBy",
    message: /PRIORITY twice/,
  },
  {
    name: "more than 3 orderBy keys",
    request: () => ({
      variables: {
        orderBy: [
          { field: "PRIORITY" },
          { field: "STATE" },
          { field: "NUMBER" },
          { field: "OPENED_AT" },
        ],
      },
    }),
    code: "BAD_USER_INPUT",
    field: "orderBy",
    message: /at most 3 keys/,
  },
  {
    name: "a date range whose from is after its to",
    request: () => ({
      variables: {
        filter: { resolvedAt: { from: "2024-03-01T00:00:00Z", to: "2024-02-01T00:00:00Z" } },
      },
    }),
    code: "BAD_USER_INPUT",
    field: "filter.resolvedAt",
    message: /from must not be after/,
  },
  {
    name: "a date that is not one",
    request: () => ({ variables: { filter: { openedAt: { from: "yesterday" } } } }),
    code: "BAD_USER_INPUT",
    message: /filter\.openedAt\.from/,
  },
  {
    name: "a search too long",
    request: () => ({ variables: { filter: { search: "x".repeat(201) } } }),
    code: "BAD_USER_INPUT",
    field: "filter.search",
    message: /1 to 200 characters/,
  },
  {
    name: "a blank search",
    request: () => ({ variables: { filter: { search: "   " } } }),
    code: "BAD_USER_INPUT",
    field: "filter.search",
    message: /1 to 200 characters/,
  },
  {
    name: "a NUL character in a search",
    request: () => ({ variables: { filter: { search: "disk\u0000full" } } }),
    code: "BAD_USER_INPUT",
    field: "filter.search",
    message: /NUL/,
  },
  {
    name: "a NUL character in a list filter",
    request: () => ({ variables: { filter: { category: ["net\u0000work"] } } }),
    code: "BAD_USER_INPUT",
    field: "filter.category",
    message: /NUL/,
  },
  {
    name: "a list filter with too many values",
    request: () => ({
      variables: { filter: { priority: Array.from({ length: 201 }, (_, index) => index) } },
    }),
    code: "BAD_USER_INPUT",
    field: "filter.priority",
    message: /at most 200 values/,
  },
  {
    name: "a malformed sysId in a lookup",
    request: () => ({ query: 'query { incident(sysId: "46D44A5A") { sysId } }' }),
    code: "BAD_USER_INPUT",
    field: "sysId",
    message: /32 lowercase hex/,
  },
  {
    name: "a malformed integrationId in a lookup",
    request: () => ({ query: 'query { user(integrationId: "1", userName: "admin") { sysId } }' }),
    code: "BAD_USER_INPUT",
    field: "integrationId",
    message: /UUID/,
  },
  {
    name: "a NUL character in a lookup key",
    request: () => ({
      query: "query ($name: String) { user(userName: $name) { sysId } }",
      variables: { name: "ad\u0000min" },
    }),
    code: "BAD_USER_INPUT",
    field: "userName",
    message: /NUL/,
  },
  {
    name: "a malformed integration id",
    request: () => ({ query: 'query { integration(id: "42") { id } }' }),
    code: "BAD_USER_INPUT",
    field: "id",
    message: /UUID/,
  },
  {
    name: "updates(first: 0)",
    request: () => ({
      query: "query { incidents(first: 1) { nodes { updates(first: 0) { sysId } } } }",
    }),
    code: "BAD_USER_INPUT",
    field: "first",
    message: /between 1 and 100/,
  },
  {
    name: "updates(first: 101)",
    request: () => ({
      query: "query { changeRequests(first: 1) { nodes { updates(first: 101) { sysId } } } }",
    }),
    code: "BAD_USER_INPUT",
    field: "first",
    message: /between 1 and 100/,
  },
  {
    name: "updates with an unknown element",
    request: () => ({
      query: 'query { incidents(first: 1) { nodes { updates(element: "work_notez") { sysId } } } }',
    }),
    code: "BAD_USER_INPUT",
    field: "element",
    message: /comments or work_notes/,
  },
  {
    name: "a query nested too deep",
    request: () => ({
      query:
        "query { users(first: 1) { nodes { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }",
    }),
    code: "QUERY_TOO_DEEP",
    message: /levels deep; the limit is 10/,
  },
];

describe("bad input: clear errors with codes, never a 500", () => {
  let gateway: TestGateway;
  let context: CursorContext;

  beforeAll(async () => {
    gateway = await startTestGateway();
    await seedDataset(gateway.gateway.dataSource, { incidents: 30, changeRequests: 6 });
    const { body } = await gateway.graphql<{
      incidents: { pageInfo: { endCursor: string } };
      changeRequests: { pageInfo: { endCursor: string } };
    }>(
      "query { incidents(first: 5) { pageInfo { endCursor } } changeRequests(first: 2) { pageInfo { endCursor } } }",
    );
    const incidentCursor = body.data!.incidents.pageInfo.endCursor;
    const [, values, id] = JSON.parse(
      Buffer.from(incidentCursor, "base64url").toString("utf8"),
    ) as [string, unknown[], number];
    context = {
      incidentCursor,
      changeCursor: body.data!.changeRequests.pageInfo.endCursor,
      values,
      id,
    };
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("accepts the cursors it issued, and the same content re-encoded (the control for the cases below)", async () => {
    const issued = await gateway.graphql(INCIDENTS, { first: 5, after: context.incidentCursor });
    expect(issued.body.errors).toBeUndefined();
    const reencoded = await gateway.graphql(INCIDENTS, {
      first: 5,
      after: cursor(context.values, context.id),
    });
    expect(reencoded.body.errors).toBeUndefined();
    expect(reencoded.body.data).toEqual(issued.body.data);
  });

  it.each(CASES)("answers $name with a coded error naming the argument", async (testCase) => {
    const { query = INCIDENTS, variables = {} } = testCase.request(context);
    const { status, body } = await gateway.graphql(query, variables);
    expect(status).toBeLessThan(500);
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors!;
    expect(error.extensions?.code).toBe(testCase.code);
    expect(error.message).toMatch(testCase.message);
    if (testCase.field !== undefined) {
      expect(error.extensions?.field).toBe(testCase.field);
    }
    expect(body.data?.incidents ?? null).toBeNull();
  });
});

describe("errors in production mode", () => {
  let production: TestGateway;

  beforeAll(async () => {
    production = await startTestGateway({ env: { NODE_ENV: "production" } });
    await seedDataset(production.gateway.dataSource, { incidents: 12, changeRequests: 3 });
  });

  afterAll(async () => {
    await production?.stop();
  });

  const requests: Array<{
    name: string;
    query: string;
    variables?: Record<string, unknown>;
    token?: string | null;
  }> = [
    { name: "bad input from a resolver", query: INCIDENTS, variables: { first: 0 } },
    { name: "a bad cursor", query: INCIDENTS, variables: { after: "nope" } },
    {
      name: "an unknown enum literal",
      query: "query { incidents(orderBy: [{ field: X }]) { totalCount } }",
    },
    {
      name: "an unknown enum in a variable",
      query: INCIDENTS,
      variables: { filter: { state: ["X"] } },
    },
    { name: "a syntax error", query: "query { incidents( { totalCount } }" },
    { name: "an unknown field", query: "query { incidents { nope } }" },
    { name: "a missing token", query: "query { integrations { id } }", token: null },
    {
      name: "a wrong token",
      query: "query { integrations { id } }",
      token: "wrong-token-0123456789",
    },
  ];

  it.each(requests)("returns no stacktrace for $name", async ({ query, variables, token }) => {
    const { status, body } = await production.graphql(
      query,
      variables,
      token === undefined ? {} : { token },
    );
    expect(status).toBeLessThan(500);
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(typeof error.extensions?.code).toBe("string");
      expect(error.extensions).not.toHaveProperty("stacktrace");
    }
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
  });

  it("hides an unexpected failure behind a generic message with no stacktrace", async () => {
    await production.gateway.dataSource.query("DROP TABLE journal_entry");
    const { status, body } = await production.graphql(
      "query { incidents(first: 3) { nodes { sysId updates { sysId } } } }",
    );
    expect(status).toBe(200);
    expect(body.errors?.length).toBeGreaterThan(0);
    for (const error of body.errors!) {
      expect(error.message).toBe("Internal server error");
      expect(error.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    }
    expect(JSON.stringify(body)).not.toMatch(/journal_entry|stacktrace|SELECT/i);
  });
});

describe("integrationId on every list query", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it.each(["incidents", "changeRequests", "users", "syncRuns"])(
    "answers BAD_USER_INPUT naming integrationId for a malformed one on %s",
    async (field) => {
      const { body } = await gateway.graphql(
        `query ($id: ID) { ${field}(integrationId: $id) { totalCount } }`,
        { id: `${INTEGRATION_IDS[0]}x` },
      );
      expect(body.errors?.[0].extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "integrationId",
      });
    },
  );
});
