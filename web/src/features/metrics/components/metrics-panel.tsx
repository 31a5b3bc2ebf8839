import { memo, useMemo, useState } from 'react';
import type { MetricSample } from '../../../../../shared/index';
import { BlotterTools } from '../../../components/ui/blotter-tools';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { Sparkline } from '../../../components/ui/sparkline';
import { TextFilter } from '../../../components/ui/text-filter';
import { metricSparklinePoints } from '../../../lib/config';
import { formatClock, formatValue } from '../../../lib/format';
import { useBlotter } from '../../../lib/history/use-blotter';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useFeedHold } from '../../../lib/use-feed-hold';
import { useNewestFirst } from '../../../lib/use-newest-first';
import { useSeenValues } from '../../../lib/use-seen-values';
import { useLiveMetrics } from '../hooks/use-live-metrics';
import { useMetricsHistory } from '../hooks/use-metrics-history';
import { labelText, METRIC_BLOTTER } from '../metric-columns';
import { metricSeries, trendOf, type MetricSeries } from '../metric-series';

const nameOf = (m: MetricSample) => m.name;
const keyOfId = (m: MetricSample) => m.id;

/**
 * One row per metric name: a sparkline of its recent values, the latest one and the samples loaded;
 * filtered by name on the server. Scrolled to the bottom (or on "Load older") it reads older samples
 * from history, which can bring names the live window no longer holds; the search (name and labels)
 * and the sort apply to what is loaded, and the export saves the samples of the metrics shown.
 */
export function MetricsPanel() {
  const [name, setName] = useState('');
  const applied = useDebouncedValue(name, 250);
  const metrics = useLiveMetrics(applied);
  // Held like any feed while scrolled or paused, so history read below stays below what is shown.
  const hold = useFeedHold(useNewestFirst(metrics.data), keyOfId, applied);
  const history = useHistoryFeed(hold, useMetricsHistory, applied);
  const series = useMemo(() => metricSeries([...history.rows].reverse(), metricSparklinePoints), [history.rows]);
  const blotter = useBlotter(series, history.keep, METRIC_BLOTTER);
  const { rows } = blotter;
  const names = useSeenValues(metrics.data, nameOf);
  return (
    <Panel
      title="Metrics"
      testId="panel-metrics"
      className="area-metrics"
      updatedAt={metrics.updatedAt}
      actions={
        <>
          <TextFilter testId="metrics-filter-name" label="metric" value={name} onChange={setName} suggestions={names} />
          <FeedPauseButton id="metrics" label="metrics" hold={hold} />
          <BlotterTools id="metrics" label="metrics" file="metrics" blotter={blotter} unsorted="By name" />
        </>
      }
    >
      <StreamState
        error={metrics.error}
        ready={metrics.ready}
        empty={rows.length === 0 && hold.newCount === 0}
        emptyText={blotter.search.trim() ? 'No loaded metrics match the search.' : applied.trim() ? 'No samples of this metric.' : 'No metrics recorded yet.'}
        testId="metrics"
      >
        <NewRowsButton id="metrics" label="samples" hold={hold} />
        <table className="grid-table compact" data-testid="metrics-table" ref={hold.listRef} data-held={hold.held} data-filter={applied}>
          <thead>
            <tr>
              <th>Metric</th>
              <th>Recent</th>
              <th className="num">Latest</th>
              <th className="num">At</th>
              <th className="num">Samples</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <MetricRow key={s.name} series={s} />
            ))}
          </tbody>
        </table>
      </StreamState>
      {metrics.ready && !metrics.error ? <HistoryFooter id="metrics" label="samples" feed={history} /> : null}
    </Panel>
  );
}

const MetricRow = memo(function MetricRow({ series: s }: { series: MetricSeries }) {
  const labels = labelText(s.latest.labels);
  return (
    <tr data-testid="metric-row" data-name={s.name} data-points={s.values.length} data-count={s.count}>
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
      <td className="num muted" data-testid="metric-count">
        {s.count}
      </td>
    </tr>
  );
});
