import { isOpenSecond, resumeCursor } from "../../src/sync/sync-resume";

const at = (iso: string) => new Date(iso);

describe("resumeCursor", () => {
  const watermark = { timestamp: at("2026-03-01T10:00:05Z"), sysId: "9f".padEnd(32, "0") };

  it("resumes right after the watermark when no open second was read", () => {
    expect(resumeCursor(watermark, null)).toEqual(watermark);
  });

  it("pulls back to the start of the open second so later writes in it are read", () => {
    const cursor = resumeCursor(watermark, at("2026-03-01T10:00:05.000Z"))!;
    expect(cursor.timestamp.toISOString()).toBe("2026-03-01T10:00:04.000Z");
    // Greater than any hex sys_id: everything of second 10:00:05 comes after it.
    expect(cursor.sysId > "f".repeat(32)).toBe(true);
  });

  it("keeps an earlier watermark (an interrupted run) rather than skipping ahead", () => {
    expect(resumeCursor(watermark, at("2026-03-01T10:07:00Z"))).toEqual(watermark);
  });

  it("starts from the beginning when nothing was committed", () => {
    expect(resumeCursor(undefined, at("2026-03-01T10:07:00Z"))).toBeUndefined();
  });
});

describe("isOpenSecond", () => {
  it("treats a second within a minute of the instance's clock as open", () => {
    expect(isOpenSecond(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:00:30Z"))).toBe(true);
    expect(isOpenSecond(at("2026-03-01T10:00:00Z"), at("2026-03-01T10:01:01Z"))).toBe(false);
  });

  it("falls back to the gateway's clock with more slack when no Date header came", () => {
    const now = at("2026-03-01T10:10:00Z").getTime();
    expect(isOpenSecond(at("2026-03-01T10:06:00Z"), undefined, now)).toBe(true);
    expect(isOpenSecond(at("2026-03-01T10:04:00Z"), undefined, now)).toBe(false);
  });
});
