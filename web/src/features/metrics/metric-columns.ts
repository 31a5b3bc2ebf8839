import type { BlotterSpec } from '../../lib/history/use-blotter';
import type { MetricSeries } from './metric-series';

/** The columns the metrics table sorts by (by name otherwise). */
export type MetricColumn = 'latest' | 'at' | 'samples';

/** A metric's labels as `key=value, …`. */
export const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * The metrics table: a row per name, searched in the name and every label of its samples, sorted
 * by latest value, its time or the samples loaded; the export holds those rows' samples.
 */
export const METRIC_BLOTTER: BlotterSpec<MetricSeries, MetricColumn> = {
  text: (s) => `${s.name} ${[...new Set(s.samples.map((m) => labelText(m.labels)))].join(' ')}`,
  columns: [
    { key: 'latest', label: 'Latest' },
    { key: 'at', label: 'Time' },
    { key: 'samples', label: 'Samples' },
  ],
  value: (s, column) => (column === 'latest' ? s.latest.value : column === 'at' ? s.latest.ts : s.count),
  csv: (rows) => import('./metric-csv').then((m) => m.metricsCsv(rows)),
};
