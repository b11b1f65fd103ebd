import {
  channelOf,
  MAX_PAYLOAD_BYTES,
  payloadsOf,
} from "../../src/modules/record-changes/postgres-record-change.transport";

describe("PostgreSQL record change payloads", () => {
  it("splits a page's sys_ids into payloads below the NOTIFY limit, each sys_id once, in order", () => {
    const sysIds = Array.from({ length: 2000 }, (_, index) => index.toString(16).padStart(32, "0"));
    const payloads = payloadsOf("origin-1", {
      integrationId: "00000000-0000-4000-8000-000000000001",
      table: "incident",
      sysIds,
      operation: "INSERT",
      source: "SYNC",
      syncRunId: "00000000-0000-4000-8000-000000000002",
      committedAt: new Date("2026-01-02T03:04:05.000Z"),
    });
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) {
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    }
    const parsed = payloads.map(
      (payload) => JSON.parse(payload) as { s: string[]; o: string; t: string },
    );
    expect(parsed.flatMap((part) => part.s)).toEqual(sysIds);
    expect(parsed.every((part) => part.o === "origin-1" && part.t === "incident")).toBe(true);
  });

  it("keeps a channel name within PostgreSQL's 63 bytes whatever the schema", () => {
    expect(channelOf("public")).toBe("record_changes:public");
    expect(Buffer.byteLength(channelOf("s".repeat(100)))).toBeLessThanOrEqual(63);
  });
});
