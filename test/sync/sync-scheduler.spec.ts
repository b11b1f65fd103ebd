import { randomUUID } from "node:crypto";

import { createLogger } from "../../src/logging/logger";
import { Integration } from "../../src/modules/integrations/integration.entity";
import { IntegrationStatus } from "../../src/modules/integrations/integration.enums";
import { isDue, jitterMs, SyncScheduler } from "../../src/sync/sync.scheduler";
import { SyncLeaseRepository } from "../../src/sync/sync-lease.repository";
import { SyncRun } from "../../src/sync/sync-run.entity";
import { SyncTrigger } from "../../src/sync/sync-run.enums";
import { startSyncHarness, type SyncHarness } from "../support/sync-harness";

const MINUTE = 60_000;
const FIVE_MINUTES = 5 * MINUTE;

function integrationAt(
  id: string,
  syncIntervalMinutes: number,
  lastSyncedAt: Date | null,
): Integration {
  return Object.assign(new Integration(), { id, syncIntervalMinutes, lastSyncedAt });
}

describe("jitterMs", () => {
  const ids = Array.from({ length: 50 }, () => randomUUID());

  it.each([5, 30, 60, 240, 1440])(
    "stays within 10%% of a %i-minute interval and at most 5 minutes",
    (minutes) => {
      const intervalMs = minutes * MINUTE;
      const cap = Math.min(intervalMs * 0.1, FIVE_MINUTES);
      for (const id of ids) {
        for (let cycle = 0; cycle < 20; cycle += 1) {
          const jitter = jitterMs(id, intervalMs, cycle);
          expect(Number.isInteger(jitter)).toBe(true);
          expect(jitter).toBeGreaterThanOrEqual(0);
          expect(jitter).toBeLessThan(cap);
        }
      }
    },
  );

  it("is deterministic per integration and cycle, and spreads integrations and cycles", () => {
    const intervalMs = 60 * MINUTE;
    for (const id of ids) {
      expect(jitterMs(id, intervalMs, 7)).toBe(jitterMs(id, intervalMs, 7));
    }
    const acrossIntegrations = new Set(ids.map((id) => jitterMs(id, intervalMs, 7)));
    expect(acrossIntegrations.size).toBeGreaterThan(ids.length * 0.9);
    const acrossCycles = new Set(
      Array.from({ length: 20 }, (_, cycle) => jitterMs(ids[0]!, intervalMs, cycle)),
    );
    expect(acrossCycles.size).toBeGreaterThan(15);
  });
});

describe("isDue", () => {
  it("is due when never synced", () => {
    expect(isDue(integrationAt(randomUUID(), 60, null), Date.now())).toBe(true);
  });

  it.each([5, 60, 1440])(
    "is due exactly when a %i-minute interval plus the jitter has passed",
    (minutes) => {
      const intervalMs = minutes * MINUTE;
      for (let sample = 0; sample < 20; sample += 1) {
        const id = randomUUID();
        const last = Date.UTC(2026, 2, 1, 8, 0, 0) + sample * 7919 * 1000;
        const jitter = jitterMs(id, intervalMs, Math.floor(last / intervalMs));
        const integration = integrationAt(id, minutes, new Date(last));
        const dueAt = last + intervalMs + jitter;
        expect(isDue(integration, last)).toBe(false);
        expect(isDue(integration, last + intervalMs - 1)).toBe(false);
        expect(isDue(integration, dueAt - 1)).toBe(false);
        expect(isDue(integration, dueAt)).toBe(true);
        expect(isDue(integration, dueAt + intervalMs)).toBe(true);
      }
    },
  );
});

describe("SyncScheduler.tick with a real SyncService", () => {
  let harness: SyncHarness;
  let scheduler: SyncScheduler;

  const runs = () =>
    harness.gateway.gateway.dataSource.getRepository(SyncRun).find({
      where: { integrationId: harness.integrationId },
      order: { startedAt: "ASC" },
    });
  const setIntegration = (fields: Partial<Integration>) =>
    harness.gateway.gateway.dataSource
      .getRepository(Integration)
      .update({ id: harness.integrationId }, fields);
  const tickAndWait = async () => {
    await scheduler.tick();
    await harness.gateway.gateway.syncService.waitFor(harness.integrationId);
  };
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 60 * MINUTE);

  beforeAll(async () => {
    harness = await startSyncHarness({
      dataset: { seed: 3, groups: 3, users: 10, incidents: 40, changes: 5, journalPerRecord: 0 },
    });
    scheduler = new SyncScheduler(
      harness.gateway.gateway.dataSource,
      harness.gateway.gateway.syncService,
      { tickMs: 60_000 },
      createLogger("silent"),
    );
  });

  afterAll(async () => {
    await scheduler.stop();
    await harness.stop();
  });

  it("syncs an overdue connected integration at once on the first tick (STARTUP)", async () => {
    await setIntegration({ lastSyncedAt: hoursAgo(2) });
    await tickAndWait();
    const all = await runs();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      trigger: "STARTUP",
      mode: "INCREMENTAL",
      status: "SUCCEEDED",
    });
  });

  it("does not sync again before the interval has passed", async () => {
    await tickAndWait();
    await tickAndWait();
    expect(await runs()).toHaveLength(1);
  });

  it("syncs with trigger SCHEDULE on later ticks once due, FULL when never synced", async () => {
    await setIntegration({ lastSyncedAt: hoursAgo(2) });
    await tickAndWait();
    await setIntegration({ lastSyncedAt: null });
    await tickAndWait();
    const all = await runs();
    expect(all.slice(1).map((run) => [run.trigger, run.mode, run.status])).toEqual([
      ["SCHEDULE", "INCREMENTAL", "SUCCEEDED"],
      ["SCHEDULE", "FULL", "SUCCEEDED"],
    ]);
    // A success moves lastSyncedAt to the run's start.
    const integration = await harness.gateway.gateway.dataSource
      .getRepository(Integration)
      .findOneByOrFail({ id: harness.integrationId });
    expect(integration.lastSyncedAt?.getTime()).toBe(all[2]!.startedAt.getTime());
  });

  it.each([
    ["disabled", { enabled: false }],
    ["FAILED", { status: IntegrationStatus.FAILED }],
    ["PENDING", { status: IntegrationStatus.PENDING }],
    ["DISABLED", { status: IntegrationStatus.DISABLED }],
  ])("does not sync an overdue integration that is %s", async (_label, fields) => {
    const before = (await runs()).length;
    await setIntegration({ lastSyncedAt: hoursAgo(3), ...fields });
    await tickAndWait();
    expect(await runs()).toHaveLength(before);
    await setIntegration({ enabled: true, status: IntegrationStatus.CONNECTED });
  });

  it("does not start a second run while one is in progress", async () => {
    harness.simulator.faults.inject({
      kind: "delay",
      delayMs: 300,
      times: 5,
      match: { table: "incident" },
    });
    await setIntegration({ lastSyncedAt: hoursAgo(3) });
    const before = (await runs()).length;
    const manual = await harness.gateway.gateway.syncService.start(harness.integrationId, {
      trigger: SyncTrigger.MANUAL,
      full: false,
    });
    await scheduler.tick();
    expect(harness.gateway.gateway.syncService.isRunning(harness.integrationId)).toBe(true);
    await harness.gateway.gateway.syncService.waitFor(harness.integrationId);
    const all = await runs();
    expect(all).toHaveLength(before + 1);
    expect(all[all.length - 1]).toMatchObject({ id: manual!.id, status: "SUCCEEDED" });
  });
});

describe("SyncLeaseRepository", () => {
  let harness: SyncHarness;
  let leases: SyncLeaseRepository;
  const TTL = 10_000;
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

  beforeAll(async () => {
    harness = await startSyncHarness();
    leases = new SyncLeaseRepository(harness.gateway.gateway.dataSource);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("is acquired when free, and re-acquiring by its holder extends it", async () => {
    const id = randomUUID();
    expect(await leases.holderOf(id, NOW)).toBeNull();
    expect(await leases.acquire(id, "a", TTL, NOW)).toBe(true);
    expect(await leases.holderOf(id, NOW)).toBe("a");
    expect(await leases.acquire(id, "a", TTL, NOW + 5000)).toBe(true);
    expect(await leases.holderOf(id, NOW + TTL + 1000)).toBe("a");
  });

  it("is refused to another holder until it expires, then taken over", async () => {
    const id = randomUUID();
    expect(await leases.acquire(id, "a", TTL, NOW)).toBe(true);
    expect(await leases.acquire(id, "b", TTL, NOW + 1)).toBe(false);
    expect(await leases.acquire(id, "b", TTL, NOW + TTL - 1)).toBe(false);
    expect(await leases.holderOf(id, NOW + TTL - 1)).toBe("a");
    // Expired: holderOf says nobody, and the next acquire wins.
    expect(await leases.holderOf(id, NOW + TTL + 1)).toBeNull();
    expect(await leases.acquire(id, "b", TTL, NOW + TTL + 1)).toBe(true);
    expect(await leases.holderOf(id, NOW + TTL + 1)).toBe("b");
    expect(await leases.acquire(id, "a", TTL, NOW + TTL + 2)).toBe(false);
  });

  it("is renewed only by its holder", async () => {
    const id = randomUUID();
    expect(await leases.renew(id, "a", TTL, NOW)).toBe(false);
    expect(await leases.acquire(id, "a", TTL, NOW)).toBe(true);
    expect(await leases.renew(id, "b", TTL, NOW + 1000)).toBe(false);
    expect(await leases.renew(id, "a", TTL, NOW + 8000)).toBe(true);
    // Renewed from NOW + 8 s: still held where the first grant would have lapsed.
    expect(await leases.holderOf(id, NOW + 15_000)).toBe("a");
    expect(await leases.acquire(id, "b", TTL, NOW + 15_000)).toBe(false);
    // A holder that lost its lease cannot renew it back.
    expect(await leases.acquire(id, "b", TTL, NOW + 20_000)).toBe(true);
    expect(await leases.renew(id, "a", TTL, NOW + 20_001)).toBe(false);
    expect(await leases.holderOf(id, NOW + 20_001)).toBe("b");
  });

  it("is released only by its holder, and is free afterwards", async () => {
    const id = randomUUID();
    expect(await leases.acquire(id, "a", TTL, NOW)).toBe(true);
    await leases.release(id, "b");
    expect(await leases.holderOf(id, NOW)).toBe("a");
    await leases.release(id, "a");
    expect(await leases.holderOf(id, NOW)).toBeNull();
    expect(await leases.acquire(id, "b", TTL, NOW + 1)).toBe(true);
  });

  it("gives exactly one of three concurrent acquirers the lease", async () => {
    for (let round = 0; round < 10; round += 1) {
      const id = randomUUID();
      const results = await Promise.all(
        ["a", "b", "c"].map((holder) => leases.acquire(id, holder, TTL, NOW)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });
});
