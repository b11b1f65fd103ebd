import { seedDataset } from "../support/seed";
import { StatementCounter } from "../support/statement-counter";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const FRONTEND_QUERY = (withTotal: boolean) => `
  query Frontend($first: Int) {
    incidents(first: $first) {
      ${withTotal ? "totalCount" : ""}
      edges {
        cursor
        node {
          number
          assignedTo { name }
          assignmentGroup { name }
          approvals { state approver { name } }
          updates(first: 5) { element value }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface FrontendPage {
  incidents: {
    totalCount?: number;
    edges: Array<{
      node: {
        assignedTo: { name: string | null } | null;
        assignmentGroup: { name: string | null } | null;
        approvals: Array<{ approver: { name: string | null } | null }>;
        updates: unknown[];
      };
    }>;
  };
}

describe("statements per request: to-ones joined, to-manys batched per level", () => {
  const counter = new StatementCounter();
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ sqlLogger: counter });
    counter.attach(gateway.gateway.readPlans?.executor.log);
    // Every incident has an assignee, a group, approvals and updates, so every relation loads.
    await seedDataset(gateway.gateway.dataSource, {
      incidents: 600,
      changeRequests: 30,
      usersPerIntegration: 80,
      everyIncidentRelated: true,
      journalPerRecordMax: 7,
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function statementsFor(first: number, withTotal: boolean): Promise<number> {
    counter.reset();
    const { body } = await gateway.graphql<FrontendPage>(FRONTEND_QUERY(withTotal), { first });
    const count = counter.count;
    expect(body.errors).toBeUndefined();
    const edges = body.data!.incidents.edges;
    // The relations really were resolved, for every row of the page.
    expect(edges).toHaveLength(first);
    for (const { node } of edges) {
      expect(node.assignedTo).not.toBeNull();
      expect(node.assignmentGroup).not.toBeNull();
      expect(node.approvals.length).toBeGreaterThan(0);
      expect(node.approvals.every((approval) => approval.approver !== null)).toBe(true);
      expect(node.updates.length).toBeGreaterThan(0);
      expect(node.updates.length).toBeLessThanOrEqual(5);
    }
    if (withTotal) {
      expect(body.data!.incidents.totalCount).toBe(600);
    }
    return count;
  }

  it.each([false, true])(
    "issues the same small number of statements for 5 and 500 incidents (totalCount: %s)",
    async (withTotal) => {
      const small = await statementsFor(5, withTotal);
      const large = await statementsFor(500, withTotal);
      expect(large).toBe(small);
      expect(small).toBeLessThanOrEqual(8);
    },
  );

  it("counts totalCount as exactly one more statement", async () => {
    expect(await statementsFor(50, true)).toBe((await statementsFor(50, false)) + 1);
  });

  it("issues at most 5 statements for the design's frontend query (assignee, group, 5 latest updates)", async () => {
    const query = `query ($first: Int) {
      incidents(first: $first) {
        nodes { number assignedTo { name } assignmentGroup { name } updates(first: 5) { value } }
      }
    }`;
    const counts: number[] = [];
    for (const first of [1, 50, 500]) {
      counter.reset();
      const { body } = await gateway.graphql(query, { first });
      expect(body.errors).toBeUndefined();
      counts.push(counter.count);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });

  it("counts SELECTs only: reading never writes", async () => {
    counter.reset();
    await gateway.graphql(FRONTEND_QUERY(true), { first: 100 });
    expect(counter.statements.length).toBeGreaterThan(0);
    for (const statement of counter.statements) {
      expect(statement.trim()).toMatch(/^(SELECT|WITH)\b/i);
    }
  });
});
