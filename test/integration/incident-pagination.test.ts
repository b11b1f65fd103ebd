import { In } from "typeorm";

import { Incident } from "../../src/modules/incidents/incident.entity";
import { type ConnectionPage, walkPages } from "../support/connection";
import {
  compareRows,
  type DatabaseKind,
  databaseKindOf,
  type ExpectedKey,
  recordKey,
  sortRows,
} from "../support/expected-order";
import { seedDataset, type SeededData, sysIdOf } from "../support/seed";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

const INCIDENT_COUNT = 1234;
const PAGE_SIZE = 100;

const PAGE_QUERY = `
  query Page($first: Int, $after: String, $orderBy: [IncidentOrder!]) {
    incidents(first: $first, after: $after, orderBy: $orderBy) {
      edges { cursor node { integrationId sysId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

interface NodeKey {
  readonly integrationId: string;
  readonly sysId: string;
}

interface OrderCase {
  readonly name: string;
  readonly orderBy: ReadonlyArray<{ field: string; direction: "ASC" | "DESC" }> | null;
  readonly keys: ReadonlyArray<ExpectedKey<Incident>>;
}

const ORDERS: OrderCase[] = [
  {
    name: "the default order (openedAt DESC)",
    orderBy: null,
    keys: [{ value: (row) => row.openedAt, direction: "DESC" }],
  },
  {
    name: "priority ASC, openedAt DESC",
    orderBy: [
      { field: "PRIORITY", direction: "ASC" },
      { field: "OPENED_AT", direction: "DESC" },
    ],
    keys: [
      { value: (row) => row.priority, direction: "ASC" },
      { value: (row) => row.openedAt, direction: "DESC" },
    ],
  },
  {
    name: "resolvedAt ASC (shared values and NULLs)",
    orderBy: [{ field: "RESOLVED_AT", direction: "ASC" }],
    keys: [{ value: (row) => row.resolvedAt, direction: "ASC" }],
  },
  {
    name: "resolvedAt DESC, priority DESC (shared values and NULLs)",
    orderBy: [
      { field: "RESOLVED_AT", direction: "DESC" },
      { field: "PRIORITY", direction: "DESC" },
    ],
    keys: [
      { value: (row) => row.resolvedAt, direction: "DESC" },
      { value: (row) => row.priority, direction: "DESC" },
    ],
  },
];

describe("incidents connection: keyset pagination", () => {
  let gateway: TestGateway;
  let data: SeededData;
  let kind: DatabaseKind;
  const inserted: number[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway();
    data = await seedDataset(gateway.gateway.dataSource, { incidents: INCIDENT_COUNT });
    kind = databaseKindOf(gateway.gateway.dataSource);
  });

  afterEach(async () => {
    if (inserted.length > 0) {
      await gateway.gateway.dataSource.getRepository(Incident).delete({ id: In(inserted) });
      inserted.length = 0;
    }
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const walk = (
    order: OrderCase,
    beforeNext?: (page: ConnectionPage<NodeKey>, index: number) => Promise<void>,
  ) =>
    walkPages<NodeKey>(
      gateway,
      PAGE_QUERY,
      "incidents",
      { orderBy: order.orderBy },
      {
        first: PAGE_SIZE,
        beforeNext,
      },
    );

  it("seeds a data set whose orderings have ties and NULLs to get through", () => {
    expect(data.incidents).toHaveLength(INCIDENT_COUNT);
    const resolved = data.incidents.map((row) => row.resolvedAt?.getTime() ?? null);
    expect(resolved.filter((value) => value === null).length).toBeGreaterThan(PAGE_SIZE);
    expect(new Set(resolved.filter((value) => value !== null)).size).toBeLessThan(10);
    expect(data.incidents.some((row) => row.openedAt === null)).toBe(true);
    expect(data.incidents.some((row) => row.priority === null)).toBe(true);
  });

  it.each(ORDERS)(
    "returns every incident exactly once and in order when walking pages of 100 by $name",
    async (order) => {
      const pages = await walk(order);

      expect(pages).toHaveLength(Math.ceil(INCIDENT_COUNT / PAGE_SIZE));
      pages.forEach((page, index) => {
        const last = index === pages.length - 1;
        expect(page.pageInfo.hasNextPage).toBe(!last);
        expect(page.pageInfo.hasPreviousPage).toBe(false);
        expect(page.edges).toHaveLength(last ? INCIDENT_COUNT % PAGE_SIZE : PAGE_SIZE);
        expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
        expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      });
      const walked = pages.flatMap((page) => page.edges.map((edge) => recordKey(edge.node)));
      expect(new Set(walked).size).toBe(walked.length);
      expect(new Set(walked)).toEqual(new Set(data.incidents.map(recordKey)));
      expect(walked).toEqual(sortRows(data.incidents, order.keys, kind).map(recordKey));
    },
  );

  it.each(ORDERS)(
    "returns rows inserted ahead of the cursor and not those inserted behind it, by $name",
    async (order) => {
      const compare = compareRows(order.keys, kind);
      const repository = gateway.gateway.dataSource.getRepository(Incident);
      const byKey = new Map(data.incidents.map((row) => [recordKey(row), row]));
      const live: Incident[] = [...data.incidents];
      const behind = new Set<string>();
      let serial = 0;

      const insertLike = async (template: Incident, cursorRow: Incident): Promise<void> => {
        const { id: _id, ...fields } = template;
        const row = await repository.save(
          repository.create({
            ...fields,
            sysId: sysIdOf("incident", "inserted", serial),
            number: `INC9${String(serial).padStart(6, "0")}`,
          }),
        );
        serial += 1;
        inserted.push(row.id);
        live.push(row);
        byKey.set(recordKey(row), row);
        if (compare(row, cursorRow) < 0) {
          behind.add(recordKey(row));
        }
      };

      let firstRow: Incident | null = null;
      const pages = await walk(order, async (page, index) => {
        firstRow ??= byKey.get(recordKey(page.edges[0].node))!;
        if (index !== 2 && index !== 10) {
          return;
        }
        const cursorRow = byKey.get(recordKey(page.edges.at(-1)!.node))!;
        const remaining = sortRows(live, order.keys, kind).filter(
          (row) => compare(row, cursorRow) > 0,
        );
        // Same keys as: a row returned long ago, the cursor row itself (a tie decided by id),
        // the next row to come, and the very last row.
        for (const template of [firstRow, cursorRow, remaining[0], remaining.at(-1)!]) {
          await insertLike(template, cursorRow);
        }
      });

      const expected = sortRows(
        live.filter((row) => !behind.has(recordKey(row))),
        order.keys,
        kind,
      ).map(recordKey);
      const walked = pages.flatMap((page) => page.edges.map((edge) => recordKey(edge.node)));
      expect(inserted).toHaveLength(8);
      expect(behind.size).toBeGreaterThan(0);
      expect(behind.size).toBeLessThan(inserted.length);
      expect(new Set(walked).size).toBe(walked.length);
      expect(walked).toEqual(expected);
      expect(pages.at(-1)?.pageInfo.hasNextPage).toBe(false);
    },
  );

  // Last in the file: it deletes seeded rows.
  it("continues after the cursor when the cursor's own row and a row ahead are deleted", async () => {
    const order = ORDERS[1];
    const repository = gateway.gateway.dataSource.getRepository(Incident);
    const expectedOrder = sortRows(data.incidents, order.keys, kind);
    const deletedAhead = expectedOrder[PAGE_SIZE * 6 + 17];
    const pages = await walk(order, async (page, index) => {
      if (index === 4) {
        const cursorNode = page.edges.at(-1)!.node;
        await repository.delete({
          integrationId: cursorNode.integrationId,
          sysId: cursorNode.sysId,
        });
        await repository.delete({ id: deletedAhead.id });
      }
    });
    const walked = pages.flatMap((page) => page.edges.map((edge) => recordKey(edge.node)));
    expect(walked).toEqual(
      expectedOrder.filter((row) => row.id !== deletedAhead.id).map(recordKey),
    );
  });
});
