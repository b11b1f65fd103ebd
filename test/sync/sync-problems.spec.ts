import { createSimulator } from "../../src/simulator";
import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

interface ProblemNode {
  sysId: string;
  number: string;
  state: string | null;
  stateValue: string | null;
  stateLabel: string | null;
  knownError: boolean | null;
  openedAt: string | null;
  assignmentGroup: { sysId: string } | null;
  incidents: Array<{ sysId: string; number: string; problem: { sysId: string } | null }>;
}

const PROBLEM_FIELDS = `sysId number state stateValue stateLabel knownError openedAt
  assignmentGroup { sysId }
  incidents { sysId number problem { sysId } }`;

describe("problem table: synced, served, filtered and related like incidents", () => {
  let harness: SyncHarness;
  /** Problem sys_id → the incidents linked to it on the instance. */
  const linked = new Map<string, string[]>();

  beforeAll(async () => {
    const simulator = createSimulator();
    simulator.generate({
      seed: 11,
      incidents: 60,
      changes: 10,
      users: 20,
      groups: 4,
      records: { problem: 12 },
    });
    // Link every third incident to a problem, as a problem manager would (the generator links
    // some already).
    const problems = simulator.all("problem");
    simulator.all("incident").forEach((incident, index) => {
      if (index % 3 === 0) {
        const problem = problems[index % problems.length]!;
        simulator.update("incident", incident.sys_id, { problem_id: problem.sys_id });
      }
    });
    for (const incident of simulator.all("incident")) {
      if (incident.problem_id) {
        linked.set(incident.problem_id, [
          ...(linked.get(incident.problem_id) ?? []),
          incident.sys_id,
        ]);
      }
    }
    harness = await startSyncHarness({ simulator });
    await harness.sync(true);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const graphql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    harness.gateway.graphql<T>(query, { id: harness.integrationId, ...variables });

  it("syncs every problem exactly, and incidents' problem_id into problemSysId", async () => {
    expect(harness.simulator.all("problem").length).toBeGreaterThan(0);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("lists problems newest opened first with their state as an enum, raw value and label", async () => {
    const { body } = await graphql<{ problems: { totalCount: number; nodes: ProblemNode[] } }>(
      `query($id: ID!) { problems(integrationId: $id, first: 500) { totalCount nodes { ${PROBLEM_FIELDS} } } }`,
    );
    expect(body.errors).toBeUndefined();
    const { nodes, totalCount } = body.data!.problems;
    expect(totalCount).toBe(harness.simulator.all("problem").length);
    // NULLs sort as each database does by default: last on SQLite, first on PostgreSQL.
    const opened = nodes.map((node) => node.openedAt).filter((at): at is string => at !== null);
    expect(opened).toEqual([...opened].sort().reverse());
    const nullAt = nodes.flatMap((node, index) => (node.openedAt === null ? [index] : []));
    const nullsFirst = nullAt.every((index, position) => index === position);
    const nullsLast = nullAt.every(
      (index, position) => index === nodes.length - nullAt.length + position,
    );
    expect(nullsFirst || nullsLast).toBe(true);
    const known: Record<string, string> = {
      "101": "NEW",
      "102": "ASSESS",
      "103": "ROOT_CAUSE_ANALYSIS",
      "104": "FIX_IN_PROGRESS",
      "106": "RESOLVED",
      "107": "CLOSED",
    };
    for (const node of nodes) {
      expect(node.number).toMatch(/^PRB\d+$/);
      expect(node.state).toBe(node.stateValue === null ? null : (known[node.stateValue] ?? null));
    }
  });

  it("filters problems by state and known error, and finds one by number", async () => {
    const all = harness.simulator.all("problem");
    const sample = all[0]!;
    const { body } = await graphql<{
      byState: { nodes: Array<{ sysId: string }> };
      knownErrors: { nodes: Array<{ knownError: boolean }> };
      one: { sysId: string } | null;
    }>(
      `
        query ($id: ID!, $states: [String!], $number: String) {
          byState: problems(integrationId: $id, first: 500, filter: { stateValue: $states }) {
            nodes {
              sysId
            }
          }
          knownErrors: problems(integrationId: $id, first: 500, filter: { knownError: true }) {
            nodes {
              knownError
            }
          }
          one: problem(integrationId: $id, number: $number) {
            sysId
          }
        }
      `,
      { states: [sample.state], number: sample.number },
    );
    expect(body.errors).toBeUndefined();
    const data = body.data!;
    expect(data.byState.nodes.length).toBeGreaterThan(0);
    expect(data.byState.nodes.map((node) => node.sysId).sort()).toEqual(
      all
        .filter((record) => record.state === sample.state)
        .map((record) => record.sys_id)
        .sort(),
    );
    expect(data.knownErrors.nodes.length).toBe(
      all.filter((record) => record.known_error === "true").length,
    );
    expect(data.knownErrors.nodes.length).toBeGreaterThan(0);
    expect(data.knownErrors.nodes.every((node) => node.knownError)).toBe(true);
    expect(data.one?.sysId).toBe(sample.sys_id);
  });

  it("relates problems to their incidents both ways", async () => {
    const { body } = await graphql<{ problems: { nodes: ProblemNode[] } }>(
      `query($id: ID!) { problems(integrationId: $id, first: 500) { nodes { ${PROBLEM_FIELDS} } } }`,
    );
    expect(body.errors).toBeUndefined();
    const served = new Map(
      body.data!.problems.nodes.map((node) => [
        node.sysId,
        node.incidents.map((incident) => incident.sysId).sort(),
      ]),
    );
    for (const [problem, incidents] of linked) {
      expect(served.get(problem)).toEqual([...incidents].sort());
    }
    for (const node of body.data!.problems.nodes) {
      for (const incident of node.incidents) {
        expect(incident.problem?.sysId).toBe(node.sysId);
      }
    }
  });

  it("filters incidents by their problem", async () => {
    const [problem, incidents] = [...linked.entries()][0]!;
    const { body } = await graphql<{ incidents: { nodes: Array<{ sysId: string }> } }>(
      `
        query ($id: ID!, $problem: [String!]) {
          incidents(integrationId: $id, first: 500, filter: { problemSysId: $problem }) {
            nodes {
              sysId
            }
          }
        }
      `,
      { problem: [problem] },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.incidents.nodes.map((node) => node.sysId).sort()).toEqual(
      [...incidents].sort(),
    );
  });
});
