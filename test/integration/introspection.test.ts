import fs from "node:fs";
import path from "node:path";

import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  printSchema,
} from "graphql";

import { MAX_INTROSPECTION_LISTS } from "../../src/graphql/introspection-limit.rule";
import { startTestGateway, type TestGateway, VIEWER_TOKEN } from "../support/test-gateway";

const COMMITTED_SCHEMA = path.resolve(__dirname, "..", "..", "schema.graphql");

/** What Sandbox, GraphiQL, graphql-codegen and rover send, with every option on. */
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

// Tight limits: the full introspection query is 15 levels deep, the limit here is 4.
const MAX_DEPTH = 4;
const MAX_COST = 1000;
/** 5 levels: users › nodes › manager › manager › name. */
const TOO_DEEP = "users(first: 1) { nodes { manager { manager { name } } } }";
/** Estimated 51,000 objects: 500 incidents, each with its nodes entry and 100 updates. */
const TOO_COSTLY = "incidents(first: 500) { nodes { updates(first: 100) { value } } }";

describe("introspection over HTTP", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { GRAPHQL_MAX_DEPTH: String(MAX_DEPTH), GRAPHQL_MAX_COST: String(MAX_COST) },
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("answers graphql-js's full introspection query with exactly the committed schema.graphql", async () => {
    const { status, body } = await gateway.graphql<IntrospectionQuery>(
      FULL_INTROSPECTION,
      {},
      {
        token: VIEWER_TOKEN,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const served = printSchema(buildClientSchema(body.data!));
    const committed = printSchema(buildSchema(fs.readFileSync(COMMITTED_SCHEMA, "utf8")));
    // Same types in the same order, descriptions, deprecations and @specifiedBy included.
    expect(served).toBe(committed);
    expect(served).toContain("@specifiedBy(url:");
    expect(served).toContain('"""A ServiceNow user (table `sys_user`)."""');
  });

  it("rejects introspection nested deeper than graphql-js's MaxIntrospectionDepthRule allows", async () => {
    const { body } = await gateway.graphql(
      "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((error) => error.message)).toEqual([
      "Maximum introspection depth exceeded",
    ]);
    expect(body.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("rejects introspection that repeats the schema's lists through aliases when it exceeds the limit", async () => {
    const copies = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `s${index}: __schema { types { name } }`).join(" ")} }`;
    const atLimit = await gateway.graphql(copies(MAX_INTROSPECTION_LISTS));
    expect(atLimit.body.errors).toBeUndefined();
    const above = await gateway.graphql(copies(MAX_INTROSPECTION_LISTS + 1));
    expect(above.body.data).toBeUndefined();
    expect(above.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/selects 51 lists of the schema; the limit is 50/),
      extensions: { code: "INTROSPECTION_TOO_LARGE" },
    });
  });

  it("serves data and introspection side by side within the limits", async () => {
    const { body } = await gateway.graphql(
      '{ __schema { queryType { name } } __type(name: "User") { fields { name } } users(first: 1) { nodes { manager { name } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      __schema: { queryType: { name: "Query" } },
      __type: { fields: expect.arrayContaining([{ name: "manager" }]) },
      users: { nodes: [] },
    });
  });

  // GHSA-hmfr-rx46-4jx2: limits that skipped anything *named* __schema could be bypassed.
  const depthBypasses: Array<[string, string]> = [
    ["a plain deep query (the control)", `{ ${TOO_DEEP} }`],
    ["an operation named __schema", `query __schema { ${TOO_DEEP} }`],
    ["an operation named __type", `query __type { ${TOO_DEEP} }`],
    [
      "a fragment named __schema",
      "{ users(first: 1) { nodes { ...__schema } } } fragment __schema on User { manager { manager { name } } }",
    ],
    ["a root field aliased __schema", `{ __schema: ${TOO_DEEP} }`],
    [
      "a nested field aliased __type",
      "{ users(first: 1) { nodes { __type: manager { manager { name } } } } }",
    ],
    ["introspection beside the deep query", `{ __schema { queryType { name } } ${TOO_DEEP} }`],
  ];

  it.each(depthBypasses)("rejects %s with QUERY_TOO_DEEP when it is too deep", async (_, query) => {
    const { body } = await gateway.graphql(query);
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(["QUERY_TOO_DEEP"]);
    expect(body.errors?.[0].message).toBe(`Query is 5 levels deep; the limit is ${MAX_DEPTH}.`);
  });

  const costBypasses: Array<[string, string]> = [
    ["a plain costly query (the control)", `{ ${TOO_COSTLY} }`],
    ["an operation named __schema", `query __schema { ${TOO_COSTLY} }`],
    ["a fragment named __schema", `{ ...__schema } fragment __schema on Query { ${TOO_COSTLY} }`],
    ["a root field aliased __schema", `{ __schema: ${TOO_COSTLY} }`],
    ["introspection beside the costly query", `{ __schema { types { name } } ${TOO_COSTLY} }`],
  ];

  it.each(costBypasses)(
    "rejects %s with QUERY_TOO_COSTLY when it is too costly",
    async (_, query) => {
      const { body } = await gateway.graphql(query);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.map((error) => error.extensions?.code)).toEqual(["QUERY_TOO_COSTLY"]);
      expect(body.errors?.[0].extensions).toMatchObject({ cost: 51_000, maxCost: MAX_COST });
    },
  );

  it("answers a query whose fragments each spread the next twice without walking 2^40 paths", async () => {
    // Depth and cost are computed once per fragment; walking every path took 20 s at 24 levels.
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, index) =>
      index === levels - 1
        ? `fragment F${index} on Query { __typename }`
        : `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`,
    );
    const { body } = await gateway.graphql(`{ ...F0 } ${fragments.join(" ")}`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ __typename: "Query" });
  });

  it("accepts a query just within the depth limit (the control for the cases above)", async () => {
    const { body } = await gateway.graphql("{ users(first: 1) { nodes { manager { name } } } }");
    expect(body.errors).toBeUndefined();
  });
});
