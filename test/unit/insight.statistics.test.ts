import {
  kaplanMeierQuantile,
  nearestRank,
  summarizeDurations,
  wilsonRate,
} from "../../src/modules/insights/insight.statistics";

describe("insight statistics", () => {
  it("wilsonRate gives the Wilson score interval with z = 1.959964 (values computed by hand)", () => {
    const rate = wilsonRate(3, 4);
    expect(rate.value).toBe(0.75);
    expect(rate.low95).toBeCloseTo(0.300642, 6);
    expect(rate.high95).toBeCloseTo(0.954413, 6);
    const half = wilsonRate(1, 2);
    expect(half.low95).toBeCloseTo(0.094531, 6);
    expect(half.high95).toBeCloseTo(0.905469, 6);
    expect(wilsonRate(2, 2).high95).toBe(1);
    expect(wilsonRate(0, 5).low95).toBeCloseTo(0, 12);
    expect(wilsonRate(0, 5).high95).toBeCloseTo(0.434482, 6);
  });

  it("a rate over nothing is null, not 0 or NaN", () => {
    expect(wilsonRate(0, 0)).toEqual({
      numerator: 0,
      denominator: 0,
      value: null,
      low95: null,
      high95: null,
    });
  });

  it("nearestRank takes the value at rank ⌈p·N⌉ over weighted values", () => {
    const values = [
      { seconds: 30, count: 1 },
      { seconds: 10, count: 2 },
      { seconds: 20, count: 1 },
    ];
    // Sorted: 10, 10, 20, 30.
    expect(nearestRank(values, 0.5)).toBe(10);
    expect(nearestRank(values, 0.75)).toBe(20);
    expect(nearestRank(values, 0.9)).toBe(30);
    expect(nearestRank(values, 1)).toBe(30);
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([{ seconds: 7, count: 1 }], 0.01)).toBe(7);
  });

  it("kaplanMeierQuantile: the smallest event time with S(t) ≤ 1 − q, censored at t still at risk", () => {
    // Events at 1, 2, 3, 4; one censored at 10. S: 0.8, 0.6, 0.4, 0.2 — the median is 3.
    const observations = [1, 2, 3, 4].map((seconds) => ({ seconds, censored: false, count: 1 }));
    const withCensored = [...observations, { seconds: 10, censored: true, count: 1 }];
    expect(kaplanMeierQuantile(withCensored, 0.5)).toBe(3);
    expect(kaplanMeierQuantile(withCensored, 0.9)).toBeNull();
    // Censored at 2 with an event at 2: at risk 3 at t = 2 → S(1) = 2/3, S(2) = 2/3·2/3 = 4/9.
    expect(
      kaplanMeierQuantile(
        [
          { seconds: 1, censored: false, count: 1 },
          { seconds: 2, censored: false, count: 1 },
          { seconds: 2, censored: true, count: 1 },
        ],
        0.5,
      ),
    ).toBe(2);
    // S reaching exactly 0.5 counts (2 events of 4 at the same time).
    expect(
      kaplanMeierQuantile(
        [
          { seconds: 5, censored: false, count: 2 },
          { seconds: 9, censored: true, count: 2 },
        ],
        0.5,
      ),
    ).toBe(5);
    // Everything censored: the curve stays at 1.
    expect(kaplanMeierQuantile([{ seconds: 5, censored: true, count: 3 }], 0.5)).toBeNull();
    expect(kaplanMeierQuantile([], 0.5)).toBeNull();
  });

  it("summarizeDurations: mean and nearest-rank percentiles over the finished, survival over all", () => {
    const summary = summarizeDurations([
      { seconds: 3600, censored: false, count: 1 },
      { seconds: 10800, censored: false, count: 1 },
      { seconds: 64800, censored: false, count: 1 },
      { seconds: 86400, censored: false, count: 1 },
      { seconds: 1512000, censored: true, count: 1 },
    ]);
    expect(summary).toEqual({
      count: 5,
      censored: 1,
      meanSeconds: 41400,
      medianSeconds: 10800,
      p90Seconds: 86400,
      survivalMedianSeconds: 64800,
      survivalP90Seconds: null,
    });
    expect(summarizeDurations([])).toEqual({
      count: 0,
      censored: 0,
      meanSeconds: null,
      medianSeconds: null,
      p90Seconds: null,
      survivalMedianSeconds: null,
      survivalP90Seconds: null,
    });
  });
});
