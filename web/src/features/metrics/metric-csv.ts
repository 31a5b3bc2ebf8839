import type { MetricSample } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';
import type { MetricSeries } from './metric-series';

/** The export's columns, a line per sample: its labels as JSON, times in ISO 8601 (UTC). */
export const METRIC_CSV: ReadonlyArray<CsvColumn<MetricSample>> = [
  { header: 'time', value: (m) => new Date(m.ts).toISOString() },
  { header: 'id', value: (m) => m.id },
  { header: 'name', value: (m) => m.name },
  { header: 'value', value: (m) => m.value },
  { header: 'labels', value: (m) => JSON.stringify(m.labels) },
];

/** Every loaded sample of the metrics shown, in their order, each metric's newest first. */
export function metricSamples(series: readonly MetricSeries[]): MetricSample[] {
  return series.flatMap((s) => [...s.samples].reverse());
}

/** The samples of `series` as CSV. */
export const metricsCsv = (series: readonly MetricSeries[]) => toCsv(METRIC_CSV, metricSamples(series));
