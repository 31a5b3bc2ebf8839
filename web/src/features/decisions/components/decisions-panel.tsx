import { memo } from 'react';
import type { Decision } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { Badge, Meter } from '../../../components/ui/bars';
import { BlotterList } from '../../../components/ui/blotter-list';
import { BlotterTools } from '../../../components/ui/blotter-tools';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { RovingItem } from '../../../components/ui/roving-list';
import { formatClock } from '../../../lib/format';
import { useFocusChart } from '../../../lib/use-focus-chart';
import { useBlotter } from '../../../lib/history/use-blotter';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { filterKey, useFilteredFeed } from '../../../lib/use-filtered-feed';
import { DECISION_BLOTTER } from '../decision-columns';
import { useDecisionsHistory } from '../hooks/use-decisions-history';
import { useLiveDecisions } from '../hooks/use-live-decisions';

const ACTION_TONE = { buy: 'pos', sell: 'neg', hold: 'muted' } as const;

/**
 * Agents' decisions, newest first, filtered by agent and symbol on the server; scrolled to the
 * bottom it reads older ones from history. The search and the sort apply to the rows loaded, and
 * the export saves what is shown.
 */
export function DecisionsPanel() {
  const { filter, setFilter, applied, options, hold, ready, error, updatedAt } = useFilteredFeed(useLiveDecisions);
  const history = useHistoryFeed(hold, useDecisionsHistory, applied);
  const blotter = useBlotter(history.rows, history.keep, DECISION_BLOTTER);
  const { rows } = blotter;
  return (
    <Panel
      title="Decisions"
      testId="panel-decisions"
      className="area-decisions"
      updatedAt={updatedAt}
      actions={
        <>
          <FeedFilterBar id="decisions" value={filter} onChange={setFilter} agents={options.agents} symbols={options.symbols} />
          <FeedPauseButton id="decisions" label="decisions" hold={hold} />
          <BlotterTools id="decisions" label="decisions" file="decisions" blotter={blotter} />
        </>
      }
    >
      <StreamState
        error={error}
        ready={ready}
        empty={rows.length === 0 && hold.newCount === 0}
        emptyText={blotter.search.trim() ? 'No loaded decisions match the search.' : 'No decisions match.'}
        testId="decisions"
      >
        <NewRowsButton id="decisions" label="decisions" hold={hold} />
        <BlotterList testId="decisions-list" rows={rows} row={decisionRow} listRef={hold.listRef} held={hold.held} filter={filterKey(applied)} roving />
      </StreamState>
      {ready && !error ? <HistoryFooter id="decisions" label="decisions" feed={history} /> : null}
    </Panel>
  );
}

const decisionRow = (d: Decision) => <DecisionRow key={d.id} decision={d} />;

const DecisionRow = memo(function DecisionRow({ decision: d }: { decision: Decision }) {
  const focusChart = useFocusChart();
  // Opening a decision that caused a trade shows that trade on the price chart.
  const showTrade = d.tradeId && d.action !== 'hold' ? () => focusChart(d.symbol, { tradeId: d.tradeId!, symbol: d.symbol, side: d.action as 'buy' | 'sell', ts: d.ts }) : undefined;
  return (
    <li className="feed-row" data-testid="decision-row" data-id={d.id} data-agent={d.agentId} data-symbol={d.symbol}>
      <details>
        <RovingItem asChild>
          <summary onClick={showTrade} data-trade={d.tradeId ?? undefined}>
            <span className="feed-time">{formatClock(d.ts)}</span>
            <span className="feed-agent" title={d.agentId}>
              {d.agentId}
            </span>
            <Badge tone={ACTION_TONE[d.action]}>{d.action}</Badge>
            <span className="sym">{d.symbol}</span>
            <Meter value={d.confidence} label="confidence" />
          </summary>
        </RovingItem>
        <p className="reasoning" data-testid="decision-reasoning">
          {d.reasoning || 'No reasoning given.'}
          {d.tradeId ? <span className="muted"> · trade {d.tradeId}</span> : null}
          <span className="muted"> · by </span>
          <AgentLink agentId={d.agentId} />
        </p>
      </details>
    </li>
  );
});
