import type { DataSource, ObjectLiteral } from "typeorm";

import type { ServiceNowRecordEntity } from "../../src/database/servicenow-record.entity";
import { Incident } from "../../src/modules/incidents/incident.entity";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { upsertPlanOf } from "../../src/sync/row-upserter";
import { SYNC_TABLES } from "../../src/sync/sync-tables";
import { PlanUpserter } from "../../src/sync/worker/plan.upserter";
import { INTEGRATION_IDS, seedDataset } from "../support/seed";
import { startTestGateway, type TestGateway } from "../support/test-gateway";

/**
 * The plan upserter writes exactly what TypeORM writes: a database seeded through TypeORM
 * repositories and a second one filled by the plan upserter from the rows read back out of the
 * first hold the same raw column values, hydrate to the same entities and answer the same
 * GraphQL through the compiled read path.
 */

const USER = "sysId name userName email active sysCreatedOn manager { name }";
const INCIDENTS = `
  query Incidents($integrationId: ID) {
    incidents(integrationId: $integrationId, first: 500, orderBy: [{ field: NUMBER, direction: ASC }]) {
      totalCount
      edges {
        cursor
        node {
          integrationId sysId number shortDescription state stateValue stateLabel priority
          priorityLabel impact active openedAt resolvedAt closedAt sysCreatedOn sysUpdatedOn
          businessDurationSeconds attributes
          assignedTo { ${USER} }
          caller { ${USER} }
          assignmentGroup { name active manager { ${USER} } }
          causedBy { number state }
          approvals { sysId state comments sysCreatedOn approver { ${USER} } }
          updates(first: 5) { sysId element value createdBy sysCreatedOn tableName elementSysId }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** Rows whose values sit at the edges of each conversion: quotes, unicode, ms, nulls. */
function edgeIncidents(): Partial<Incident>[] {
  const base = {
    integrationId: INTEGRATION_IDS[0],
    sysCreatedOn: new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
    sysUpdatedOn: new Date(Date.UTC(2024, 2, 31, 1, 2, 3, 7)),
    syncedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0, 1)),
  };
  return [
    {
      ...base,
      sysId: "e".repeat(31) + "1",
      number: "INC9990001",
      shortDescription: `It's "quoted" \\ back\\slashed, ünïcödé 🚀, {braces}, [brackets]`,
      attributes: { u_note: 'a "quote", a \\ and 🚀', u_empty: "", u_nul: "x\u0001y" },
      active: false,
      priority: 1,
    },
    {
      ...base,
      sysId: "e".repeat(31) + "2",
      number: "INC9990002",
      shortDescription: "",
      attributes: {},
      active: true,
      priority: null,
      openedAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 500)),
    },
    {
      ...base,
      sysId: "e".repeat(31) + "3",
      number: "INC9990003",
      shortDescription: null,
      attributes: { "key with space": "NULL", "": "empty key" },
      active: null,
    },
  ];
}

async function rawRows(dataSource: DataSource, table: string): Promise<ObjectLiteral[]> {
  return dataSource.query(`SELECT * FROM "${table}" ORDER BY "id"`);
}

describe("the plan upserter", () => {
  let reference: TestGateway;
  let planned: TestGateway;

  beforeAll(async () => {
    [reference, planned] = await Promise.all([startTestGateway(), startTestGateway()]);
    const source = reference.gateway.dataSource;
    await seedDataset(source, {
      incidents: 120,
      changeRequests: 20,
      usersPerIntegration: 15,
      journalPerRecordMax: 4,
      incidentApprovalRatio: 0.4,
      seed: 11,
    });
    await source.getRepository(Incident).insert(edgeIncidents());
    const integrations = await source.getRepository(Integration).find();
    await planned.gateway.dataSource.getRepository(Integration).insert(integrations);

    const target = planned.gateway.dataSource;
    for (const table of SYNC_TABLES) {
      const rows = await source
        .getRepository<ServiceNowRecordEntity>(table.entity)
        .find({ order: { id: "ASC" } });
      const upserter = new PlanUpserter(upsertPlanOf(target, table.entity));
      await target.transaction(async (manager) => {
        // Pages of the sync's size, in id order, so the second database assigns the same ids.
        for (let start = 0; start < rows.length; start += 500) {
          await upserter.upsert(
            { execute: (sql, parameters) => manager.query(sql, [...parameters]) },
            rows.slice(start, start + 500),
          );
        }
      });
    }
  });

  afterAll(async () => {
    await Promise.all([reference?.stop(), planned?.stop()]);
  });

  it.each(SYNC_TABLES.map((table) => [table.spec.name, table] as const))(
    "stores %s rows with the raw column values TypeORM stores",
    async (_name, table) => {
      const tableName = reference.gateway.dataSource.getMetadata(table.entity).tableName;
      const expected = await rawRows(reference.gateway.dataSource, tableName);
      const actual = await rawRows(planned.gateway.dataSource, tableName);
      expect(actual).toEqual(expected);
      if (table.spec.name === "incident") {
        expect(actual.length).toBeGreaterThan(100);
      }
    },
  );

  it.each(SYNC_TABLES.map((table) => [table.spec.name, table] as const))(
    "reads %s back through TypeORM repositories as the entities that were written",
    async (_name, table) => {
      const find = (dataSource: DataSource) =>
        dataSource
          .getRepository<ServiceNowRecordEntity>(table.entity)
          .find({ order: { id: "ASC" } });
      expect(await find(planned.gateway.dataSource)).toEqual(
        await find(reference.gateway.dataSource),
      );
    },
  );

  it("answers the same incidents, relations and journal through the compiled read path", async () => {
    for (const integrationId of INTEGRATION_IDS) {
      const [expected, actual] = await Promise.all(
        [reference, planned].map((gateway) => gateway.graphql(INCIDENTS, { integrationId })),
      );
      expect(expected?.body.errors).toBeUndefined();
      expect(actual?.body).toEqual(expected?.body);
    }
    const edge = await planned.graphql<{
      incidents: { edges: Array<{ node: { number: string; attributes: unknown } }> };
    }>(INCIDENTS, { integrationId: INTEGRATION_IDS[0] });
    const quoted = edge.body.data?.incidents.edges.find(
      (entry) => entry.node.number === "INC9990001",
    );
    expect(quoted?.node.attributes).toEqual(edgeIncidents()[0]?.attributes);
  });
});
