import { sqliteBatchSize } from "../../src/sync/worker/plan.upserter";

/** Splits `rows` as the SQLite upsert does. */
function batches(rows: number): number[] {
  const sizes: number[] = [];
  for (let remaining = rows; remaining > 0; remaining -= sizes[sizes.length - 1] as number) {
    sizes.push(sqliteBatchSize(remaining));
  }
  return sizes;
}

describe("the SQLite upsert's batch sizes", () => {
  it("covers every row count exactly, in at most nine distinct statement sizes", () => {
    const sizes = new Set<number>();
    for (let rows = 1; rows <= 2_000; rows += 1) {
      const split = batches(rows);
      expect(split.reduce((sum, size) => sum + size, 0)).toBe(rows);
      for (const size of split) {
        sizes.add(size);
      }
    }
    expect([...sizes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 100, 200]);
  });

  it("writes a full page of 500 in three statements, as before", () => {
    expect(batches(500)).toEqual([200, 200, 100]);
    expect(batches(137)).toEqual([100, 32, 4, 1]);
  });
});
