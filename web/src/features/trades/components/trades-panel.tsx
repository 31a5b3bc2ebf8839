import { memo } from 'react';
import type { Trade } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { Badge } from '../../../components/ui/bars';
import { BlotterList } from '../../../components/ui/blotter-list';
import { BlotterTools } from '../../../components/ui/blotter-tools';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { RovingItem } from '../../../components/ui/roving-list';
import { formatClock, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { useBlotter } from '../../../lib/history/use-blotter';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { filterKey, useFilteredFeed } from '../../../lib/use-filtered-feed';
import { useLiveTrades } from '../hooks/use-live-trades';
import { useTradesHistory } from '../hooks/use-trades-history';
import { TRADE_BLOTTER } from '../trade-columns';

/**
 * Executed trades, newest first, filtered by agent and symbol on the server; scrolled to the bottom
 * it reads older trades from history. The search and the sort apply to the rows loaded, and the
 * export saves what is shown.
 */
export function TradesPanel() {
  const { filter, setFilter, applied, options, hold, ready, error, updatedAt } = useFilteredFeed(useLiveTrades);
  const history = useHistoryFeed(hold, useTradesHistory, applied);
  const blotter = useBlotter(history.rows, history.keep, TRADE_BLOTTER);
  const { rows } = blotter;
  return (
    <Panel
      title="Trades"
      testId="panel-trades"
      className="area-trades"
      updatedAt={updatedAt}
      actions={
        <>
          <FeedFilterBar id="trades" value={filter} onChange={setFilter} agents={options.agents} symbols={options.symbols} />
          <FeedPauseButton id="trades" label="trades" hold={hold} />
          <BlotterTools id="trades" label="trades" file="trades" blotter={blotter} />
        </>
      }
    >
      <StreamState
        error={error}
        ready={ready}
        empty={rows.length === 0 && hold.newCount === 0}
        emptyText={blotter.search.trim() ? 'No loaded trades match the search.' : 'No trades match.'}
        testId="trades"
      >
        <NewRowsButton id="trades" label="trades" hold={hold} />
        <BlotterList testId="trades-list" rows={rows} row={tradeRow} listRef={hold.listRef} held={hold.held} filter={filterKey(applied)} roving />
      </StreamState>
      {/* Also under an empty list: older trades may match what the live window holds none of. */}
      {ready && !error ? <HistoryFooter id="trades" label="trades" feed={history} /> : null}
    </Panel>
  );
}

const tradeRow = (t: Trade) => <TradeRow key={t.id} trade={t} />;

const TradeRow = memo(function TradeRow({ trade: t }: { trade: Trade }) {
  return (
    <li className="feed-row" data-testid="trade-row" data-id={t.id} data-agent={t.agentId ?? ''} data-symbol={t.symbol}>
      <details>
        <RovingItem asChild>
          <summary>
            <span className="feed-time">{formatClock(t.ts)}</span>
            <span className="feed-agent" title={t.agentId ?? 'manual'}>
              {t.agentId ?? 'manual'}
            </span>
            <Badge tone={t.side === 'buy' ? 'pos' : 'neg'}>{t.side}</Badge>
            <span className="sym">{t.symbol}</span>
            <span className="num">
              {t.qty} @ {formatPrice(t.price)}
            </span>
            <span className={`num ${signClass(t.realizedPnl)}`}>{t.realizedPnl ? formatSigned(t.realizedPnl) : ''}</span>
          </summary>
        </RovingItem>
        <p className="reasoning">
          Trade {t.id}
          {t.decisionId ? ` · from decision ${t.decisionId}` : ' · entered by hand'} · notional {formatPrice(t.qty * t.price)}
          {t.agentId ? (
            <>
              {' · by '}
              <AgentLink agentId={t.agentId} />
            </>
          ) : null}
        </p>
      </details>
    </li>
  );
});
