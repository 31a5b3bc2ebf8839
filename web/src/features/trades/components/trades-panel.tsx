import { memo, useMemo } from 'react';
import type { Trade } from '../../../../../shared/index';
import { Badge } from '../../../components/ui/bars';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { Panel, StreamState } from '../../../components/ui/panel';
import { RovingItem, RovingList } from '../../../components/ui/roving-list';
import { formatClock, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { useFilteredFeed } from '../../../lib/use-filtered-feed';
import { useLiveTrades } from '../hooks/use-live-trades';

/** Executed trades, newest first, filtered by agent and symbol on the server. */
export function TradesPanel() {
  const { filter, setFilter, options, rows, hold, ready, error, updatedAt } = useFilteredFeed(useLiveTrades);
  // The panel renders at every message (its last-update time); the list only when its rows do: a
  // roving-focus list re-renders each of its items whenever it renders.
  const list = useMemo(
    () => (
      <RovingList className="feed" data-testid="trades-list" ref={hold.listRef} data-held={hold.held}>
        {rows.map((t) => (
          <TradeRow key={t.id} trade={t} />
        ))}
      </RovingList>
    ),
    [rows, hold.listRef, hold.held],
  );
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
        </>
      }
    >
      <StreamState error={error} ready={ready} empty={rows.length === 0 && hold.newCount === 0} emptyText="No trades match." testId="trades">
        <NewRowsButton id="trades" label="trades" hold={hold} />
        {list}
      </StreamState>
    </Panel>
  );
}

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
        </p>
      </details>
    </li>
  );
});
