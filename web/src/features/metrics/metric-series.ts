import type { MetricSample } from '../../../../shared/index';

/** One metric name's recent samples, for a sparkline and its latest value. */
export interface MetricSeries {
  name: string;
  /** Values oldest first, at most `maxPoints`. */
  values: number[];
  /** The newest sample. */
  latest: MetricSample;
  /** Samples of this name in the window (before the `maxPoints` cut). */
  count: number;
  /** Every sample of this name in the window, oldest first. */
  samples: readonly MetricSample[];
}

/**
 * Groups samples (oldest first, as the stream keeps them) by metric name: the last `maxPoints`
 * values of each and its newest sample, names in alphabetical order so rows do not jump as values
 * arrive. Samples of one name with other labels share its line.
 */
export function metricSeries(samples: readonly MetricSample[], maxPoints: number): MetricSeries[] {
  const byName = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, list]) => ({
      name,
      values: list.slice(-maxPoints).map((s) => s.value),
      latest: list[list.length - 1]!,
      count: list.length,
      samples: list,
    }));
}

/** The direction a series moved over its window, for the sparkline's colour. */
export function trendOf(values: readonly number[]): 'up' | 'down' | 'neutral' {
  if (values.length < 2) return 'neutral';
  const first = values[0]!;
  const last = values[values.length - 1]!;
  return last > first ? 'up' : last < first ? 'down' : 'neutral';
}
