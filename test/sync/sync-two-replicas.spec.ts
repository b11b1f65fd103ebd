import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Client } from "pg";
import { In } from "typeorm";

import { databaseKindOfEnvironment } from "../../src/config/config";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { createSimulator, type Simulator } from "../../src/simulator";
import { SyncLease } from "../../src/sync/sync-lease.entity";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncRunStatus } from "../../src/sync/sync-run.enums";
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from "../support/gateway-process";
import {
  createSimulatorIntegration,
  delay,
  fetchedOf,
  type GraphQLCall,
  harnessFor,
  startSync,
  startTestGatewayOn,
  waitFor,
} from "../support/sync-fixtures";
import { parity, parityProblems } from "../support/sync-harness";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import type { TestGateway } from "../support/test-gateway";

const onPostgres = databaseKindOfEnvironment() === "postgres";
const describeOnPostgres = onPostgres ? describe : describe.skip;
const TITLE = onPostgres
  ? "two gateway processes on one PostgreSQL"
  : "two gateway processes on one PostgreSQL (skipped: set DATABASE_URL=postgres://… to run)";

const INCIDENTS = 1000;
const PAGE_SIZE = 200;
const UPDATED_BETWEEN_ROUNDS = 30;
const INTEGRATIONS = ["alpha", "bravo", "charlie"] as const;
const PASSWORD = "Replica-Integration-Pa55!";

const REPLICA_ENV = {
  SYNC_SCHEDULER_ENABLED: "true",
  SYNC_TICK_SECONDS: "1",
  SYNC_LEASE_SECONDS: "5",
  SYNC_PAGE_SIZE: String(PAGE_SIZE),
};

function callOf(replica: GatewayProcess): GraphQLCall {
  return (query, variables) => replica.graphql(query, variables);
}

/** Lease holders are `host:pid:random`. */
function pidOf(holder: string): number {
  return Number(holder.split(":").at(-2));
}

describeOnPostgres(TITLE, () => {
  const dataDirs: string[] = [];
  const databases: TestDatabase[] = [];

  const newDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-replica-"));
    dataDirs.push(dir);
    return dir;
  };
  const newDatabase = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };

  afterEach(async () => {
    await killGatewayProcesses();
  });

  afterAll(async () => {
    await killGatewayProcesses();
    for (const database of databases) {
      await database.drop();
    }
    for (const dir of dataDirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Without the advisory lock in openDataSource, two replicas starting together on an empty
  // database both ran the initial migration and one died on "duplicate key value violates
  // unique constraint pg_type_typname_nsp_index". The gate below makes that race deterministic.
  it("both start when they apply the migrations at the same moment", async () => {
    const database = await newDatabase();
    if (database.config.kind !== "postgres") {
      throw new Error("unreachable");
    }
    const gate = new Client({ connectionString: database.config.url });
    // Its own connection, outside the gate's transaction: pg_stat_activity is snapshotted
    // once per transaction, so a probe inside it would never see the replicas arrive.
    const probe = new Client({ connectionString: database.config.url });
    await gate.connect();
    await probe.connect();
    try {
      // Both replicas block until the gate opens: the first on reading the (empty) migrations
      // table, the second on the migration lock the first holds (or, without that lock, on the
      // table too).
      await gate.query(
        'CREATE TABLE migrations (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)',
      );
      await gate.query("BEGIN");
      await gate.query("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE");
      // Each replica's connections carry its name (node-postgres reads PGAPPNAME), so only
      // their waits count, not those of other test files sharing the database.
      const names = ["replica-a", "replica-b"];
      const starting = names.map((name) =>
        startGatewayProcess({
          database: database.config,
          dataDir: newDataDir(),
          env: { PGAPPNAME: name },
        }),
      );
      // Settled from the start: a replica killed after a failed wait rejects, unobserved.
      const settled = Promise.allSettled(starting);
      // Not swallowed: if both are not waiting together, the race was not exercised.
      const waiting = await waitFor(
        "both replicas to wait for a lock",
        async () => {
          const { rows } = await probe.query<{ name: string }>(
            `SELECT DISTINCT backend.application_name AS name
               FROM pg_locks AS waits JOIN pg_stat_activity AS backend ON backend.pid = waits.pid
              WHERE NOT waits.granted AND backend.application_name = ANY($1)`,
            [names],
          );
          return rows.length === names.length ? rows.map((row) => row.name).sort() : undefined;
        },
        20_000,
      );
      expect(waiting).toEqual(names);
      await gate.query("COMMIT");
      const started = await settled;
      expect(
        started.map((result) =>
          result.status === "fulfilled"
            ? "ready"
            : String(result.reason).split("\n").slice(0, 3).join(" "),
        ),
      ).toEqual(["ready", "ready"]);
    } finally {
      await gate.end();
      await probe.end();
      // Now, not in afterAll: each test schema goes as soon as it is done with.
      await killGatewayProcesses();
      await database.drop();
      databases.splice(databases.indexOf(database), 1);
    }
  }, 45_000);

  describe("sharing one database", () => {
    let simulator: Simulator;
    let database: TestDatabase;
    let replicas: GatewayProcess[] = [];
    let observer: TestGateway | null = null;

    beforeAll(async () => {
      simulator = createSimulator();
      for (const name of INTEGRATIONS) {
        simulator.addUser({
          userName: `svc.${name}`,
          password: PASSWORD,
          timeZone: "UTC",
          webServiceAccessOnly: true,
        });
      }
      simulator.generate({
        seed: 59,
        groups: 4,
        users: 20,
        incidents: INCIDENTS,
        changes: 20,
        approvalsPerChange: 1,
        journalPerRecord: 1,
      });
      await simulator.start();
      database = await newDatabase();
    });

    afterAll(async () => {
      await killGatewayProcesses();
      await observer?.stop();
      await simulator.stop();
    });

    it("syncs each integration from one process at a time, and both serve queries", async () => {
      // The first replica applies the migrations; the second finds none pending.
      replicas = [];
      for (let index = 0; index < 2; index += 1) {
        replicas.push(
          await startGatewayProcess({
            database: database.config,
            dataDir: newDataDir(),
            env: REPLICA_ENV,
          }),
        );
      }
      const pids = replicas.map((replica) => replica.pid);
      // A third, in-process gateway without a scheduler: the test's window on the database.
      observer = await startTestGatewayOn(database.config);
      const { dataSource } = observer.gateway;
      const runs = dataSource.getRepository(SyncRun);

      // Watch the database while the replicas work: never two RUNNING rows of one integration.
      const violations: string[] = [];
      const holders = new Map<string, Set<string>>();
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const running = await runs.findBy({ status: SyncRunStatus.RUNNING });
          const perIntegration = new Map<string, number>();
          for (const run of running) {
            perIntegration.set(run.integrationId, (perIntegration.get(run.integrationId) ?? 0) + 1);
          }
          for (const [integrationId, count] of perIntegration) {
            if (count > 1) {
              violations.push(`${count} RUNNING runs of ${integrationId} at ${Date.now()}`);
            }
          }
          for (const lease of await dataSource.getRepository(SyncLease).find()) {
            const seen = holders.get(lease.integrationId) ?? new Set<string>();
            seen.add(lease.holder);
            holders.set(lease.integrationId, seen);
          }
          await delay(25);
        }
      })();

      const ids: string[] = [];
      const validatedAt = new Map<string, number>();
      try {
        simulator.faults.inject({
          kind: "delay",
          delayMs: 250,
          times: 100_000,
          match: { table: "incident" },
        });
        // Created and validated through either replica; CONNECTED makes them due at once.
        for (const [index, name] of INTEGRATIONS.entries()) {
          const id = await createSimulatorIntegration(callOf(replicas[index % 2]!), {
            name,
            url: simulator.url,
            username: `svc.${name}`,
            password: PASSWORD,
          });
          ids.push(id);
          validatedAt.set(id, Date.now());
        }

        // While a replica runs a sync, asking the other one returns that run: no second run.
        const busy = await waitFor(
          "a scheduled run in its first incident pages",
          async () => {
            for (const run of await runs.findBy({ status: SyncRunStatus.RUNNING })) {
              const lease = await dataSource
                .getRepository(SyncLease)
                .findOneBy({ integrationId: run.integrationId });
              if (lease && fetchedOf(run, "incident") < 2 * PAGE_SIZE) {
                return { run, holderPid: pidOf(lease.holder) };
              }
            }
            return undefined;
          },
          20_000,
          20,
        );
        expect(pids).toContain(busy.holderPid);
        const other = replicas.find((replica) => replica.pid !== busy.holderPid)!;
        const answered = await startSync(callOf(other), busy.run.integrationId, false);
        expect(answered).toMatchObject({ id: busy.run.id, status: "RUNNING" });

        const roundDone = (round: number) =>
          waitFor(
            `round ${round} of scheduled runs`,
            async () => {
              const all = await runs.find();
              const finished = ids.every(
                (id) =>
                  all.filter((run) => run.integrationId === id && run.status !== "RUNNING")
                    .length >= round,
              );
              return finished && all.every((run) => run.status !== "RUNNING") ? all : undefined;
            },
            30_000,
            100,
          );
        await roundDone(1);

        // Round two: records change, and every integration is made due again for both replicas.
        for (const record of simulator.all("incident").slice(0, UPDATED_BETWEEN_ROUNDS)) {
          simulator.update("incident", record.sys_id, { short_description: "changed upstream" });
        }
        await dataSource
          .getRepository(Integration)
          .update({ id: In(ids) }, { lastSyncedAt: new Date(Date.now() - 2 * 60 * 60 * 1000) });
        await roundDone(2);
        // A few more ticks on both replicas: nothing is due, nothing runs.
        await delay(2500);
      } finally {
        watching = false;
        await watcher;
        simulator.faults.clear();
      }
      expect(violations).toEqual([]);

      for (const id of ids) {
        const history = await runs.find({
          where: { integrationId: id },
          order: { startedAt: "ASC" },
        });
        expect(history.map((run) => [run.status, run.mode, run.trigger])).toEqual([
          ["SUCCEEDED", "FULL", expect.stringMatching(/^(SCHEDULE|STARTUP)$/)],
          ["SUCCEEDED", "INCREMENTAL", "SCHEDULE"],
        ]);
        expect(fetchedOf(history[0]!, "incident")).toBe(INCIDENTS);
        expect(fetchedOf(history[1]!, "incident")).toBe(UPDATED_BETWEEN_ROUNDS);
        // Runs of one integration never overlap in time...
        expect(history[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(
          history[1]!.startedAt.getTime(),
        );
        // ...and every request its user made after validation lies inside one of them.
        const user = `svc.${INTEGRATIONS[ids.indexOf(id)]}`;
        const outside = simulator.requestLog
          .filter((entry) => entry.userName === user && Date.parse(entry.at) > validatedAt.get(id)!)
          .filter(
            (entry) =>
              !history.some(
                (run) =>
                  Date.parse(entry.at) >= run.startedAt.getTime() &&
                  Date.parse(entry.at) <= run.finishedAt!.getTime(),
              ),
          );
        expect(outside).toEqual([]);
        for (const holder of holders.get(id) ?? []) {
          expect(pids).toContain(pidOf(holder));
        }
        // Leases are released when runs end.
        expect(
          await dataSource.getRepository(SyncLease).findOneBy({ integrationId: id }),
        ).toBeNull();
      }

      // Both replicas serve the same data.
      for (const id of ids) {
        const totals = await Promise.all(
          replicas.map(async (replica) => {
            const result = await replica.graphql<{ incidents: { totalCount: number } }>(
              `query($id: ID!) { incidents(integrationId: $id, first: 1) { totalCount } }`,
              { id },
            );
            return result.data?.incidents.totalCount ?? JSON.stringify(result.errors);
          }),
        );
        expect(totals).toEqual([INCIDENTS, INCIDENTS]);
        expect(parityProblems(await parity(harnessFor(simulator, observer, id)))).toEqual([]);
      }
      for (const replica of replicas) {
        expect(replica.output()).not.toMatch(/"level":(50|60)/);
      }
    }, 75_000);
  });
});
