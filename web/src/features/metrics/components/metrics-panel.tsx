import { memo, useMemo, useState } from 'react';
import type { MetricSample } from '../../../../../shared/index';
import { Panel, StreamState } from '../../../components/ui/panel';
import { Sparkline } from '../../../components/ui/sparkline';
import { TextFilter } from '../../../components/ui/text-filter';
import { feedMaxFps, metricSparklinePoints } from '../../../lib/config';
import { formatClock, formatValue } from '../../../lib/format';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useSeenValues } from '../../../lib/use-seen-values';
import { useThrottledValue } from '../../../lib/use-throttled-value';
import { useLiveMetrics } from '../hooks/use-live-metrics';
import { metricSeries, trendOf, type MetricSeries } from '../metric-series';

const nameOf = (m: MetricSample) => m.name;

/** One row per metric name: a sparkline of its recent values and the latest one; filtered by name on the server. */
export function MetricsPanel() {
  const [name, setName] = useState('');
  const applied = useDebouncedValue(name, 250);
  const metrics = useLiveMetrics(applied);
  const shown = useThrottledValue(metrics.data, 1000 / feedMaxFps);
  const series = useMemo(() => metricSeries(shown ?? [], metricSparklinePoints), [shown]);
  const names = useSeenValues(metrics.data, nameOf);
  return (
    <Panel
      title="Metrics"
      testId="panel-metrics"
      className="area-metrics"
      updatedAt={metrics.updatedAt}
      actions={<TextFilter testId="metrics-filter-name" label="metric" value={name} onChange={setName} suggestions={names} />}
    >
      <StreamState
        error={metrics.error}
        ready={metrics.ready}
        empty={series.length === 0}
        emptyText={applied.trim() ? 'No samples of this metric.' : 'No metrics recorded yet.'}
        testId="metrics"
      >
        <table className="grid-table compact" data-testid="metrics-table">
          <thead>
            <tr>
              <th>Metric</th>
              <th>Recent</th>
              <th className="num">Latest</th>
              <th className="num">At</th>
            </tr>
          </thead>
          <tbody>
            {series.map((s) => (
              <MetricRow key={s.name} series={s} />
            ))}
          </tbody>
        </table>
      </StreamState>
    </Panel>
  );
}

const MetricRow = memo(function MetricRow({ series: s }: { series: MetricSeries }) {
  const labels = Object.entries(s.latest.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return (
    <tr data-testid="metric-row" data-name={s.name} data-points={s.values.length}>
      <td className="sym" title={labels ? `${s.name} {${labels}}` : s.name}>
        {s.name}
      </td>
      <td>
        <Sparkline values={s.values} tone={trendOf(s.values)} testId="metric-sparkline" />
      </td>
      <td className="num" data-testid="metric-latest">
        {formatValue(s.latest.value)}
      </td>
      <td className="num muted">{formatClock(s.latest.ts)}</td>
    </tr>
  );
});
