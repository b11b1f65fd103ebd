import { type ChangeRequest } from "../../src/modules/change-requests/change-request.entity";
import { CHANGE_REQUEST_STATE_VALUES } from "../../src/modules/change-requests/change-request.table";
import { type Incident } from "../../src/modules/incidents/incident.entity";
import { INCIDENT_STATE_VALUES } from "../../src/modules/incidents/incident.table";
import { type User } from "../../src/modules/users/user.entity";
import {
  type DatabaseKind,
  databaseKindOf,
  type Direction,
  type ExpectedKey,
  recordKey,
  sortRows,
} from "../support/expected-order";
import { HOUR, INTEGRATION_IDS, seedDataset, type SeededData } from "../support/seed";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

/**
 * STATE's sort value: the raw value's position in the workflow (unknown ones after the known),
 * then the raw value, as one string that sorts the same way; NULL stays NULL.
 */
const workflowOrder =
  (values: Readonly<Record<string, string>>) =>
  (raw: string | null): string | null => {
    if (raw === null) {
      return null;
    }
    const workflow = Object.values(values);
    const index = workflow.indexOf(raw);
    return `${String(index === -1 ? workflow.length : index).padStart(4, "0")}:${raw}`;
  };
const incidentState = workflowOrder(INCIDENT_STATE_VALUES);
const changeState = workflowOrder(CHANGE_REQUEST_STATE_VALUES);

const [A, B] = INTEGRATION_IDS;
const UNKNOWN_INTEGRATION = "0a1b2c3d-0000-4000-8000-0000000000cc";

interface ListResult {
  readonly keys: string[];
  readonly totalCount: number;
  readonly hasNextPage: boolean;
}

const listQuery = (field: string, type: string, withOrder: boolean) => `
  query List($integrationId: ID, $filter: ${type}Filter${withOrder ? `, $orderBy: [${type}Order!]` : ""}) {
    ${field}(first: 500, integrationId: $integrationId, filter: $filter${withOrder ? ", orderBy: $orderBy" : ""}) {
      nodes { integrationId sysId }
      pageInfo { hasNextPage }
      totalCount
    }
  }
`;

const iso = (date: Date): string => date.toISOString();
const within = (value: Date | null, from: Date | null, to: Date | null): boolean =>
  value !== null &&
  (from === null || value.getTime() >= from.getTime()) &&
  (to === null || value.getTime() < to.getTime());

/** A filter case: the GraphQL filter and the same condition written over the seeded rows. */
interface FilterCase<T> {
  readonly name: string;
  readonly filter: Record<string, unknown>;
  readonly matches: (row: T) => boolean;
  readonly integrationId?: string;
  /** Cases built to match nothing say so; the others must select a proper, non-empty subset. */
  readonly empty?: boolean;
}

interface OrderCase<T> {
  readonly field: string;
  readonly value: (row: T) => string | number | Date | null;
}

describe("list queries: filters, orderBy, totalCount and integration scoping", () => {
  let gateway: TestGateway;
  let data: SeededData;
  let kind: DatabaseKind;

  beforeAll(async () => {
    gateway = await startTestGateway();
    data = await seedDataset(gateway.gateway.dataSource, {
      incidents: 420,
      changeRequests: 180,
      usersPerIntegration: 60,
      seed: 7,
    });
    kind = databaseKindOf(gateway.gateway.dataSource);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function list(
    field: string,
    type: string,
    variables: Record<string, unknown>,
    withOrder = true,
  ): Promise<ListResult> {
    const { status, body } = await gateway.graphql<
      Record<
        string,
        {
          nodes: Array<{ integrationId: string; sysId: string }>;
          pageInfo: { hasNextPage: boolean };
          totalCount: number;
        }
      >
    >(listQuery(field, type, withOrder), variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const connection = body.data![field];
    return {
      keys: connection.nodes.map(recordKey),
      totalCount: connection.totalCount,
      hasNextPage: connection.pageInfo.hasNextPage,
    };
  }

  async function expectFilter<T extends { id: number; integrationId: string; sysId: string }>(
    field: string,
    type: string,
    rows: readonly T[],
    defaultOrder: ReadonlyArray<ExpectedKey<T>>,
    testCase: FilterCase<T>,
    withOrder = true,
  ): Promise<void> {
    const scoped = rows.filter(
      (row) => testCase.integrationId === undefined || row.integrationId === testCase.integrationId,
    );
    const expected = sortRows(scoped.filter(testCase.matches), defaultOrder, kind).map(recordKey);
    if (testCase.empty) {
      expect(expected).toHaveLength(0);
    } else {
      // A filter that keeps everything or nothing would prove nothing.
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(scoped.length);
    }
    const result = await list(
      field,
      type,
      { filter: testCase.filter, integrationId: testCase.integrationId ?? null },
      withOrder,
    );
    expect(result.keys).toEqual(expected);
    expect(result.totalCount).toBe(expected.length);
    expect(result.hasNextPage).toBe(false);
  }

  async function expectOrder<T extends { id: number; integrationId: string; sysId: string }>(
    field: string,
    type: string,
    rows: readonly T[],
    orderBy: ReadonlyArray<{ field: string; direction: Direction }>,
    keys: ReadonlyArray<ExpectedKey<T>>,
    integrationId: string | null = null,
  ): Promise<void> {
    const scoped = rows.filter(
      (row) => integrationId === null || row.integrationId === integrationId,
    );
    const result = await list(field, type, { orderBy, integrationId });
    expect(result.keys).toEqual(sortRows(scoped, keys, kind).map(recordKey));
    expect(result.totalCount).toBe(scoped.length);
  }

  describe("incidents", () => {
    const defaultOrder: ExpectedKey<Incident>[] = [
      { value: (row) => row.openedAt, direction: "DESC" },
    ];
    const incidents = () => data.incidents;
    const sample = <T>(values: (T | null)[], index: number): T => {
      const distinct = [...new Set(values.filter((value): value is T => value !== null))];
      return distinct[index % distinct.length];
    };

    const cases = (): FilterCase<Incident>[] => {
      const groupsA = data.groups.filter((group) => group.integrationId === A).slice(0, 2);
      const usersA = data.users.filter((user) => user.integrationId === A);
      const admin = usersA[0].sysId;
      const caller = sample(
        incidents().map((row) => row.callerSysId),
        3,
      );
      const cause = sample(
        incidents().map((row) => row.causedBySysId),
        1,
      );
      const problem = sample(
        incidents().map((row) => row.problemSysId),
        1,
      );
      const opened = incidents()
        .map((row) => row.openedAt)
        .filter((value): value is Date => value !== null)
        .sort((x, y) => x.getTime() - y.getTime());
      const openedFrom = opened[Math.floor(opened.length / 4)];
      const openedTo = opened[Math.floor(opened.length / 2)];
      const resolved = [...new Set(incidents().map((row) => row.resolvedAt?.getTime() ?? null))]
        .filter((value): value is number => value !== null)
        .sort((x, y) => x - y)
        .map((value) => new Date(value));
      const closedFrom = new Date(resolved[2].getTime() + HOUR);
      const created = incidents()
        .map((row) => row.sysCreatedOn)
        .sort((x, y) => x.getTime() - y.getTime());
      const updated = incidents()
        .map((row) => row.sysUpdatedOn)
        .sort((x, y) => x.getTime() - y.getTime());
      const updatedFrom = updated[100];
      const search = (text: string) => (row: Incident) =>
        [row.number, row.shortDescription].some((value) =>
          value?.toLowerCase().includes(text.toLowerCase()),
        );
      return [
        {
          name: "state RESOLVED or CLOSED",
          filter: { state: ["RESOLVED", "CLOSED"] },
          matches: (row) => row.stateValue === "6" || row.stateValue === "7",
        },
        {
          name: "state NEW",
          filter: { state: ["NEW"] },
          matches: (row) => row.stateValue === "1",
        },
        {
          name: "custom stateValue 101",
          filter: { stateValue: ["101"] },
          matches: (row) => row.stateValue === "101",
        },
        {
          name: "priority 1 or 2",
          filter: { priority: [1, 2] },
          matches: (row) => row.priority === 1 || row.priority === 2,
        },
        { name: "impact 3", filter: { impact: [3] }, matches: (row) => row.impact === 3 },
        {
          name: "urgency 1 or 3",
          filter: { urgency: [1, 3] },
          matches: (row) => row.urgency === 1 || row.urgency === 3,
        },
        {
          name: "category network or hardware",
          filter: { category: ["network", "hardware"] },
          matches: (row) => row.category === "network" || row.category === "hardware",
        },
        {
          name: "two assignment groups",
          filter: { assignmentGroupSysId: groupsA.map((group) => group.sysId) },
          matches: (row) => groupsA.some((group) => group.sysId === row.assignmentGroupSysId),
        },
        {
          name: "assignee admin, a sys_id both integrations share",
          filter: { assignedToSysId: [admin, usersA[5].sysId] },
          matches: (row) =>
            row.assignedToSysId === admin || row.assignedToSysId === usersA[5].sysId,
        },
        {
          name: "one caller",
          filter: { callerSysId: [caller] },
          matches: (row) => row.callerSysId === caller,
        },
        {
          name: "caused by one change",
          filter: { causedBySysId: [cause] },
          matches: (row) => row.causedBySysId === cause,
        },
        {
          name: "one problem",
          filter: { problemSysId: [problem] },
          matches: (row) => row.problemSysId === problem,
        },
        { name: "active", filter: { active: true }, matches: (row) => row.active === true },
        { name: "inactive", filter: { active: false }, matches: (row) => row.active === false },
        {
          name: "openedAt from (inclusive) to (exclusive)",
          filter: { openedAt: { from: iso(openedFrom), to: iso(openedTo) } },
          matches: (row) => within(row.openedAt, openedFrom, openedTo),
        },
        {
          name: "openedAt to only",
          filter: { openedAt: { to: iso(openedFrom) } },
          matches: (row) => within(row.openedAt, null, openedFrom),
        },
        {
          name: "resolvedAt from a shared value",
          filter: { resolvedAt: { from: iso(resolved[3]) } },
          matches: (row) => within(row.resolvedAt, resolved[3], null),
        },
        {
          name: "resolvedAt between two shared values",
          filter: { resolvedAt: { from: iso(resolved[1]), to: iso(resolved[4]) } },
          matches: (row) => within(row.resolvedAt, resolved[1], resolved[4]),
        },
        {
          name: "closedAt from",
          filter: { closedAt: { from: iso(closedFrom) } },
          matches: (row) => within(row.closedAt, closedFrom, null),
        },
        {
          name: "createdAt range",
          filter: { createdAt: { from: iso(created[50]), to: iso(created[300]) } },
          matches: (row) => within(row.sysCreatedOn, created[50], created[300]),
        },
        {
          name: "updatedAt from",
          filter: { updatedAt: { from: iso(updatedFrom) } },
          matches: (row) => within(row.sysUpdatedOn, updatedFrom, null),
        },
        {
          name: "search with a literal % (not a wildcard)",
          filter: { search: "100%" },
          matches: search("100%"),
        },
        {
          name: "search with a literal _ (not a wildcard)",
          filter: { search: "DB_01" },
          matches: search("db_01"),
        },
        {
          name: "search on the number, any case",
          filter: { search: "inc001001" },
          matches: search("INC001001"),
        },
        {
          name: "search on the short description, trimmed",
          filter: { search: "  EMAIL outage  " },
          matches: search("email outage"),
        },
        {
          name: "several filters together, one integration",
          filter: { priority: [1, 2, 3], active: true, category: ["network", "software"] },
          integrationId: B,
          matches: (row) =>
            (row.priority ?? 99) <= 3 &&
            row.active === true &&
            (row.category === "network" || row.category === "software"),
        },
        {
          name: "an empty list",
          filter: { priority: [] },
          matches: () => false,
          empty: true,
        },
      ];
    };

    it("returns exactly the matching incidents, in the default order, with their count, for every IncidentFilter field", async () => {
      const all = cases();
      const covered = new Set(all.flatMap((testCase) => Object.keys(testCase.filter)));
      const schemaFields = await inputFields("IncidentFilter");
      expect([...covered].sort()).toEqual(schemaFields.sort());
      for (const testCase of all) {
        await expectFilter("incidents", "Incident", incidents(), defaultOrder, testCase).catch(
          (error: Error) => {
            throw new Error(`filter "${testCase.name}": ${error.message}`);
          },
        );
      }
    });

    const ORDER_FIELDS: OrderCase<Incident>[] = [
      { field: "NUMBER", value: (row) => row.number },
      { field: "OPENED_AT", value: (row) => row.openedAt },
      { field: "CREATED_AT", value: (row) => row.sysCreatedOn },
      { field: "UPDATED_AT", value: (row) => row.sysUpdatedOn },
      { field: "RESOLVED_AT", value: (row) => row.resolvedAt },
      { field: "CLOSED_AT", value: (row) => row.closedAt },
      { field: "PRIORITY", value: (row) => row.priority },
      { field: "STATE", value: (row) => incidentState(row.stateValue) },
    ];

    it("offers exactly the order fields tested here", async () => {
      expect((await enumValues("IncidentOrderField")).sort()).toEqual(
        ORDER_FIELDS.map((order) => order.field).sort(),
      );
    });

    it.each(
      ORDER_FIELDS.flatMap((order) =>
        (["ASC", "DESC"] as const).map((direction) => ({ ...order, direction })),
      ),
    )("returns incidents ordered by $field $direction", async ({ field, value, direction }) => {
      await expectOrder(
        "incidents",
        "Incident",
        incidents(),
        [{ field, direction }],
        [{ value, direction }],
      );
    });

    it("returns incidents ordered by three keys of mixed directions within one integration", async () => {
      await expectOrder(
        "incidents",
        "Incident",
        incidents(),
        [
          { field: "STATE", direction: "DESC" },
          { field: "PRIORITY", direction: "ASC" },
          { field: "CLOSED_AT", direction: "DESC" },
        ],
        [
          { value: (row) => incidentState(row.stateValue), direction: "DESC" },
          { value: (row) => row.priority, direction: "ASC" },
          { value: (row) => row.closedAt, direction: "DESC" },
        ],
        A,
      );
    });

    it("returns only one integration's incidents when integrationId is given, and none for an unknown one", async () => {
      for (const integrationId of [A, B]) {
        const result = await list("incidents", "Incident", { integrationId });
        const expected = sortRows(
          incidents().filter((row) => row.integrationId === integrationId),
          defaultOrder,
          kind,
        ).map(recordKey);
        expect(expected.length).toBeGreaterThan(0);
        expect(result.keys).toEqual(expected);
        expect(result.totalCount).toBe(expected.length);
      }
      const unknown = await list("incidents", "Incident", { integrationId: UNKNOWN_INTEGRATION });
      expect(unknown).toEqual({ keys: [], totalCount: 0, hasNextPage: false });
    });
  });

  describe("changeRequests", () => {
    const defaultOrder: ExpectedKey<ChangeRequest>[] = [
      { value: (row) => row.sysCreatedOn, direction: "DESC" },
    ];
    const changes = () => data.changeRequests;

    const cases = (): FilterCase<ChangeRequest>[] => {
      const groupsB = data.groups.filter((group) => group.integrationId === B).slice(1, 3);
      const assignee = changes().find((row) => row.assignedToSysId !== null)!.assignedToSysId!;
      const planned = changes()
        .map((row) => row.plannedStartAt)
        .filter((value): value is Date => value !== null)
        .sort((x, y) => x.getTime() - y.getTime());
      const created = changes()
        .map((row) => row.sysCreatedOn)
        .sort((x, y) => x.getTime() - y.getTime());
      const updated = changes()
        .map((row) => row.sysUpdatedOn)
        .sort((x, y) => x.getTime() - y.getTime());
      const search = (text: string) => (row: ChangeRequest) =>
        [row.number, row.shortDescription].some((value) =>
          value?.toLowerCase().includes(text.toLowerCase()),
        );
      return [
        {
          name: "state NEW or IMPLEMENT",
          filter: { state: ["NEW", "IMPLEMENT"] },
          matches: (row) => row.stateValue === "-5" || row.stateValue === "-1",
        },
        {
          name: "custom stateValue -40",
          filter: { stateValue: ["-40"] },
          matches: (row) => row.stateValue === "-40",
        },
        {
          name: "type emergency or standard",
          filter: { type: ["emergency", "standard"] },
          matches: (row) => row.type === "emergency" || row.type === "standard",
        },
        {
          name: "priority 1",
          filter: { priority: [1] },
          matches: (row) => row.priority === 1,
        },
        {
          name: "impact 1 or 2",
          filter: { impact: [1, 2] },
          matches: (row) => row.impact === 1 || row.impact === 2,
        },
        { name: "risk 4", filter: { risk: [4] }, matches: (row) => row.risk === 4 },
        {
          name: "closeCode unsuccessful",
          filter: { closeCode: ["unsuccessful"] },
          matches: (row) => row.closeCode === "unsuccessful",
        },
        {
          name: "two groups",
          filter: { assignmentGroupSysId: groupsB.map((group) => group.sysId) },
          matches: (row) => groupsB.some((group) => group.sysId === row.assignmentGroupSysId),
        },
        {
          name: "one assignee",
          filter: { assignedToSysId: [assignee] },
          matches: (row) => row.assignedToSysId === assignee,
        },
        { name: "active", filter: { active: true }, matches: (row) => row.active === true },
        { name: "inactive", filter: { active: false }, matches: (row) => row.active === false },
        {
          name: "plannedStartAt range",
          filter: { plannedStartAt: { from: iso(planned[10]), to: iso(planned[80]) } },
          matches: (row) => within(row.plannedStartAt, planned[10], planned[80]),
        },
        {
          name: "createdAt to",
          filter: { createdAt: { to: iso(created[90]) } },
          matches: (row) => within(row.sysCreatedOn, null, created[90]),
        },
        {
          name: "updatedAt range",
          filter: { updatedAt: { from: iso(updated[20]), to: iso(updated[150]) } },
          matches: (row) => within(row.sysUpdatedOn, updated[20], updated[150]),
        },
        {
          name: "search on the number",
          filter: { search: "chg003001" },
          matches: search("chg003001"),
        },
        {
          name: "search on the short description",
          filter: { search: "TLS cert" },
          matches: search("tls cert"),
        },
        {
          name: "several filters together, one integration",
          filter: { active: true, risk: [1, 2, 3] },
          integrationId: A,
          matches: (row) => row.active === true && (row.risk ?? 99) <= 3,
        },
      ];
    };

    it("returns exactly the matching change requests, in the default order, with their count, for every ChangeRequestFilter field", async () => {
      const all = cases();
      const covered = new Set(all.flatMap((testCase) => Object.keys(testCase.filter)));
      expect([...covered].sort()).toEqual((await inputFields("ChangeRequestFilter")).sort());
      for (const testCase of all) {
        await expectFilter(
          "changeRequests",
          "ChangeRequest",
          changes(),
          defaultOrder,
          testCase,
        ).catch((error: Error) => {
          throw new Error(`filter "${testCase.name}": ${error.message}`);
        });
      }
    });

    const ORDER_FIELDS: OrderCase<ChangeRequest>[] = [
      { field: "NUMBER", value: (row) => row.number },
      { field: "CREATED_AT", value: (row) => row.sysCreatedOn },
      { field: "UPDATED_AT", value: (row) => row.sysUpdatedOn },
      { field: "PLANNED_START", value: (row) => row.plannedStartAt },
      { field: "PRIORITY", value: (row) => row.priority },
      { field: "STATE", value: (row) => changeState(row.stateValue) },
    ];

    it("offers exactly the order fields tested here", async () => {
      expect((await enumValues("ChangeRequestOrderField")).sort()).toEqual(
        ORDER_FIELDS.map((order) => order.field).sort(),
      );
    });

    it.each(
      ORDER_FIELDS.flatMap((order) =>
        (["ASC", "DESC"] as const).map((direction) => ({ ...order, direction })),
      ),
    )(
      "returns change requests ordered by $field $direction",
      async ({ field, value, direction }) => {
        await expectOrder(
          "changeRequests",
          "ChangeRequest",
          changes(),
          [{ field, direction }],
          [{ value, direction }],
        );
      },
    );

    it("returns change requests ordered by three keys of mixed directions within one integration", async () => {
      await expectOrder(
        "changeRequests",
        "ChangeRequest",
        changes(),
        [
          { field: "PRIORITY", direction: "DESC" },
          { field: "PLANNED_START", direction: "ASC" },
          { field: "NUMBER", direction: "DESC" },
        ],
        [
          { value: (row) => row.priority, direction: "DESC" },
          { value: (row) => row.plannedStartAt, direction: "ASC" },
          { value: (row) => row.number, direction: "DESC" },
        ],
        B,
      );
    });

    it("returns only one integration's change requests when integrationId is given", async () => {
      const result = await list("changeRequests", "ChangeRequest", { integrationId: B });
      const expected = sortRows(
        changes().filter((row) => row.integrationId === B),
        defaultOrder,
        kind,
      ).map(recordKey);
      expect(result.keys).toEqual(expected);
      expect(result.totalCount).toBe(expected.length);
    });
  });

  describe("users", () => {
    const defaultOrder: ExpectedKey<User>[] = [{ value: (row) => row.name, direction: "ASC" }];
    const users = () => data.users;

    it("seeds users whose names repeat and are sometimes missing", () => {
      const names = users().map((row) => row.name);
      expect(names.filter((name) => name === null).length).toBeGreaterThan(1);
      expect(new Set(names).size).toBeLessThan(names.length - 2);
    });

    it("returns exactly the matching users, ordered by name, with their count, for every UserFilter field", async () => {
      const manager = users().find((row) => row.managerSysId !== null)!.managerSysId!;
      const search = (text: string) => (row: User) =>
        [row.name, row.userName, row.email].some((value) =>
          value?.toLowerCase().includes(text.toLowerCase()),
        );
      const all: FilterCase<User>[] = [
        { name: "active", filter: { active: true }, matches: (row) => row.active === true },
        { name: "inactive", filter: { active: false }, matches: (row) => row.active === false },
        {
          name: "two departments",
          filter: { departmentSysId: data.departments.slice(0, 2) },
          matches: (row) => data.departments.slice(0, 2).includes(row.departmentSysId ?? ""),
        },
        {
          name: "one manager",
          filter: { managerSysId: [manager] },
          matches: (row) => row.managerSysId === manager,
        },
        {
          name: "search on the name",
          filter: { search: "person 07" },
          matches: search("person 07"),
        },
        {
          name: "search on the user name",
          filter: { search: "B.USER001" },
          matches: search("b.user001"),
        },
        {
          name: "search on the email",
          filter: { search: "user0002@example" },
          matches: search("user0002@example"),
        },
        {
          name: "active users of one integration",
          filter: { active: true },
          integrationId: B,
          matches: (row) => row.active === true,
        },
      ];
      const covered = new Set(all.flatMap((testCase) => Object.keys(testCase.filter)));
      expect([...covered].sort()).toEqual((await inputFields("UserFilter")).sort());
      for (const testCase of all) {
        await expectFilter("users", "User", users(), defaultOrder, testCase, false).catch(
          (error: Error) => {
            throw new Error(`filter "${testCase.name}": ${error.message}`);
          },
        );
      }
    });

    it("returns every user ordered by name, NULL names and repeated names included, per integration", async () => {
      for (const integrationId of [null, A, B]) {
        const result = await list("users", "User", { integrationId }, false);
        const expected = sortRows(
          users().filter((row) => integrationId === null || row.integrationId === integrationId),
          defaultOrder,
          kind,
        ).map(recordKey);
        expect(result.keys).toEqual(expected);
        expect(result.totalCount).toBe(expected.length);
      }
    });
  });

  async function inputFields(name: string): Promise<string[]> {
    const { body } = await gateway.graphql<{
      __type: { inputFields: Array<{ name: string }> };
    }>(`query { __type(name: "${name}") { inputFields { name } } }`);
    return body.data!.__type.inputFields.map((field) => field.name);
  }

  async function enumValues(name: string): Promise<string[]> {
    const { body } = await gateway.graphql<{
      __type: { enumValues: Array<{ name: string }> };
    }>(`query { __type(name: "${name}") { enumValues { name } } }`);
    return body.data!.__type.enumValues.map((value) => value.name);
  }
});
