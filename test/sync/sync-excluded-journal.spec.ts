import { JournalEntry } from "../../src/modules/journal-entries/journal-entry.entity";
import { createSimulator, type SimRequestLogEntry } from "../../src/simulator";
import {
  parity,
  parityProblems,
  startSyncHarness,
  steppedClock,
  type SyncHarness,
  tableCounts,
} from "../support/sync-harness";

/** The exclusion the vendor guide recommends: summary, description and comments. */
const EXCLUDED = [
  { table: "incident", fields: ["comments", "description", "short_description"] },
  { table: "change_request", fields: ["work_notes"] },
  // Problems keep no journal here: the incident and change cases are the ones under test.
  { table: "problem", fields: ["comments", "work_notes"] },
];
const NO_PROBLEM_JOURNAL = EXCLUDED[2]!;

const requestedFields = (entry: SimRequestLogEntry): string[] =>
  (entry.query.sysparm_fields ?? "").split(",");

/** Every (table, element) pair an encoded `sys_journal_field` query can match. */
const requestedElements = (entry: SimRequestLogEntry): string[] =>
  (entry.query.sysparm_query ?? "").split("^NQ").flatMap((group) => {
    const list = (field: string) =>
      new RegExp(`(?:^|\\^)${field}IN([^^]+)`).exec(group)?.[1].split(",") ?? ["*"];
    return list("name").flatMap((table) => list("element").map((element) => `${table}.${element}`));
  });

interface Updates {
  incidents: { edges: Array<{ node: { sysId: string; updates: Array<{ element: string }> } }> };
  changeRequests: {
    edges: Array<{ node: { sysId: string; updates: Array<{ element: string }> } }>;
  };
}

const UPDATES_QUERY = `query($id: ID!) {
  incidents(integrationId: $id, first: 200) { edges { node { sysId updates(first: 20) { element } } } }
  changeRequests(integrationId: $id, first: 200) { edges { node { sysId updates(first: 20) { element } } } }
}`;

describe("sync with excluded comments and work notes", () => {
  let harness: SyncHarness;
  let clock: ReturnType<typeof steppedClock>;

  const journalRequests = () =>
    harness.simulator.requestLog.filter((entry) => entry.table === "sys_journal_field");
  const stored = async (table: string, element: string) =>
    harness.gateway.gateway.dataSource
      .getRepository(JournalEntry)
      .countBy({ integrationId: harness.integrationId, tableName: table, element });
  const simulated = (table: string, element: string) =>
    harness.simulator
      .all("sys_journal_field")
      .filter((entry) => entry.name === table && entry.element === element).length;
  const servedElements = async (): Promise<{ incident: string[]; change: string[] }> => {
    const response = await harness.gateway.graphql<Updates>(UPDATES_QUERY, {
      id: harness.integrationId,
    });
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data!;
    return {
      incident: data.incidents.edges.flatMap((edge) => edge.node.updates.map((u) => u.element)),
      change: data.changeRequests.edges.flatMap((edge) => edge.node.updates.map((u) => u.element)),
    };
  };
  const setExcluded = async (excludedFields: typeof EXCLUDED) => {
    const updated = await harness.gateway.graphql(
      `mutation($id: ID!, $input: UpdateIntegrationInput!) {
        updateIntegration(id: $id, input: $input) { id }
      }`,
      { id: harness.integrationId, input: { excludedFields } },
    );
    expect(updated.body.errors).toBeUndefined();
  };

  beforeAll(async () => {
    const simulator = createSimulator();
    clock = steppedClock(simulator);
    harness = await startSyncHarness({
      simulator,
      dataset: {
        seed: 131,
        groups: 3,
        users: 20,
        incidents: 120,
        changes: 30,
        approvalsPerChange: 1,
        journalPerRecord: 4,
      },
      excludedFields: EXCLUDED,
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("never requests, stores or serves excluded journal fields while keeping the others", async () => {
    for (const [table, element] of [
      ["incident", "comments"],
      ["incident", "work_notes"],
      ["change_request", "comments"],
      ["change_request", "work_notes"],
    ]) {
      expect(simulated(table, element)).toBeGreaterThan(10);
    }
    harness.simulator.clearRequestLog();

    const run = await harness.sync(true);

    expect(run.status).toBe("SUCCEEDED");
    expect(journalRequests().length).toBeGreaterThan(0);
    for (const entry of journalRequests()) {
      expect(new Set(requestedElements(entry))).toEqual(
        new Set(["incident.work_notes", "change_request.comments"]),
      );
    }
    // Nor do the records carry their journal fields (the latest entries as display text).
    for (const entry of harness.simulator.requestLog.filter((e) => e.table !== null)) {
      if (entry.table === "incident" || entry.table === "change_request") {
        expect(requestedFields(entry)).not.toContain("comments");
        expect(requestedFields(entry)).not.toContain("work_notes");
      }
    }
    expect(await stored("incident", "comments")).toBe(0);
    expect(await stored("change_request", "work_notes")).toBe(0);
    expect(await stored("incident", "work_notes")).toBe(simulated("incident", "work_notes"));
    expect(await stored("change_request", "comments")).toBe(
      simulated("change_request", "comments"),
    );
    expect(tableCounts(run, "sys_journal_field").fetched).toBe(
      simulated("incident", "work_notes") + simulated("change_request", "comments"),
    );
    const served = await servedElements();
    expect(served.incident.length).toBe(simulated("incident", "work_notes"));
    expect(new Set(served.incident)).toEqual(new Set(["work_notes"]));
    expect(new Set(served.change)).toEqual(new Set(["comments"]));
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("purges a journal field excluded later at once, in the same update", async () => {
    expect(await stored("incident", "work_notes")).toBeGreaterThan(10);

    await setExcluded([
      { table: "incident", fields: ["comments", "description", "short_description", "work_notes"] },
      { table: "change_request", fields: ["work_notes"] },
      NO_PROBLEM_JOURNAL,
    ]);

    // Before any sync: nothing of it is left, and nothing of it is served.
    expect(await stored("incident", "work_notes")).toBe(0);
    expect(await stored("change_request", "comments")).toBe(
      simulated("change_request", "comments"),
    );
    expect((await servedElements()).incident).toEqual([]);

    harness.simulator.clearRequestLog();
    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    for (const entry of journalRequests()) {
      expect(new Set(requestedElements(entry))).toEqual(new Set(["change_request.comments"]));
    }
    expect(await stored("incident", "work_notes")).toBe(0);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("re-reads the entries of a journal field included again on the next run", async () => {
    clock.advance();
    const incident = harness.simulator.all("incident")[0];
    harness.simulator.insert("sys_journal_field", {
      element_id: incident.sys_id,
      name: "incident",
      element: "comments",
      value: "written while excluded",
    });

    await setExcluded([{ table: "change_request", fields: ["work_notes"] }, NO_PROBLEM_JOURNAL]);
    const run = await harness.sync();

    expect(run.status).toBe("SUCCEEDED");
    expect(await stored("incident", "comments")).toBe(simulated("incident", "comments"));
    expect(await stored("incident", "work_notes")).toBe(simulated("incident", "work_notes"));
    expect(await stored("change_request", "work_notes")).toBe(0);
    expect(new Set((await servedElements()).incident)).toEqual(new Set(["comments", "work_notes"]));
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("reads no journal entry when every journal field of every table is excluded", async () => {
    await setExcluded([
      { table: "incident", fields: ["comments", "work_notes"] },
      { table: "change_request", fields: ["comments", "work_notes"] },
      NO_PROBLEM_JOURNAL,
    ]);
    expect(
      await harness.gateway.gateway.dataSource
        .getRepository(JournalEntry)
        .countBy({ integrationId: harness.integrationId }),
    ).toBe(0);
    harness.simulator.clearRequestLog();

    const run = await harness.sync(true);

    expect(run.status).toBe("SUCCEEDED");
    expect(journalRequests()).toEqual([]);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });
});
