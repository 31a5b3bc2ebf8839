import { memo, useMemo, useState } from 'react';
import type { Decision } from '../../../../../shared/index';
import { Badge, Meter } from '../../../components/ui/bars';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { Panel, StreamState } from '../../../components/ui/panel';
import type { FeedFilter } from '../../../lib/feed-filter';
import { formatClock } from '../../../lib/format';
import { feedMaxFps } from '../../../lib/config';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useThrottledValue } from '../../../lib/use-throttled-value';
import { useFilterOptions } from '../../../lib/use-filter-options';
import { useLiveDecisions } from '../hooks/use-live-decisions';

const ACTION_TONE = { buy: 'pos', sell: 'neg', hold: 'muted' } as const;

/** Agents' decisions, newest first, filtered by agent and symbol on the server. */
export function DecisionsPanel() {
  const [filter, setFilter] = useState<FeedFilter>({ agentId: '', symbol: '' });
  const applied = useDebouncedValue(filter, 250);
  const { data, ready, error } = useLiveDecisions(applied);
  const options = useFilterOptions();
  const shown = useThrottledValue(data, 1000 / feedMaxFps);
  const rows = useMemo(() => (shown ? [...shown].reverse() : []), [shown]);
  return (
    <Panel
      title="Decisions"
      testId="panel-decisions"
      className="area-decisions"
      actions={<FeedFilterBar id="decisions" value={filter} onChange={setFilter} agents={options.agents} symbols={options.symbols} />}
    >
      <StreamState error={error} ready={ready} empty={rows.length === 0} emptyText="No decisions match." testId="decisions">
        <ul className="feed" data-testid="decisions-list">
          {rows.map((d) => (
            <DecisionRow key={d.id} decision={d} />
          ))}
        </ul>
      </StreamState>
    </Panel>
  );
}

const DecisionRow = memo(function DecisionRow({ decision: d }: { decision: Decision }) {
  return (
    <li className="feed-row" data-testid="decision-row" data-id={d.id} data-agent={d.agentId} data-symbol={d.symbol}>
      <details>
        <summary>
          <span className="feed-time">{formatClock(d.ts)}</span>
          <span className="feed-agent" title={d.agentId}>
            {d.agentId}
          </span>
          <Badge tone={ACTION_TONE[d.action]}>{d.action}</Badge>
          <span className="sym">{d.symbol}</span>
          <Meter value={d.confidence} label="confidence" />
        </summary>
        <p className="reasoning" data-testid="decision-reasoning">
          {d.reasoning || 'No reasoning given.'}
          {d.tradeId ? <span className="muted"> · trade {d.tradeId}</span> : null}
        </p>
      </details>
    </li>
  );
});
