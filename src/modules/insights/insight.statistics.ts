/**
 * The statistics of the insights, as pure functions over already-reduced data: the database
 * groups and counts, these turn the counts into rates, percentiles and survival quantiles.
 */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959964;

export interface RateValue {
  readonly numerator: number;
  readonly denominator: number;
  /** numerator ÷ denominator; null when the denominator is 0. */
  readonly value: number | null;
  readonly low95: number | null;
  readonly high95: number | null;
}

/** A rate with its Wilson score interval (z = 1.959964); all null when the denominator is 0. */
export function wilsonRate(numerator: number, denominator: number, z = Z_95): RateValue {
  if (denominator <= 0) {
    return { numerator, denominator, value: null, low95: null, high95: null };
  }
  const p = numerator / denominator;
  const z2 = z * z;
  const scale = 1 + z2 / denominator;
  const center = (p + z2 / (2 * denominator)) / scale;
  const half =
    (z / scale) * Math.sqrt((p * (1 - p)) / denominator + z2 / (4 * denominator * denominator));
  return {
    numerator,
    denominator,
    value: p,
    low95: Math.max(0, center - half),
    high95: Math.min(1, center + half),
  };
}

/** A duration observed `count` times; censored: still open at that time (right-censored). */
export interface DurationObservation {
  readonly seconds: number;
  readonly censored: boolean;
  readonly count: number;
}

/**
 * The nearest-rank percentile of weighted values: the smallest value whose cumulative count
 * reaches ⌈p·N⌉ (p in (0, 1]); null for no values.
 */
export function nearestRank(
  values: readonly { readonly seconds: number; readonly count: number }[],
  p: number,
): number | null {
  const sorted = [...values]
    .filter((value) => value.count > 0)
    .sort((a, b) => a.seconds - b.seconds);
  const total = sorted.reduce((sum, value) => sum + value.count, 0);
  if (total === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(p * total));
  let cumulative = 0;
  for (const value of sorted) {
    cumulative += value.count;
    if (cumulative >= rank) {
      return value.seconds;
    }
  }
  return sorted[sorted.length - 1].seconds;
}

/**
 * The Kaplan–Meier quantile: the smallest event time t at which S(t) ≤ 1 − q, or null when the
 * curve never falls that far. Those censored at t are still at risk at t.
 */
export function kaplanMeierQuantile(
  observations: readonly DurationObservation[],
  q: number,
): number | null {
  const times = new Map<number, { events: number; censored: number }>();
  let atRisk = 0;
  for (const observation of observations) {
    if (observation.count <= 0) {
      continue;
    }
    const entry = times.get(observation.seconds) ?? { events: 0, censored: 0 };
    if (observation.censored) {
      entry.censored += observation.count;
    } else {
      entry.events += observation.count;
    }
    times.set(observation.seconds, entry);
    atRisk += observation.count;
  }
  const threshold = 1 - q;
  let survival = 1;
  for (const [seconds, entry] of [...times.entries()].sort((a, b) => a[0] - b[0])) {
    if (entry.events > 0) {
      survival *= 1 - entry.events / atRisk;
      // A relative tolerance: 0.5 reached through a product of fractions must count as ≤ 0.5.
      if (survival <= threshold + 1e-12) {
        return seconds;
      }
    }
    atRisk -= entry.events + entry.censored;
  }
  return null;
}

export interface DurationSummary {
  readonly count: number;
  readonly censored: number;
  readonly meanSeconds: number | null;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly survivalMedianSeconds: number | null;
  readonly survivalP90Seconds: number | null;
}

/**
 * count and censored over all observations; mean, median and p90 (nearest rank) over the
 * uncensored ones; the survival median and p90 (Kaplan–Meier) over all of them.
 */
export function summarizeDurations(observations: readonly DurationObservation[]): DurationSummary {
  const events = observations.filter((observation) => !observation.censored);
  const count = observations.reduce((sum, observation) => sum + observation.count, 0);
  const resolved = events.reduce((sum, observation) => sum + observation.count, 0);
  const total = events.reduce(
    (sum, observation) => sum + observation.seconds * observation.count,
    0,
  );
  return {
    count,
    censored: count - resolved,
    meanSeconds: resolved === 0 ? null : total / resolved,
    medianSeconds: nearestRank(events, 0.5),
    p90Seconds: nearestRank(events, 0.9),
    survivalMedianSeconds: kaplanMeierQuantile(observations, 0.5),
    survivalP90Seconds: kaplanMeierQuantile(observations, 0.9),
  };
}
