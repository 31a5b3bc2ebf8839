import { memo, useMemo, useState } from 'react';
import type { Trade } from '../../../../../shared/index';
import { Badge } from '../../../components/ui/bars';
import { FeedFilterBar } from '../../../components/ui/feed-filter-bar';
import { Panel, StreamState } from '../../../components/ui/panel';
import type { FeedFilter } from '../../../lib/feed-filter';
import { formatClock, formatPrice, formatSigned, signClass } from '../../../lib/format';
import { feedMaxFps } from '../../../lib/config';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useThrottledValue } from '../../../lib/use-throttled-value';
import { useFilterOptions } from '../../../lib/use-filter-options';
import { useLiveTrades } from '../hooks/use-live-trades';

/** Executed trades, newest first, filtered by agent and symbol on the server. */
export function TradesPanel() {
  const [filter, setFilter] = useState<FeedFilter>({ agentId: '', symbol: '' });
  const applied = useDebouncedValue(filter, 250);
  const { data, ready, error } = useLiveTrades(applied);
  const options = useFilterOptions();
  const shown = useThrottledValue(data, 1000 / feedMaxFps);
  const rows = useMemo(() => (shown ? [...shown].reverse() : []), [shown]);
  return (
    <Panel
      title="Trades"
      testId="panel-trades"
      className="area-trades"
      actions={<FeedFilterBar id="trades" value={filter} onChange={setFilter} agents={options.agents} symbols={options.symbols} />}
    >
      <StreamState error={error} ready={ready} empty={rows.length === 0} emptyText="No trades match." testId="trades">
        <ul className="feed" data-testid="trades-list">
          {rows.map((t) => (
            <TradeRow key={t.id} trade={t} />
          ))}
        </ul>
      </StreamState>
    </Panel>
  );
}

const TradeRow = memo(function TradeRow({ trade: t }: { trade: Trade }) {
  return (
    <li className="feed-row" data-testid="trade-row" data-id={t.id} data-agent={t.agentId ?? ''} data-symbol={t.symbol}>
      <details>
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
        <p className="reasoning">
          Trade {t.id}
          {t.decisionId ? ` · from decision ${t.decisionId}` : ' · entered by hand'} · notional {formatPrice(t.qty * t.price)}
        </p>
      </details>
    </li>
  );
});
