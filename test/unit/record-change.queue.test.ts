import { createLogger } from "../../src/logging/logger";
import { RecordChangeBus } from "../../src/modules/record-changes/record-change.bus";
import type { RecordChange } from "../../src/modules/record-changes/record-change.event";
import { RecordChangeQueue } from "../../src/modules/record-changes/record-change.queue";

const change = (table: string, sysIds: string[] = ["a".repeat(32)]): RecordChange => ({
  integrationId: "00000000-0000-4000-8000-000000000001",
  table,
  sysIds,
  operation: "UPDATE",
  source: "SYNC",
  syncRunId: null,
  committedAt: new Date(),
});

describe("RecordChangeQueue", () => {
  const bus = () => new RecordChangeBus(createLogger("silent"));

  it("hands over the changes it accepts, in order, to a waiting and to a later next()", async () => {
    const source = bus();
    const queue = new RecordChangeQueue(
      source,
      (c) => c.table === "incident",
      { events: 10, bytes: 1e6 },
      {
        onOverflow: () => undefined,
      },
    );
    const waiting = queue.next();
    source.publish(change("incident", ["1".repeat(32)]));
    source.publish(change("sys_user"));
    source.publish(change("incident", ["2".repeat(32)]));
    expect((await waiting).value?.sysIds).toEqual(["1".repeat(32)]);
    expect((await queue.next()).value?.sysIds).toEqual(["2".repeat(32)]);
    expect(queue.length).toBe(0);
  });

  it("ends and calls onOverflow once more events or bytes wait than its limits allow", async () => {
    for (const limits of [
      { events: 3, bytes: 1e6 },
      { events: 1000, bytes: 4000 },
    ]) {
      const source = bus();
      let overflows = 0;
      let ends = 0;
      const queue = new RecordChangeQueue(source, () => true, limits, {
        onOverflow: () => (overflows += 1),
        onEnd: () => (ends += 1),
      });
      for (let i = 0; i < 10; i += 1) {
        source.publish(
          change(
            "incident",
            Array.from({ length: 20 }, () => "f".repeat(32)),
          ),
        );
      }
      expect([overflows, ends, source.listenerCount]).toEqual([1, 1, 0]);
      expect(await queue.next()).toEqual({ value: undefined, done: true });
    }
  });

  it("stops listening on return(), ending a next() that waits", async () => {
    const source = bus();
    const queue = new RecordChangeQueue(
      source,
      () => true,
      { events: 10, bytes: 1e6 },
      {
        onOverflow: () => undefined,
      },
    );
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(source.listenerCount).toBe(0);
  });
});
