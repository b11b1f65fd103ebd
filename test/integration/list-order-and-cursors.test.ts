import { type ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { CHANGE_REQUEST_STATE_VALUES } from "../../src/modules/change-requests/change-request.table";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { INCIDENT_STATE_VALUES } from "../../src/modules/incidents/incident.table";
import { walkPages } from "../support/connection";
import { type DatabaseKind, databaseKindOf, recordKey, sortRows } from "../support/expected-order";
import { seedDataset, type SeededData, sysIdOf } from "../support/seed";
import { type GraphQLBody, startTestGateway, type TestGateway } from "../support/test-gateway";

/**
 * What a list promises about its order and its cursors, on both read paths (read plans and
 * services): STATE sorts by the table's workflow, text by binary collation whatever the
 * server's locale, and a cursor only continues the request it was issued for.
 */

const INCIDENTS = `
  query Incidents($first: Int, $after: String, $integrationId: ID, $filter: IncidentFilter, $orderBy: [IncidentOrder!]) {
    incidents(first: $first, after: $after, integrationId: $integrationId, filter: $filter, orderBy: $orderBy) {
      edges { cursor node { integrationId sysId number stateValue } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const CHANGES = `
  query Changes($first: Int, $after: String, $orderBy: [ChangeRequestOrder!]) {
    changeRequests(first: $first, after: $after, orderBy: $orderBy) {
      edges { cursor node { integrationId sysId stateValue } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const SYNC_RUNS = `
  query Runs($first: Int, $after: String, $integrationId: ID) {
    syncRuns(first: $first, after: $after, integrationId: $integrationId) {
      pageInfo { endCursor hasNextPage }
    }
  }
`;

interface Row {
  readonly integrationId: string;
  readonly sysId: string;
  readonly number?: string | null;
  readonly stateValue: string | null;
}

interface Page {
  readonly edges: { cursor: string; node: Row }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Mixed case, accents, underscore and punctuation: a locale would sort them otherwise. */
const TEXT_NUMBERS = [
  "inc_b",
  "INC_a",
  "Inc-é",
  "INCZ",
  "incz",
  "ÉCLAIR",
  "éclair",
  "eclair",
  "Zulu",
  "_x",
  "a b",
  "ab",
  "Ω-omega",
];

/** By bytes of UTF-8, which is code point order: what "C" and BINARY compare. */
const binaryCompare = (a: string, b: string): number =>
  Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** The workflow rank of a raw state, unknown ones after the known (test's own model). */
function rankOf(workflow: readonly string[], value: string | null): number | null {
  if (value === null) {
    return null;
  }
  const index = workflow.indexOf(value);
  return index === -1 ? workflow.length : index;
}

function errorOf(body: GraphQLBody<unknown>) {
  expect(body.errors).toHaveLength(1);
  return body.errors![0];
}

describe.each([
  ["read plans", true],
  ["services and DataLoaders", false],
])("list order and cursors (%s)", (_name, readPlans) => {
  let gateway: TestGateway;
  let data: SeededData;
  let kind: DatabaseKind;
  let incidents: Incident[];

  beforeAll(async () => {
    gateway = await startTestGateway({ readPlans });
    data = await seedDataset(gateway.gateway.dataSource, {
      incidents: 240,
      changeRequests: 90,
      seed: 11,
    });
    kind = databaseKindOf(gateway.gateway.dataSource);
    const repository = gateway.gateway.dataSource.getRepository(Incident);
    const template = data.incidents[0];
    const { id: _id, ...fields } = template;
    const extra = await repository.save(
      [...TEXT_NUMBERS, "INC-NULL-1", "INC-NULL-2"].map((number, index) =>
        repository.create({
          ...fields,
          sysId: sysIdOf("incident", "order-test", index),
          number,
          shortDescription: number.startsWith("INC-NULL") ? "no state" : `binary order ${number}`,
          stateValue: number.startsWith("INC-NULL") ? null : fields.stateValue,
        }),
      ),
    );
    incidents = [...data.incidents, ...extra];
    if (kind === "postgres") {
      // A column under a locale's collation: the list must still sort it by bytes.
      await gateway.gateway.dataSource.query(
        `ALTER TABLE "incident" ALTER COLUMN "number" TYPE varchar(40) COLLATE "en-x-icu"`,
      );
    }
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  describe("STATE follows the workflow", () => {
    const incidentWorkflow = Object.values(INCIDENT_STATE_VALUES);

    it.each(["ASC", "DESC"] as const)(
      "pages through incidents by STATE %s in workflow order (custom states after), each row once",
      async (direction) => {
        const pages = await walkPages<Row>(
          gateway,
          INCIDENTS,
          "incidents",
          { orderBy: [{ field: "STATE", direction }] },
          { first: 23 },
        );
        const walked = pages.flatMap((page) => page.edges.map((edge) => edge.node));
        expect(walked).toHaveLength(incidents.length);
        expect(new Set(walked.map(recordKey)).size).toBe(incidents.length);
        const expected = sortRows(
          incidents,
          [
            { value: (row) => rankOf(incidentWorkflow, row.stateValue), direction },
            { value: (row) => row.stateValue, direction },
          ],
          kind,
        );
        expect(walked.map(recordKey)).toEqual(expected.map(recordKey));
        const states = [...new Set(walked.map((row) => row.stateValue))];
        const known = ["1", "2", "3", "6", "7", "8", "101"];
        const nullsFirst = (kind === "postgres") === (direction === "DESC");
        const ascending = direction === "ASC" ? known : [...known].reverse();
        expect(states).toEqual(nullsFirst ? [null, ...ascending] : [...ascending, null]);
      },
    );

    it("pages through change requests by STATE ASC: -5, -4, -3, -2, -1, 0, 3, 4, then custom", async () => {
      const pages = await walkPages<Row>(
        gateway,
        CHANGES,
        "changeRequests",
        { orderBy: [{ field: "STATE", direction: "ASC" }] },
        { first: 11 },
      );
      const walked = pages.flatMap((page) => page.edges.map((edge) => edge.node));
      const workflow = Object.values(CHANGE_REQUEST_STATE_VALUES);
      expect(workflow).toEqual(["-5", "-4", "-3", "-2", "-1", "0", "3", "4"]);
      expect(new Set(walked.map(recordKey))).toEqual(
        new Set(data.changeRequests.map((row: ChangeRequest) => recordKey(row))),
      );
      expect(walked).toHaveLength(data.changeRequests.length);
      expect([...new Set(walked.map((row) => row.stateValue))]).toEqual([...workflow, "-40"]);
      const expected = sortRows(
        data.changeRequests,
        [
          { value: (row) => rankOf(workflow, row.stateValue), direction: "ASC" },
          { value: (row) => row.stateValue, direction: "ASC" },
        ],
        kind,
      );
      expect(walked.map(recordKey)).toEqual(expected.map(recordKey));
    });
  });

  describe("text sorts by binary collation", () => {
    it.each(["ASC", "DESC"] as const)(
      "orders numbers with mixed case, accents and underscores by code point, %s, across pages",
      async (direction) => {
        const pages = await walkPages<Row>(
          gateway,
          INCIDENTS,
          "incidents",
          {
            filter: { search: "binary order" },
            orderBy: [{ field: "NUMBER", direction }],
          },
          { first: 4 },
        );
        const walked = pages.flatMap((page) => page.edges.map((edge) => edge.node.number));
        const expected = [...TEXT_NUMBERS].sort(binaryCompare);
        expect(walked).toEqual(direction === "ASC" ? expected : expected.reverse());
      },
    );
  });

  it("has an index serving the binary-collated order on PostgreSQL (users' default order)", async () => {
    if (kind !== "postgres") {
      return;
    }
    const runner = gateway.gateway.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // The test tables are tiny: make the planner show whether an index can serve the order.
      await runner.query("SET LOCAL enable_seqscan = off");
      await runner.query("SET LOCAL enable_sort = off");
      const plan = (await runner.query(
        `EXPLAIN SELECT "t0"."id" FROM "sn_user" "t0" ORDER BY "t0"."name" COLLATE "C" ASC, "t0"."id" ASC LIMIT 21`,
      )) as { "QUERY PLAN": string }[];
      expect(plan.map((line) => line["QUERY PLAN"]).join("\n")).toMatch(/IDX_sn_user_name_c_id/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  describe("cursors are bound to their request", () => {
    const filter = { priority: [2, 1, 3], state: ["NEW", "IN_PROGRESS", "RESOLVED"], active: true };
    const orderBy = [{ field: "NUMBER", direction: "ASC" }];
    let integrationId: string;
    let firstPage: Page;

    beforeAll(async () => {
      integrationId = data.integrations[0].id;
      const { body } = await gateway.graphql<{ incidents: Page }>(INCIDENTS, {
        first: 5,
        integrationId,
        filter,
        orderBy,
      });
      expect(body.errors).toBeUndefined();
      firstPage = body.data!.incidents;
      expect(firstPage.pageInfo.hasNextPage).toBe(true);
    });

    const next = (variables: Record<string, unknown>) =>
      gateway.graphql<{ incidents: Page }>(INCIDENTS, {
        first: 5,
        after: firstPage.pageInfo.endCursor,
        ...variables,
      });

    it("continues with the same filter, its keys and list items in another order", async () => {
      const same = await next({ integrationId, filter, orderBy });
      expect(same.body.errors).toBeUndefined();
      const reordered = await next({
        integrationId,
        orderBy,
        filter: {
          active: true,
          category: null,
          state: ["RESOLVED", "NEW", "IN_PROGRESS", "NEW"],
          priority: [3, 1, 2],
        },
      });
      expect(reordered.body).toEqual(same.body);
      const nodes = same.body.data!.incidents.edges.map((edge) => edge.node);
      expect(nodes).toHaveLength(5);
      expect(nodes.every((node) => node.integrationId === integrationId)).toBe(true);
    });

    it.each<[string, Record<string, unknown>]>([
      ["another filter", { filter: { ...filter, active: false } }],
      ["a filter value added", { filter: { ...filter, priority: [1, 2, 3, 4] } }],
      ["no filter", { filter: null }],
      ["another integrationId", { integrationId: "00000000-0000-4000-8000-000000000000" }],
      ["no integrationId", { integrationId: null }],
    ])("answers BAD_USER_INPUT on after when reused with %s", async (_case, change) => {
      const { status, body } = await next({ integrationId, filter, orderBy, ...change });
      expect(status).toBe(200);
      const error = errorOf(body);
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.field).toBe("after");
      expect(error.message).toBe(
        "The cursor in after was issued for another filter or integrationId; pass the same filter and integrationId as for the page it came from, or restart paging without after.",
      );
    });

    it("answers BAD_USER_INPUT on after when reused with another orderBy", async () => {
      const { body } = await next({
        integrationId,
        filter,
        orderBy: [{ field: "NUMBER", direction: "DESC" }],
      });
      const error = errorOf(body);
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
      expect(error.message).toMatch(/another orderBy/);
    });

    it("treats an omitted filter, an empty one and one of nulls alike", async () => {
      const { body } = await gateway.graphql<{ incidents: Page }>(INCIDENTS, { first: 3 });
      const after = body.data!.incidents.pageInfo.endCursor;
      for (const variant of [{}, { category: null, state: null }]) {
        const page = await gateway.graphql(INCIDENTS, { first: 3, after, filter: variant });
        expect(page.body.errors).toBeUndefined();
      }
    });

    it("refuses a cursor issued before cursors carried a digest, saying so", async () => {
      const old = Buffer.from(JSON.stringify(["openedAt:DESC", [null], 1])).toString("base64url");
      const { body } = await gateway.graphql(INCIDENTS, { first: 3, after: old });
      const error = errorOf(body);
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
      expect(error.message).toMatch(/earlier version of the gateway/);
    });

    it("binds sync runs' cursors to their integrationId too", async () => {
      const [first, second] = data.integrations;
      const page = await gateway.graphql<{
        syncRuns: { pageInfo: { endCursor: string | null; hasNextPage: boolean } };
      }>(SYNC_RUNS, { first: 1, integrationId: first.id });
      expect(page.body.errors).toBeUndefined();
      const after = page.body.data!.syncRuns.pageInfo.endCursor;
      expect(after).not.toBeNull();
      const same = await gateway.graphql(SYNC_RUNS, { first: 1, after, integrationId: first.id });
      expect(same.body.errors).toBeUndefined();
      const other = await gateway.graphql(SYNC_RUNS, { first: 1, after, integrationId: second.id });
      expect(errorOf(other.body).extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "after",
      });
    });
  });
});
