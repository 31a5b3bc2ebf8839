import { memo, useCallback, useMemo, useState } from 'react';
import type { Trade } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { Badge } from '../../../components/ui/bars';
import { ExportCsvButton } from '../../../components/ui/export-csv-button';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { RovingItem, RovingList } from '../../../components/ui/roving-list';
import { SearchBox } from '../../../components/ui/search-box';
import { SortSelect } from '../../../components/ui/sort-select';
import { formatClock, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { toCsv } from '../../../lib/history/csv';
import { searchRows, sortRows, type SortOrder } from '../../../lib/history/rows';
import { useHistoryFeed } from '../../../lib/history/use-history-feed';
import { filterKey, useFilteredFeed } from '../../../lib/use-filtered-feed';
import { useLiveTrades } from '../hooks/use-live-trades';
import { useTradesHistory } from '../hooks/use-trades-history';
import { TRADE_CSV, TRADE_SORT_COLUMNS, tradeText, tradeValue, type TradeColumn } from '../trade-columns';

/**
 * Executed trades, newest first, filtered by agent and symbol on the server; scrolled to the bottom
 * it reads older trades from history. The search and the sort apply to the rows loaded, and the
 * export saves what is shown.
 */
export function TradesPanel() {
  const { filter, setFilter, applied, options, hold, ready, error, updatedAt } = useFilteredFeed(useLiveTrades);
  const history = useHistoryFeed(hold, useTradesHistory, applied);
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<SortOrder<TradeColumn> | null>(null);
  const { keep } = history;
  const onSort = useCallback(
    (next: SortOrder<TradeColumn> | null) => {
      keep();
      setOrder(next);
    },
    [keep],
  );
  const onSearch = useCallback(
    (text: string) => {
      keep();
      setSearch(text);
    },
    [keep],
  );
  const rows = useMemo(() => sortRows(searchRows(history.rows, search, tradeText), order, tradeValue), [history.rows, search, order]);
  const csv = useCallback(() => toCsv(TRADE_CSV, rows), [rows]);
  // The panel renders at every message (its last-update time); the list only when its rows do: a
  // roving-focus list re-renders each of its items whenever it renders.
  const list = useMemo(
    () => (
      <RovingList className="feed" data-testid="trades-list" ref={hold.listRef} data-held={hold.held} data-filter={filterKey(applied)}>
        {rows.map((t) => (
          <TradeRow key={t.id} trade={t} />
        ))}
      </RovingList>
    ),
    [rows, hold.listRef, hold.held, applied],
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
          {/* In the title bar, so Tab from the panel body still lands on the list's first row. */}
          <div className="blotter-tools">
            <SearchBox testId="trades-search" label="trades" value={search} onChange={onSearch} />
            <SortSelect id="trades" label="trades" columns={TRADE_SORT_COLUMNS} order={order} onChange={onSort} />
            <ExportCsvButton testId="trades-export" what="trades" csv={csv} count={rows.length} />
          </div>
        </>
      }
    >
      <StreamState
        error={error}
        ready={ready}
        empty={rows.length === 0 && hold.newCount === 0 && !history.older}
        emptyText={search.trim() ? 'No loaded trades match the search.' : 'No trades match.'}
        testId="trades"
      >
        <NewRowsButton id="trades" label="trades" hold={hold} />
        {list}
      </StreamState>
      {/* Also under an empty list: older trades may match what the live window holds none of. */}
      {ready && !error ? <HistoryFooter id="trades" label="trades" feed={history} /> : null}
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
