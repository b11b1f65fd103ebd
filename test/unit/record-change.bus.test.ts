import { Writable } from "node:stream";

import { createLogger } from "../../src/logging/logger";
import { RecordChangeBus } from "../../src/modules/record-changes/record-change.bus";
import type { RecordChange } from "../../src/modules/record-changes/record-change.event";

const change: RecordChange = {
  integrationId: "i-1",
  table: "incident",
  sysIds: ["a", "b"],
  operation: "UPDATE",
  source: "SYNC",
  syncRunId: "r-1",
  committedAt: new Date("2026-01-01T00:00:00Z"),
};

function capturingLogger(lines: string[]) {
  return createLogger(
    "error",
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
}

describe("RecordChangeBus", () => {
  it("delivers a change to every listener even when one of them throws, and logs the failure", () => {
    const lines: string[] = [];
    const bus = new RecordChangeBus(capturingLogger(lines));
    const received: RecordChange[] = [];
    bus.subscribe(() => {
      throw new Error("listener broke");
    });
    bus.subscribe((event) => received.push(event));

    expect(() => bus.publish(change)).not.toThrow();
    expect(received).toEqual([change]);
    expect(lines.join("")).toContain("a record change listener failed");
  });

  it("stops calling a listener once it unsubscribes", () => {
    const bus = new RecordChangeBus(capturingLogger([]));
    const received: RecordChange[] = [];
    const stop = bus.subscribe((event) => received.push(event));
    bus.publish(change);
    stop();
    bus.publish(change);
    expect(received).toHaveLength(1);
    expect(bus.listenerCount).toBe(0);
  });

  it("forwards its own changes to the transport but not those the transport delivers", () => {
    const bus = new RecordChangeBus(capturingLogger([]));
    const forwarded: RecordChange[] = [];
    const local: RecordChange[] = [];
    bus.forwardTo((event) => forwarded.push(event));
    bus.subscribe((event) => local.push(event));
    bus.publish(change);
    bus.deliver({ ...change, sysIds: ["from-another-replica"] });
    expect(forwarded.map((event) => event.sysIds)).toEqual([["a", "b"]]);
    expect(local.map((event) => event.sysIds)).toEqual([["a", "b"], ["from-another-replica"]]);
  });
});
