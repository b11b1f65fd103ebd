import { IsNull } from "typeorm";

import { Incident } from "../../src/modules/incidents/incident.entity";
import { SyncState } from "../../src/sync/sync-state.entity";
import {
  parity,
  parityProblems,
  startSyncHarness,
  type SyncHarness,
} from "../support/sync-harness";

const UPDATE = `mutation($id: ID!, $input: UpdateIntegrationInput!) {
  updateIntegration(id: $id, input: $input) { id status }
}`;

describe("settings that change what the cache should hold", () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { seed: 5, groups: 4, users: 30, incidents: 400, changes: 40, journalPerRecord: 1 },
      excludedFields: [{ table: "incident", fields: ["description"] }],
    });
    expect((await harness.sync(true)).status).toBe("SUCCEEDED");
  });

  afterAll(async () => {
    await harness.stop();
  });

  const incidents = () => harness.gateway.gateway.dataSource.getRepository(Incident);

  it("reads a table whole again when one of its excluded fields is wanted again", async () => {
    const withDescription = harness.simulator
      .all("incident")
      .filter((record) => record.description);
    expect(withDescription.length).toBeGreaterThan(0);
    expect(
      await incidents().countBy({ integrationId: harness.integrationId, description: IsNull() }),
    ).toBe(400);
    const states = harness.gateway.gateway.dataSource.getRepository(SyncState);
    const before = await states.findBy({ integrationId: harness.integrationId });

    const { body } = await harness.gateway.graphql(UPDATE, {
      id: harness.integrationId,
      input: { excludedFields: [] },
    });
    expect(body.errors).toBeUndefined();
    const after = await states.findBy({ integrationId: harness.integrationId });
    expect(after.map((state) => state.tableName)).not.toContain("incident");
    expect(after.length).toBe(before.length - 1);

    const run = await harness.sync();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.tables.find((table) => table.table === "incident")?.fetched).toBe(400);
    const stored = await incidents().findOneByOrFail({
      integrationId: harness.integrationId,
      sysId: withDescription[0].sys_id,
    });
    expect(stored.description).toBe(withDescription[0].description);
    expect(parityProblems(await parity(harness))).toEqual([]);
  });

  it("forgets every watermark when the instance URL changes", async () => {
    const moved = harness.simulatorUrl.replace("127.0.0.1", "localhost");
    const { body } = await harness.gateway.graphql(UPDATE, {
      id: harness.integrationId,
      input: { url: moved },
    });
    expect(body.errors).toBeUndefined();
    const states = await harness.gateway.gateway.dataSource
      .getRepository(SyncState)
      .findBy({ integrationId: harness.integrationId });
    expect(states).toEqual([]);
  });
});
