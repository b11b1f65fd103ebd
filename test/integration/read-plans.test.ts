import { ReadPlans } from "../../src/database/read/read-plans";
import { seedDataset } from "../support/seed";
import { StatementCounter } from "../support/statement-counter";
import { type GraphQLBody, startTestGateway, type TestGateway } from "../support/test-gateway";

/**
 * The compiled read path against the path it replaces: two gateways on identically seeded
 * databases, one with read plans and one answering through services and DataLoaders, must give
 * the same bodies (data, cursors, errors) for the same requests; and the plans' statements show
 * what a plan reads (selected columns only, joins, per-parent limits, totalCount when asked).
 */

const SEED = {
  incidents: 260,
  changeRequests: 40,
  usersPerIntegration: 25,
  journalPerRecordMax: 6,
  incidentApprovalRatio: 0.4,
  seed: 7,
} as const;

const USER = "integrationId sysId name userName active sysCreatedOn manager { name }";

const INCIDENT_PAGE = `
  query Incidents($first: Int, $after: String, $filter: IncidentFilter, $orderBy: [IncidentOrder!]) {
    incidents(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node {
          integrationId sysId number shortDescription state stateValue stateLabel priority
          priorityLabel impact active openedAt resolvedAt closedAt sysCreatedOn sysUpdatedOn
          businessDurationSeconds attributes
          assignedTo { ${USER} }
          caller { ${USER} }
          assignmentGroup { name active manager { ${USER} } integration { id name } }
          causedBy { number state assignedTo { name } approvals { state } }
          rfc { number }
          approvals { sysId state comments sysCreatedOn approver { ${USER} } }
          updates(first: 3) { sysId element value createdBy sysCreatedOn tableName elementSysId }
          integration { id name lastSyncedAt }
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

/** The same page without a field left to a resolver: answered from the plan alone. */
const INCIDENT_PAGE_PLANNED = INCIDENT_PAGE.replace(
  "integration { id name lastSyncedAt }",
  "",
).replace("integration { id name }", "");

const ROOTS = `
  query Roots($missing: String) {
    __typename
    few: incidents(first: 2) { __typename nodes { __typename number } pageInfo { __typename hasNextPage } }
    people: users(first: 3) { totalCount nodes { name } edges { node { userName } } }
    none: incident(number: $missing) { number }
    change: changeRequest(number: "CHG0030001") { number state }
  }
`;

const CHANGES = `
  query Changes($first: Int, $after: String, $filter: ChangeRequestFilter, $orderBy: [ChangeRequestOrder!]) {
    changeRequests(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      nodes {
        number state type risk plannedStartAt workEndAt closeCode active
        requestedBy { name manager { name manager { name } } }
        approvals { state approver { name } }
        causedIncidents { number openedAt assignedTo { name } updates(first: 1) { value } }
        comments: updates(first: 2, element: "comments") { element value }
        notes: updates(element: "work_notes") { element value }
        updates { sysId }
      }
      pageInfo { endCursor hasNextPage }
      totalCount
    }
  }
`;

const USERS = `
  query Users($first: Int, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      edges { cursor node { ${USER} email title departmentSysId lockedOut timeZone manager { ${USER} } } }
      pageInfo { endCursor hasNextPage }
    }
  }
`;

/** Fragments, inline fragments, aliases, @include/@skip with variables, __typename. */
const FRAGMENTS = `
  fragment Person on User { __typename name who: userName }
  fragment Row on Incident {
    __typename
    number
    ... on Incident { shortDescription }
    lead: assignedTo { ...Person }
    assignedTo @include(if: $withPeople) { ...Person email }
    group: assignmentGroup @skip(if: $withPeople) { name }
    latest: updates(first: $latest) { value }
    oldest: approvals { state }
  }
  query Fragments($first: Int, $withPeople: Boolean!, $latest: Int!) {
    incidents(first: $first) {
      __typename
      edges { __typename cursor node { ...Row } }
      nodes { number lead: assignedTo { name } }
    }
  }
`;

const LOOKUPS = `
  query Lookups($number: String, $sysId: String, $userName: String) {
    incident(number: $number) { number state caller { name } updates(first: 2) { value } approvals { state } }
    changeRequest(sysId: $sysId) { number causedIncidents { number } requestedBy { name } }
    user(userName: $userName) { name manager { name } integration { name } }
  }
`;

interface Request {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

const REQUESTS: Request[] = [
  { name: "incidents: default order", query: INCIDENT_PAGE, variables: { first: 40 } },
  {
    name: "incidents: default order, no resolver fields",
    query: INCIDENT_PAGE_PLANNED,
    variables: { first: 40 },
  },
  {
    name: "incidents: filters and order, no resolver fields",
    query: INCIDENT_PAGE_PLANNED,
    variables: {
      first: 20,
      filter: { state: ["CLOSED", "CANCELED"], active: false, search: "o" },
      orderBy: [{ field: "CLOSED_AT", direction: "DESC" }],
    },
  },
  { name: "several root fields, __typename", query: ROOTS, variables: { missing: "INC-none" } },
  {
    name: "incidents: priority ASC, resolvedAt DESC (NULLs)",
    query: INCIDENT_PAGE,
    variables: {
      first: 30,
      orderBy: [
        { field: "PRIORITY", direction: "ASC" },
        { field: "RESOLVED_AT", direction: "DESC" },
      ],
    },
  },
  {
    name: "incidents: filters",
    query: INCIDENT_PAGE,
    variables: {
      first: 25,
      filter: {
        state: ["NEW", "IN_PROGRESS", "RESOLVED"],
        priority: [1, 2, 3],
        active: true,
        openedAt: { from: "2024-01-02T00:00:00.000Z", to: "2024-12-01T00:00:00.000Z" },
        search: "c",
      },
      orderBy: [{ field: "NUMBER", direction: "DESC" }],
    },
  },
  {
    name: "incidents: an empty list filter",
    query: INCIDENT_PAGE,
    variables: { filter: { category: [] } },
  },
  {
    name: "incidents: bad arguments",
    query: INCIDENT_PAGE,
    variables: { filter: { assignedToSysId: ["nope"] } },
  },
  {
    name: "incidents: orderBy twice",
    query: INCIDENT_PAGE,
    variables: {
      orderBy: [
        { field: "NUMBER", direction: "DESC" },
        { field: "NUMBER", direction: "ASC" },
      ],
    },
  },
  {
    name: "incidents: a cursor of another ordering",
    query: INCIDENT_PAGE,
    variables: {
      after: Buffer.from(
        JSON.stringify(["number:DESC", ["INC0000001"], 1, "abcdefghijkl"]),
      ).toString("base64url"),
    },
  },
  {
    name: "incidents: a cursor of another filter",
    query: INCIDENT_PAGE,
    variables: {
      after: Buffer.from(JSON.stringify(["openedAt:DESC", [null], 1, "abcdefghijkl"])).toString(
        "base64url",
      ),
    },
  },
  {
    name: "incidents: a cursor without a digest (issued before cursors carried one)",
    query: INCIDENT_PAGE,
    variables: {
      after: Buffer.from(JSON.stringify(["openedAt:DESC", [null], 1])).toString("base64url"),
    },
  },
  {
    name: "incidents: STATE ASC (workflow order, custom states after), then NUMBER",
    query: INCIDENT_PAGE_PLANNED,
    variables: {
      first: 60,
      orderBy: [
        { field: "STATE", direction: "ASC" },
        { field: "NUMBER", direction: "DESC" },
      ],
    },
  },
  {
    name: "change requests: STATE DESC",
    query: CHANGES,
    variables: { first: 25, orderBy: [{ field: "STATE", direction: "DESC" }] },
  },
  { name: "change requests", query: CHANGES, variables: { first: 20 } },
  {
    name: "change requests: filtered by state and planned start",
    query: CHANGES,
    variables: {
      filter: { state: ["NEW", "CLOSED"], plannedStartAt: { from: "2024-01-01T00:00:00.000Z" } },
      orderBy: [{ field: "PLANNED_START", direction: "ASC" }],
    },
  },
  { name: "users", query: USERS, variables: { first: 30 } },
  {
    // A table added after the read path: planned from its descriptor like the others.
    name: "problems, and the incidents' problem",
    query: `query {
      problems(first: 5) { totalCount nodes { number state knownError incidents { number } } }
      incidents(first: 30, filter: { state: [NEW, CLOSED] }) {
        nodes { number problemSysId problem { number state assignedTo { name } } }
      }
    }`,
  },
  { name: "users: filtered", query: USERS, variables: { filter: { active: true, search: "a" } } },
  {
    name: "fragments, aliases, @include",
    query: FRAGMENTS,
    variables: { first: 12, withPeople: true, latest: 2 },
  },
  {
    name: "fragments, aliases, @skip",
    query: FRAGMENTS,
    variables: { first: 12, withPeople: false, latest: 4 },
  },
  {
    name: "bad updates arguments answer per row",
    query: "query { incidents(first: 3) { nodes { number updates(first: 0) { value } } } }",
  },
];

/** Stack traces name the code that threw, which differs by path; everything else must not. */
function comparable(body: GraphQLBody<unknown>): unknown {
  return JSON.parse(
    JSON.stringify(body, (key, value: unknown) => (key === "stacktrace" ? undefined : value)),
  );
}

describe("read plans answer exactly as services and DataLoaders do", () => {
  const counter = new StatementCounter();
  let plans: TestGateway;
  let loaders: TestGateway;
  let numbers: { incident: string; changeSysId: string };

  beforeAll(async () => {
    [plans, loaders] = await Promise.all([
      startTestGateway({ sqlLogger: counter }),
      startTestGateway({ readPlans: false }),
    ]);
    counter.attach(plans.gateway.readPlans?.executor.log);
    const [seeded] = await Promise.all([
      seedDataset(plans.gateway.dataSource, SEED),
      seedDataset(loaders.gateway.dataSource, SEED),
    ]);
    numbers = {
      incident: seeded.incidents.find(
        (row) =>
          row.number !== null &&
          seeded.incidents.filter((other) => other.number === row.number).length === 1,
      )!.number!,
      changeSysId: seeded.changeRequests[3].sysId,
    };
  });

  afterAll(async () => {
    await Promise.all([plans?.stop(), loaders?.stop()]);
  });

  async function both(query: string, variables: Record<string, unknown> = {}) {
    const [planned, loaded] = await Promise.all([
      plans.graphql(query, variables),
      loaders.graphql(query, variables),
    ]);
    return { planned: planned.body, loaded: loaded.body };
  }

  it("uses the read plans on one gateway and not on the other", () => {
    expect(plans.gateway.readPlans).not.toBeNull();
    expect(loaders.gateway.readPlans).toBeNull();
  });

  it.each(REQUESTS)("$name", async ({ query, variables }) => {
    const { planned, loaded } = await both(query, variables);
    expect(comparable(planned)).toEqual(comparable(loaded));
  });

  it("pages the same way, and each path accepts the other's cursors", async () => {
    const variables = { first: 35, orderBy: [{ field: "RESOLVED_AT", direction: "ASC" }] };
    let after: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const { planned, loaded } = await both(INCIDENT_PAGE, { ...variables, after });
      expect(comparable(planned)).toEqual(comparable(loaded));
      const endCursor = (planned.data as { incidents: { pageInfo: { endCursor: string } } })
        .incidents.pageInfo.endCursor;
      after = endCursor;
    }
    // By workflow, filtered: the cursors carry the filter's digest and the raw state.
    const byState = {
      first: 45,
      filter: { active: true, priority: [3, 1, 2] },
      orderBy: [{ field: "STATE", direction: "DESC" }],
    };
    after = null;
    for (let page = 0; page < 3; page += 1) {
      const { planned, loaded } = await both(INCIDENT_PAGE_PLANNED, { ...byState, after });
      expect(planned.errors).toBeUndefined();
      expect(comparable(planned)).toEqual(comparable(loaded));
      after = (loaded.data as { incidents: { pageInfo: { endCursor: string } } }).incidents.pageInfo
        .endCursor;
    }
    // Either path's cursor refused the same way by both with another filter.
    const refused = await both(INCIDENT_PAGE_PLANNED, {
      ...byState,
      filter: { active: true, priority: [1, 2] },
      after,
    });
    expect(refused.planned.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "after",
    });
    expect(comparable(refused.planned)).toEqual(comparable(refused.loaded));
    for (const query of [CHANGES, USERS]) {
      const first = await both(query, { first: 7 });
      const field = query === CHANGES ? "changeRequests" : "users";
      const cursorOf = (body: GraphQLBody<unknown>) =>
        (body.data as Record<string, { pageInfo: { endCursor: string } }>)[field].pageInfo
          .endCursor;
      expect(cursorOf(first.planned)).toBe(cursorOf(first.loaded));
      const next = await both(query, { first: 7, after: cursorOf(first.loaded) });
      expect(comparable(next.planned)).toEqual(comparable(next.loaded));
    }
  });

  it("answers lookups the same, and refuses the same ambiguous key", async () => {
    const found = await both(LOOKUPS, {
      number: numbers.incident,
      sysId: numbers.changeSysId,
      userName: "nobody-has-this-name",
    });
    expect(found.planned.errors).toBeUndefined();
    expect(comparable(found.planned)).toEqual(comparable(found.loaded));
    // "admin" exists in both integrations.
    const ambiguous = await both(LOOKUPS, { number: "INC-none", sysId: null, userName: "admin" });
    expect(comparable(ambiguous.planned)).toEqual(comparable(ambiguous.loaded));
  });

  it("answers a query of planned fields without the resolvers, and one with integration through them", async () => {
    // The resolvers' way in: graphql-js runs the list resolver, which asks the plans.
    const resolver = jest.spyOn(ReadPlans.prototype, "list");
    try {
      const planned = await plans.graphql(INCIDENT_PAGE_PLANNED, { first: 5 });
      expect(planned.body.errors).toBeUndefined();
      expect(resolver).not.toHaveBeenCalled();
      const resolved = await plans.graphql(INCIDENT_PAGE, { first: 5 });
      expect(resolved.body.errors).toBeUndefined();
      expect(resolver).toHaveBeenCalledTimes(1);
    } finally {
      resolver.mockRestore();
    }
  });

  describe("statements", () => {
    async function statementsOf(query: string, variables: Record<string, unknown> = {}) {
      counter.reset();
      const { body } = await plans.graphql(query, variables);
      expect(body.errors).toBeUndefined();
      return counter.statements;
    }

    it("select only the selected columns, attributes only when asked for", async () => {
      const [page] = await statementsOf("query { incidents(first: 5) { nodes { number } } }");
      expect(page).toMatch(/"number"/);
      expect(page).not.toMatch(/short_description|"attributes"|state_value|JOIN/);
      const [withAttributes] = await statementsOf(
        "query { incidents(first: 5) { nodes { attributes } } }",
      );
      expect(withAttributes).toMatch(/"attributes"/);
      expect(withAttributes).not.toMatch(/"number"/);
    });

    it("join to-ones into the page, nested ones too, and batch to-manys once per level", async () => {
      const statements = await statementsOf(`query {
        incidents(first: 50) { nodes {
          assignedTo { manager { manager { name } } }
          causedBy { requestedBy { name } }
          approvals { approver { manager { name } } }
        } }
      }`);
      expect(statements).toHaveLength(2);
      const [page, approvals] = statements;
      expect(page.match(/LEFT JOIN "sn_user"/g)).toHaveLength(4);
      expect(page).toMatch(/LEFT JOIN "change_request"/);
      expect(approvals).toMatch(/FROM "approval"/);
      expect(approvals.match(/LEFT JOIN "sn_user"/g)).toHaveLength(2);
    });

    it("limit updates per parent in SQL, one statement per alias", async () => {
      const statements = await statementsOf(`query {
        incidents(first: 40) { nodes {
          latest: updates(first: 2) { value }
          notes: updates(first: 1, element: "work_notes") { element }
        } }
      }`);
      expect(statements).toHaveLength(3);
      for (const statement of statements.slice(1)) {
        expect(statement).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY/);
      }
      const { body } = await plans.graphql<{
        incidents: { nodes: Array<{ latest: unknown[]; notes: Array<{ element: string }> }> };
      }>(
        `query { incidents(first: 40) { nodes {
          latest: updates(first: 2) { value } notes: updates(first: 1, element: "work_notes") { element }
        } } }`,
      );
      const nodes = body.data!.incidents.nodes;
      expect(nodes.some((node) => node.latest.length === 2)).toBe(true);
      for (const node of nodes) {
        expect(node.latest.length).toBeLessThanOrEqual(2);
        expect(node.notes.length).toBeLessThanOrEqual(1);
        expect(node.notes.every((entry) => entry.element === "work_notes")).toBe(true);
      }
    });

    it("count only when totalCount is selected", async () => {
      const without = await statementsOf("query { incidents(first: 3) { nodes { number } } }");
      expect(without.some((statement) => /COUNT\(\*\)/.test(statement))).toBe(false);
      const withCount = await statementsOf(
        "query { incidents(first: 3) { totalCount nodes { number } } }",
      );
      expect(withCount.filter((statement) => /COUNT\(\*\)/.test(statement))).toHaveLength(1);
    });

    it("follow @include with the request's variables (one plan per value)", async () => {
      const query = `query ($group: Boolean!) {
        incidents(first: 4) { nodes { number assignmentGroup @include(if: $group) { name } } }
      }`;
      const [withGroup] = await statementsOf(query, { group: true });
      const [withoutGroup] = await statementsOf(query, { group: false });
      expect(withGroup).toMatch(/LEFT JOIN "sn_user_group"/);
      expect(withoutGroup).not.toMatch(/JOIN/);
    });
  });
});
