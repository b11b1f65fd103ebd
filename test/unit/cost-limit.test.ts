import "reflect-metadata";

import { type GraphQLSchema, Kind, type OperationDefinitionNode, parse } from "graphql";

import { operationCost } from "../../src/graphql/cost-limit.plugin";
import { buildGatewaySchema } from "../../src/graphql/schema";
import { startTestGateway } from "../support/test-gateway";

describe("operationCost", () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const cost = (source: string, variables: Record<string, unknown> = {}) => {
    const document = parse(source);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    )!;
    return operationCost(schema, document, operation, variables);
  };

  it("grows with first, linearly", () => {
    const small = cost("{ incidents(first: 10) { edges { node { number } } } }");
    const large = cost("{ incidents(first: 100) { edges { node { number } } } }");
    expect(large).toBe(small * 10);
  });

  it("reads first from variables and falls back to the default page size", () => {
    const fromVariable = cost("query($n: Int) { incidents(first: $n) { nodes { number } } }", {
      n: 50,
    });
    const byDefault = cost("{ incidents { nodes { number } } }");
    expect(fromVariable).toBe(byDefault);
  });

  it("multiplies nested lists: updates(first) under each incident", () => {
    const withoutUpdates = cost("{ incidents(first: 50) { nodes { number } } }");
    const withUpdates = cost(
      "{ incidents(first: 50) { nodes { number updates(first: 5) { value } } } }",
    );
    expect(withUpdates - withoutUpdates).toBe(50 * 5);
  });

  it("counts fragments like inline selections", () => {
    const inline = cost("{ incidents(first: 20) { nodes { number assignedTo { name } } } }");
    const spread = cost(
      "fragment F on Incident { number assignedTo { name } } { incidents(first: 20) { nodes { ...F } } }",
    );
    expect(spread).toBe(inline);
  });
});

describe("cost limit over HTTP", () => {
  it("refuses a query above GRAPHQL_MAX_COST with QUERY_TOO_COSTLY (HTTP 200 as application/json)", async () => {
    const gateway = await startTestGateway({ env: { GRAPHQL_MAX_COST: "1000" } });
    try {
      const cheap = await gateway.graphql("{ incidents(first: 10) { nodes { number } } }");
      expect(cheap.body.errors).toBeUndefined();
      const costly = await gateway.graphql(
        "{ incidents(first: 500) { nodes { number updates(first: 100) { value } } } }",
      );
      // GraphQL over HTTP: 400 only for application/graphql-response+json (graphql-over-http.test.ts).
      expect(costly.status).toBe(200);
      expect(costly.body.errors?.[0].extensions).toMatchObject({
        code: "QUERY_TOO_COSTLY",
        maxCost: 1000,
      });
    } finally {
      await gateway.stop();
    }
  });
});
